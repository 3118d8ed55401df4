"""Donor self-service: a monthly donor asks for a link by email and follows it to Stripe's Customer
Portal (or the demo portal) to change or stop the gift. The link is a random token that works once
and names nobody: the old one carried the donor's email in readable base64, so every access log
and browser history that saw it held the address."""

import hashlib
import secrets
import time
from dataclasses import dataclass
from datetime import timedelta

from django.conf import settings
from django.core.exceptions import ValidationError
from django.db import transaction
from django.urls import reverse
from django.utils import timezone, translation
from django.utils.translation import gettext as _

from core.claims import SendOnce
from core.language import active_language
from core.mail import templated_email

from .. import stripe_gateway
from ..models import ManageLinkRequest, RecurringDonation
from .amounts import absolute_url, payments_are_demo, require_demo


@dataclass(frozen=True)
class PortalOpen:
    url: str
    recurring_id: int


def _token_hash(token: str) -> str:
    # A plain SHA-256 is enough: the token is 256 random bits, so no table of guesses can invert it.
    return hashlib.sha256(token.encode()).hexdigest()


def _latest_recurring(email: str) -> RecurringDonation | None:
    # Only a gift Stripe knows a customer for can be managed in the portal.
    return RecurringDonation.objects.for_email(email).exclude(stripe_customer_id="").order_by("-created_at").first()


def donor_manage_link_request(*, email: str) -> None:
    """Queue a link for a monthly donor. Does the same visible thing for anyone, so the answer
    never tells whether an address belongs to a donor."""
    from ..tasks import donor_manage_link_send_task

    recurring = _latest_recurring(email)
    if recurring is None:
        return
    with transaction.atomic():
        link_request = ManageLinkRequest.objects.create(recurring=recurring, language=active_language())
        donor_manage_link_send_task.delay_on_commit(link_request.pk)


def manage_links_owed():
    return ManageLinkRequest.objects.filter(sent_at__isnull=True)


def donor_manage_link_send(*, request_id: int) -> bool:
    """Email the link once; True if this call sent it (claimed under a lease, as receipts are)."""
    return SendOnce(manage_links_owed(), claimed_field="claimed_at").run(
        request_id, _send_manage_link, stamp={"sent_at": timezone.now}
    )


def donor_manage_link_token_create(*, request_id: int) -> str:
    """A new random token for the request (a retried send replaces the one whose email failed)."""
    token = secrets.token_urlsafe(32)
    ManageLinkRequest.objects.filter(pk=request_id).update(token_hash=_token_hash(token))
    return token


def _send_manage_link(request_id: int) -> None:
    link_request = ManageLinkRequest.objects.select_related("recurring").get(pk=request_id)
    # In the language of the page the donor asked from, whatever the gift's.
    with translation.override(link_request.language):
        _send_manage_link_in_language(link_request)


def _send_manage_link_in_language(link_request: ManageLinkRequest) -> None:
    email = link_request.recurring.email
    token = donor_manage_link_token_create(request_id=link_request.pk)
    context = {
        "url": absolute_url(reverse("donations:manage_open", kwargs={"token": token})),
        "hours": settings.DONATION_MANAGE_LINK_MAX_AGE // 3600,
        "organization": settings.ORGANIZATION_NAME,
    }
    with translation.override(link_request.language):
        subject = _("Manage your monthly gift to %(organization)s") % context
        message = templated_email(
            "emails/donations/manage_link", context, subject=subject, to=[email], language=link_request.language
        )
    message.send()


def _invalid() -> ValidationError:
    return ValidationError(_("This link is not valid. Please ask for a new one."), code="link_invalid")


def donor_manage_link_check(*, token: str, now=None) -> ManageLinkRequest:
    """The request a link belongs to, if it can still be used; reads only (a mail scanner that
    follows the link uses nothing up)."""
    now = now or timezone.now()
    link = ManageLinkRequest.objects.select_related("recurring").filter(token_hash=_token_hash(token)).first()
    if link is None:
        raise _invalid()
    if link.used_at is not None:
        raise ValidationError(_("This link has already been used. Please ask for a new one."), code="link_used")
    if link.created_at < now - timedelta(seconds=settings.DONATION_MANAGE_LINK_MAX_AGE):
        raise ValidationError(_("This link has expired. Please ask for a new one."), code="link_expired")
    return link


def donor_portal_open(*, token: str) -> PortalOpen:
    """Use the link (once) and return where to send the donor: a Customer Portal session, or the
    demo portal. If Stripe fails, the link is given back so the donor can try again."""
    now = timezone.now()
    link = donor_manage_link_check(token=token, now=now)
    used = ManageLinkRequest.objects.filter(pk=link.pk, used_at__isnull=True).update(used_at=now)
    if not used:  # a second click that raced the first
        raise ValidationError(_("This link has already been used. Please ask for a new one."), code="link_used")
    recurring = _latest_recurring(link.recurring.email)
    if recurring is None:
        raise _invalid()
    if payments_are_demo():
        require_demo()
        return PortalOpen(url=reverse("donations:demo_portal"), recurring_id=recurring.pk)
    customer = recurring.stripe_customer_id
    # One portal session per donor per minute: a retry after an error reuses it; a later visit gets
    # a fresh one (portal sessions are short-lived).
    minute = int(time.time() // 60)
    key_source = f"{customer}-{minute}".encode()
    try:
        url = stripe_gateway.billing_portal_session_create(
            customer_id=customer,
            return_url=absolute_url(reverse("donations:donate")),
            # The language of the page the donor opened the link on.
            locale=active_language(),
            idempotency_key=f"portal-{hashlib.sha256(key_source).hexdigest()[:32]}",
        )
    except stripe_gateway.PaymentProviderError as exc:
        ManageLinkRequest.objects.filter(pk=link.pk, used_at=now).update(used_at=None)
        raise ValidationError(
            _("We could not open your donor page right now. Please try again in a moment."), code="provider_error"
        ) from exc
    return PortalOpen(url=url, recurring_id=recurring.pk)
