"""The tax receipt for a paid gift: sent once, claimed under a lease (core.claims.SendOnce), never
while holding a row lock over SMTP."""

from django.conf import settings
from django.core.mail import EmailMultiAlternatives
from django.urls import reverse
from django.utils import timezone, translation
from django.utils.translation import gettext as _

from core.claims import SendOnce
from core.mail import templated_email
from core.money import format_money

from ..models import Donation
from .amounts import absolute_url


def receipts_owed():
    """Paid gifts whose receipt has not gone out (a gift without an address gets none, a held one neither)."""
    return (
        Donation.objects.filter(paid_at__isnull=False, receipt_sent_at__isnull=True)
        .exclude(email="")
        .exclude(status=Donation.Status.HELD)  # held for staff: the amount is not the one the donor chose
    )


def donation_receipt_send(*, donation_id: int) -> bool:
    """Email the receipt once; True if this call sent it. Two workers given the same gift: one
    claims it, the other does nothing; a worker killed mid-send leaves a claim that expires after
    the lease (settings.CLAIM_LEASE_SECONDS), and the sweeper queues the gift again."""
    return SendOnce(receipts_owed(), claimed_field="receipt_claimed_at").run(
        donation_id, _send_receipt, stamp={"receipt_sent_at": timezone.now}
    )


def _send_receipt(donation_id: int) -> None:
    donation = Donation.objects.select_related("appeal", "recurring").get(pk=donation_id)
    receipt_message(donation).send()


def receipt_message(donation: Donation) -> EmailMultiAlternatives:
    """The receipt in the language the donor gave in (amounts, dates and links too)."""
    with translation.override(donation.language):
        return _receipt_message(donation)


def _receipt_message(donation: Donation) -> EmailMultiAlternatives:
    amount = format_money(donation.amount_cents, donation.currency)
    code = donation.currency.upper()
    context = {
        "donation": donation,
        "amount": amount,
        # A receipt names the currency; a currency with no symbol of its own already shows its code.
        "currency": "" if amount.startswith(code) else code,
        "legal_name": settings.ORGANIZATION_LEGAL_NAME,
        "ein": settings.ORGANIZATION_EIN,
        "address": settings.ORGANIZATION_ADDRESS,
        "organization": settings.ORGANIZATION_NAME,
        "manage_url": absolute_url(reverse("donations:manage")),
    }
    with translation.override(donation.language):
        subject = _("Your receipt from %(organization)s (%(number)s)") % {
            "organization": settings.ORGANIZATION_NAME,
            "number": donation.receipt_number,
        }
        return templated_email(
            "emails/donations/receipt", context, subject=subject, to=[donation.email], language=donation.language,
            message_key=f"receipt-{donation.reference}",
        )
