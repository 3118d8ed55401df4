"""A renewal that fails: the donor gets one email (per failed invoice, whatever Stripe's retries)
with a signed link to the Customer Portal to update the card, sent once under a claim like a
receipt. Stripe's own failed-payment emails are meant to be off (README, "Stripe's emails")."""

from django.conf import settings
from django.urls import reverse
from django.utils import timezone, translation
from django.utils.translation import gettext as _

from core.claims import SendOnce
from core.mail import templated_email
from core.money import format_money

from ..models import Donation, ManageLinkRequest, PaymentFailureNotice
from .amounts import absolute_url
from .self_service import donor_manage_link_token_create


def failure_notices_owed():
    return PaymentFailureNotice.objects.filter(sent_at__isnull=True)


def payment_failure_notice_send(*, notice_id: int) -> bool:
    """Email the donor once; True if this call sent it. Nothing goes if the invoice was paid
    after all (a retry succeeded before the worker got here) or the gift has no address."""
    return SendOnce(failure_notices_owed(), claimed_field="claimed_at").run(
        notice_id, _send_notice, stamp={"sent_at": timezone.now}
    )


def _send_notice(notice_id: int) -> None:
    notice = PaymentFailureNotice.objects.select_related("recurring").get(pk=notice_id)
    # In the language of the checkout that started the monthly gift (links and amount too).
    with translation.override(notice.recurring.language):
        _send_notice_in_language(notice)


def _send_notice_in_language(notice: PaymentFailureNotice) -> None:
    recurring = notice.recurring
    paid = Donation.objects.filter(stripe_invoice_id=notice.stripe_invoice_id, paid_at__isnull=False).exists()
    if paid or not recurring.email or recurring.status == recurring.Status.CANCELED:
        return  # stamped as done: there is nothing to tell
    # The donor's own manage link (one use, DONATION_MANAGE_LINK_MAX_AGE), sent in this email
    # rather than by the manage-link task, so it is stamped sent now.
    link_request = ManageLinkRequest.objects.create(
        recurring=recurring, sent_at=timezone.now(), language=recurring.language
    )
    token = donor_manage_link_token_create(request_id=link_request.pk)
    context = {
        "url": absolute_url(reverse("donations:manage_open", kwargs={"token": token})),
        "manage_url": absolute_url(reverse("donations:manage")),
        "hours": settings.DONATION_MANAGE_LINK_MAX_AGE // 3600,
        "amount": format_money(recurring.amount_cents, recurring.currency),
        "organization": settings.ORGANIZATION_NAME,
    }
    with translation.override(recurring.language):
        subject = _("Your monthly gift to %(organization)s did not go through") % context
        message = templated_email(
            "emails/donations/payment_failed",
            context,
            subject=subject,
            to=[recurring.email],
            language=recurring.language,
            message_key=f"payment-failed-{notice.stripe_invoice_id}",
        )
    message.send()
