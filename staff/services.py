"""Staff-side writes: erasing a person's data on request."""

import logging
from dataclasses import dataclass, field

from django.apps import apps
from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils.translation import gettext as _

logger = logging.getLogger(__name__)

ANONYMOUS_DOMAIN = "anonymised.invalid"  # .invalid never resolves (RFC 2606): no mail can leave
REDACTED_PAYLOAD = {"redacted": "personal data removed on request"}

# Monthly gifts that Stripe may still charge: their donor must keep an address until cancelled.
_LIVE_SUBSCRIPTION = ("active", "trialing", "past_due", "unpaid", "paused")


@dataclass
class AnonymiseReport:
    email: str
    counts: dict[str, int] = field(default_factory=dict)

    @property
    def found(self) -> bool:
        return any(self.counts.values())


def _model(label):
    try:
        return apps.get_model(label)
    except LookupError:
        return None


def _placeholder(kind: str, pk: int) -> str:
    return f"{kind}-{pk}@{ANONYMOUS_DOMAIN}"


def _update_with_history(model, pks, **values) -> int:
    """Update rows and their simple-history copies alike: a history table that kept the old
    name would undo the erasure."""
    updated = model.objects.filter(pk__in=pks).update(**values)
    history = getattr(model, "history", None)
    if history is not None:
        history.filter(id__in=pks).update(**values)
    return updated


def _replace_each(model, kind: str, pks, **blanks) -> None:
    """Give each row its own placeholder address (built from its pk, so one UPDATE a row) and
    blank the other personal fields."""
    for pk in pks:
        _update_with_history(model, [pk], email=_placeholder(kind, pk), **blanks)


@transaction.atomic
def person_anonymise(*, email: str, dry_run: bool = False) -> AnonymiseReport:
    """Remove a supporter's or donor's personal data, found by email address.

    Names, addresses, phone numbers, their own words and email addresses are blanked or replaced
    by a placeholder; amounts, dates, statuses, campaigns and the offices written to stay, so
    donation totals, campaign counters and delivery reports do not change. Raises
    ValidationError (nothing changed) while a monthly gift is still live at Stripe."""
    email = email.strip()
    if "@" not in email:
        raise ValidationError(_("Give the person's email address."), code="invalid_email")
    report = AnonymiseReport(email=email)

    RecurringDonation = _model("donations.RecurringDonation")
    if RecurringDonation is not None:
        recurring = list(RecurringDonation.objects.filter(email__iexact=email).values_list("pk", "status"))
        live = [pk for pk, status in recurring if status in _LIVE_SUBSCRIPTION]
        if live:
            raise ValidationError(
                _("This address has a monthly gift that is still live (%(ids)s): cancel it first, then run "
                  "this again.") % {"ids": ", ".join(f"#{pk}" for pk in live)},
                code="live_subscription",
            )
        report.counts["recurring donations"] = len(recurring)
        if not dry_run:
            _replace_each(RecurringDonation, "recurring", [pk for pk, _status in recurring], name="",
                          stripe_customer_id="")

    Donation = _model("donations.Donation")
    if Donation is not None:
        donation_pks = list(Donation.objects.filter(email__iexact=email).values_list("pk", flat=True))
        report.counts["donations"] = len(donation_pks)
        if not dry_run:
            _replace_each(Donation, "donation", donation_pks, name="", tribute_name="", consent_updates=False,
                          stripe_customer_id="")

    StripeEvent = _model("donations.StripeEvent")
    if StripeEvent is not None:
        # The raw webhook bodies carry the donor's name, address and email.
        events = StripeEvent.objects.filter(payload__icontains=email)
        report.counts["Stripe event payloads"] = events.count()
        if not dry_run:
            events.update(payload=REDACTED_PAYLOAD)

    Supporter = _model("advocacy.Supporter")
    if Supporter is not None:
        supporter_pks = list(Supporter.objects.filter(email__iexact=email).values_list("pk", flat=True))
        report.counts["supporters"] = len(supporter_pks)
        Letter = apps.get_model("advocacy", "Letter")
        Delivery = apps.get_model("advocacy", "Delivery")
        letter_pks = list(Letter.objects.filter(supporter__in=supporter_pks).values_list("pk", flat=True))
        report.counts["letters"] = len(letter_pks)
        delivery_pks = list(Delivery.objects.filter(letter__in=letter_pks).values_list("pk", flat=True))
        report.counts["deliveries"] = len(delivery_pks)
        if not dry_run:
            _replace_each(Supporter, "supporter", supporter_pks, first_name="", last_name="", consented_at=None)
            # State and district stay: they say which offices were written to, not who wrote.
            _update_with_history(
                Letter, letter_pks, first_name="", last_name="", street="", city="", zip_code="", phone="",
                own_words="",
            )
            # What went to the offices was filled in with the writer's name and words.
            _update_with_history(Delivery, delivery_pks, subject="", statement="", personal="")

    if not dry_run and report.found:
        # Counts only: the address itself must not reach the logs.
        logger.info("anonymised on request: %s", ", ".join(f"{k}={v}" for k, v in report.counts.items()))
    return report
