"""Staff-side writes: erasing a person's data on request."""

import logging
from dataclasses import dataclass, field
from importlib import import_module

from django.apps import apps
from django.conf import settings
from django.core.exceptions import ValidationError
from django.db import transaction
from django.db.models import Q, QuerySet
from django.utils import timezone
from django.utils.translation import gettext as _

logger = logging.getLogger(__name__)

ANONYMOUS_DOMAIN = "anonymized.invalid"  # .invalid never resolves (RFC 2606): no mail can leave
REDACTED_PAYLOAD = {"redacted": "personal data removed on request"}
ERASED_REPR = "(personal data removed on request)"

# Monthly gifts that Stripe may still charge: their donor must keep an address until canceled.
_LIVE_SUBSCRIPTION = ("active", "trialing", "past_due", "unpaid", "paused")


@dataclass
class AnonymizeReport:
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


def _stripe_ids(donations, recurring) -> set[str]:
    """Every Stripe id of the person's gifts: events that carry no email (an invoice, a refund, a
    subscription update) still name the customer, the subscription, the charge or the session."""
    fields = ["stripe_checkout_session_id", "stripe_payment_intent_id", "stripe_charge_id", "stripe_invoice_id",
              "stripe_customer_id"]
    ids = {value for row in donations.values_list(*fields) for value in row}
    ids |= {value for row in recurring.values_list("stripe_subscription_id", "stripe_customer_id") for value in row}
    return {value for value in ids if value}


def _events_naming(StripeEvent, *, email: str, stripe_ids: set[str]):
    match = Q(payload__icontains=email)
    for value in stripe_ids:
        match |= Q(payload__icontains=value)
    return StripeEvent.objects.filter(match).exclude(payload=REDACTED_PAYLOAD)


def _sessions_holding(*, email: str, letter_ids: set[int]) -> dict[str, dict]:
    """Live sessions with the person's unsent letter draft (its email) or thank-you (their letter):
    session key -> the session's data without those entries."""
    from advocacy.services import SignDraft, SignThanks

    Session = apps.get_model("sessions", "Session")
    store = import_module(settings.SESSION_ENGINE).SessionStore()
    found = {}
    live = Session.objects.filter(expire_date__gt=timezone.now()).values_list("pk", "session_data")
    for key, data in live.iterator():
        decoded = store.decode(data)
        mine = [
            name for name, value in decoded.items()
            if isinstance(value, dict) and (
                (name.startswith(SignDraft.session_prefix) and str(value.get("email", "")).lower() == email.lower())
                or (name.startswith(SignThanks.session_prefix) and value.get("letter") in letter_ids)
            )
        ]
        if mine:
            found[key] = {name: value for name, value in decoded.items() if name not in mine}
    return found


def _admin_log_entries(*, email: str, objects: dict) -> QuerySet:
    """Admin log lines about the person's rows, and any whose text names their email."""
    from django.contrib.admin.models import LogEntry
    from django.contrib.contenttypes.models import ContentType

    match = Q(object_repr__icontains=email) | Q(change_message__icontains=email)
    for model, pks in objects.items():
        if pks:
            content_type = ContentType.objects.get_for_model(model)
            match |= Q(content_type=content_type, object_id__in=[str(pk) for pk in pks])
    return LogEntry.objects.filter(match).exclude(object_repr=ERASED_REPR, change_message="")


