"""Donor self-service: a monthly donor asks for a signed link by email and follows it to Stripe's
Customer Portal (or the demo portal) to change or stop the gift."""

import hashlib
import time

from django.conf import settings
from django.core import signing
from django.core.exceptions import ValidationError
from django.core.mail import EmailMultiAlternatives
from django.db import transaction
from django.template.loader import render_to_string
from django.urls import reverse
from django.utils import timezone, translation
from django.utils.translation import gettext as _

from core.claims import SendOnce

from .. import stripe_gateway
from ..models import ManageLinkRequest, RecurringDonation
from .amounts import absolute_url, payments_are_demo, require_demo

MANAGE_LINK_SALT = "donations.manage-link"


def _latest_recurring(email: str) -> RecurringDonation | None:
    # Only a gift Stripe knows a customer for can be managed in the portal.
    return RecurringDonation.objects.for_email(email).exclude(stripe_customer_id="").order_by("-created_at").first()


def donor_manage_link_request(*, email: str) -> None:
    """Queue a signed link for a monthly donor. Does the same visible thing for anyone, so the
    answer never tells whether an address belongs to a donor."""
    from ..tasks import donor_manage_link_send_task

    recurring = _latest_recurring(email)
    if recurring is None:
        return
    with transaction.atomic():
        link_request = ManageLinkRequest.objects.create(recurring=recurring)
        donor_manage_link_send_task.delay_on_commit(link_request.pk)


def manage_links_owed():
    return ManageLinkRequest.objects.filter(sent_at__isnull=True)


def donor_manage_link_send(*, request_id: int) -> bool:
    """Email the link once; True if this call sent it (claimed under a lease, as receipts are)."""
    return SendOnce(manage_links_owed(), claimed_field="claimed_at").run(
        request_id, _send_manage_link, stamp={"sent_at": timezone.now}
    )


def _send_manage_link(request_id: int) -> None:
    link_request = ManageLinkRequest.objects.select_related("recurring").get(pk=request_id)
    email = link_request.recurring.email
    token = signing.dumps({"email": email.lower()}, salt=MANAGE_LINK_SALT)
    context = {
        "url": absolute_url(reverse("donations:manage_open", kwargs={"token": token})),
        "hours": settings.DONATION_MANAGE_LINK_MAX_AGE // 3600,
        "organization": settings.ORGANIZATION_NAME,
    }
    with translation.override(settings.LANGUAGE_CODE):
        subject = _("Manage your monthly gift to %(organization)s") % context
        text = render_to_string("emails/donations/manage_link.txt", context)
        html = render_to_string("emails/donations/manage_link.html", context)
    message = EmailMultiAlternatives(subject, text, settings.DEFAULT_FROM_EMAIL, [email])
    message.attach_alternative(html, "text/html")
    message.send()


def donor_email_from_token(*, token: str) -> str:
    try:
        data = signing.loads(token, salt=MANAGE_LINK_SALT, max_age=settings.DONATION_MANAGE_LINK_MAX_AGE)
    except signing.SignatureExpired as exc:
        raise ValidationError(_("This link has expired. Please ask for a new one."), code="link_expired") from exc
    except signing.BadSignature as exc:
        raise ValidationError(_("This link is not valid. Please ask for a new one."), code="link_invalid") from exc
    return data["email"]


def donor_portal_open(*, token: str) -> str:
    """Where to send a donor who followed a valid link: a Customer Portal session (or the demo one)."""
    email = donor_email_from_token(token=token)
    recurring = _latest_recurring(email)
    if recurring is None:
        raise ValidationError(_("This link is not valid. Please ask for a new one."), code="link_invalid")
    if payments_are_demo():
        require_demo()
        return reverse("donations:demo_portal", kwargs={"token": token})
    customer = recurring.stripe_customer_id
    # One portal session per donor per minute: a double click reuses it; a later visit gets a fresh
    # one (portal sessions are short-lived).
    minute = int(time.time() // 60)
    key_source = f"{customer}-{minute}".encode()
    try:
        return stripe_gateway.billing_portal_session_create(
            customer_id=customer,
            return_url=absolute_url(reverse("donations:donate")),
            idempotency_key=f"portal-{hashlib.sha256(key_source).hexdigest()[:32]}",
        )
    except stripe_gateway.PaymentProviderError as exc:
        raise ValidationError(
            _("We could not open your donor page right now. Please try again in a moment."), code="provider_error"
        ) from exc