@transaction.atomic
def person_anonymize(*, email: str, dry_run: bool = False) -> AnonymizeReport:
    """Remove a supporter's or donor's personal data, found by email address.

    Names, addresses, phone numbers, their own words and email addresses are blanked or replaced
    by a placeholder; amounts, dates, statuses, campaigns and the offices written to stay, so
    donation totals, campaign counters and delivery reports do not change. Raises
    ValidationError (nothing changed) while a monthly gift is still live at Stripe."""
    email = email.strip()
    if "@" not in email:
        raise ValidationError(_("Give the person's email address."), code="invalid_email")
    report = AnonymizeReport(email=email)

    objects: dict = {}  # model -> the person's pks, for the admin log
    RecurringDonation = _model("donations.RecurringDonation")
    Donation = _model("donations.Donation")
    stripe_ids: set[str] = set()
    if RecurringDonation is not None and Donation is not None:
        recurring = list(RecurringDonation.objects.filter(email__iexact=email).values_list("pk", "status"))
        live = [pk for pk, status in recurring if status in _LIVE_SUBSCRIPTION]
        if live:
            raise ValidationError(
                _("This address has a monthly gift that is still live (%(ids)s): cancel it first, then run "
                  "this again.") % {"ids": ", ".join(f"#{pk}" for pk in live)},
                code="live_subscription",
            )
        recurring_pks = [pk for pk, _status in recurring]
        donation_pks = list(Donation.objects.filter(email__iexact=email).values_list("pk", flat=True))
        # Read before the customer ids are blanked below.
        stripe_ids = _stripe_ids(Donation.objects.filter(pk__in=donation_pks),
                                 RecurringDonation.objects.filter(pk__in=recurring_pks))
        objects.update({RecurringDonation: recurring_pks, Donation: donation_pks})
        report.counts["recurring donations"] = len(recurring_pks)
        report.counts["donations"] = len(donation_pks)
        ManageLinkRequest = apps.get_model("donations", "ManageLinkRequest")
        links = ManageLinkRequest.objects.filter(recurring__in=recurring_pks)
        objects[ManageLinkRequest] = list(links.values_list("pk", flat=True))
        report.counts["manage links"] = len(objects[ManageLinkRequest])
        if not dry_run:
            _replace_each(RecurringDonation, "recurring", recurring_pks, name="", stripe_customer_id="")
            _replace_each(Donation, "donation", donation_pks, name="", tribute_name="", consent_updates=False,
                          stripe_customer_id="")
            links.delete()

    StripeEvent = _model("donations.StripeEvent")
    if StripeEvent is not None:
        # The raw webhook bodies carry the donor's name, address and email, or their Stripe ids.
        events = _events_naming(StripeEvent, email=email, stripe_ids=stripe_ids)
        objects[StripeEvent] = list(events.values_list("pk", flat=True))
        report.counts["Stripe event payloads"] = len(objects[StripeEvent])
        if not dry_run:
            StripeEvent.objects.filter(pk__in=objects[StripeEvent]).update(payload=REDACTED_PAYLOAD, result="")

    Supporter = _model("advocacy.Supporter")
    letter_pks: list[int] = []
    if Supporter is not None:
        supporter_pks = list(Supporter.objects.filter(email__iexact=email).values_list("pk", flat=True))
        report.counts["supporters"] = len(supporter_pks)
        Letter = apps.get_model("advocacy", "Letter")
        Delivery = apps.get_model("advocacy", "Delivery")
        StatusLink = apps.get_model("advocacy", "StatusLink")
        letter_pks = list(Letter.objects.filter(supporter__in=supporter_pks).values_list("pk", flat=True))
        report.counts["letters"] = len(letter_pks)
        delivery_pks = list(Delivery.objects.filter(letter__in=letter_pks).values_list("pk", flat=True))
        report.counts["deliveries"] = len(delivery_pks)
        links = StatusLink.objects.filter(letter__in=letter_pks)
        report.counts["status links"] = links.count()
        objects.update({Supporter: supporter_pks, Letter: letter_pks, Delivery: delivery_pks})
        Consent = _model("advocacy.Consent")
        if Consent is not None:
            objects[Consent] = list(Consent.objects.filter(letter__in=letter_pks).values_list("pk", flat=True))
        if not dry_run:
            _replace_each(Supporter, "supporter", supporter_pks, first_name="", last_name="", consented_at=None)
            # State and district stay: they say which offices were written to, not who wrote.
            _update_with_history(
                Letter, letter_pks, first_name="", last_name="", street="", city="", zip_code="", phone="",
                own_words="", personal_erased_at=timezone.now(),
            )
            # What went to the offices was filled in with the writer's name and words; an office's
            # error answer may quote them back.
            _update_with_history(Delivery, delivery_pks, subject="", statement="", personal="", last_error="")
            DeliveryAttempt = _model("advocacy.DeliveryAttempt")
            if DeliveryAttempt is not None:
                DeliveryAttempt.objects.filter(delivery__in=delivery_pks).update(answer="")
            # The status page listed the offices written to: no link opens it any more.
            links.delete()
            Consent = _model("advocacy.Consent")
            if Consent is not None:
                # Their consent to updates is withdrawn with everything else.
                Consent.objects.filter(letter__in=letter_pks).delete()

    sessions = _sessions_holding(email=email, letter_ids=set(letter_pks))
    report.counts["sessions"] = len(sessions)
    log_entries = _admin_log_entries(email=email, objects=objects)
    report.counts["admin log entries"] = log_entries.count()
    if not dry_run:
        Session = apps.get_model("sessions", "Session")
        store = import_module(settings.SESSION_ENGINE).SessionStore()
        for key, remaining in sessions.items():
            Session.objects.filter(pk=key).update(session_data=store.encode(remaining))
        # Which row was changed, when and by whom stays; what it was called (a name, an email) goes.
        log_entries.update(object_repr=ERASED_REPR, change_message="")

    if not dry_run and report.found:
        # Counts only: the address itself must not reach the logs.
        logger.info("anonymized on request: %s", ", ".join(f"{k}={v}" for k, v in report.counts.items()))
    return report
