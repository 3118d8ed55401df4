"""Small builders for the records the staff tools read (kept here, independent of the other
apps' test factories, which may change shape as those apps grow)."""

import itertools

from django.utils import timezone

from advocacy.models import Campaign, Delivery, Letter, Supporter
from donations.models import Appeal, Donation, RecurringDonation, StripeEvent, SuggestedAmount

_seq = itertools.count(1)


def campaign(**fields) -> Campaign:
    n = next(_seq)
    values = {
        "title": f"Campaign {n}", "slug": f"campaign-{n}", "summary": "Protect children.",
        "ask": "Please act.", "title_es": f"Campaña {n}", "summary_es": "Proteger a la niñez.",
        "ask_es": "Actúe, por favor.", "subject_template": "Protect children", "body_template": "Dear {member_name}",
        "status": Campaign.Status.LIVE, "goal": 100,
    }
    return Campaign.objects.create(**{**values, **fields})


def supporter(**fields) -> Supporter:
    n = next(_seq)
    values = {"email": f"supporter{n}@example.org", "first_name": "Ana", "last_name": f"Perez{n}"}
    return Supporter.objects.create(**{**values, **fields})


def letter(**fields) -> Letter:
    values = {
        "prefix": "Ms.", "first_name": "Ana", "last_name": "Perez", "street": "1 Main St", "city": "Seattle",
        "state": "WA", "zip_code": "98109", "phone": "206-555-0100", "own_words": "My own story.",
    }
    values.update(fields)
    # Not setdefault: its default would be built (a stray row) even when one is given.
    if "campaign" not in values:
        values["campaign"] = campaign()
    if "supporter" not in values:
        values["supporter"] = supporter()
    return Letter.objects.create(**values)


def delivery(**fields) -> Delivery:
    n = next(_seq)
    values = {
        "recipient_key": f"office:{n}", "recipient_name": f"Rep. Office {n}", "office_code": f"HWA{n % 10:02d}",
        "subject": "Protect children, from Ana Perez", "statement": "Dear member, Ana Perez of Seattle writes.",
        "personal": "My own story.", "backend": Delivery.Backend.CONSOLE, "status": Delivery.Status.QUEUED,
    }
    values.update(fields)
    if values["status"] == Delivery.Status.SENT:
        values.setdefault("sent_at", timezone.now())
    if "letter" not in values:
        values["letter"] = letter()
    return Delivery.objects.create(**values)


def appeal(*, amounts=(2500, 5000), **fields) -> Appeal:
    n = next(_seq)
    values = {"title": f"Appeal {n}", "title_es": f"Llamado {n}", "slug": f"appeal-{n}"}
    return with_amounts(Appeal.objects.create(**{**values, **fields}), amounts)


def with_amounts(appeal: Appeal, amounts) -> Appeal:
    """The appeal's amount buttons, in the order given: cents, or (cents, English line, Spanish line)."""
    rows = []
    for position, amount in enumerate(amounts):
        cents, english, spanish = amount if isinstance(amount, tuple) else (amount, "", "")
        rows.append(SuggestedAmount(appeal=appeal, amount_cents=cents, position=position, impact_line=english,
                                    impact_line_en=english, impact_line_es=spanish))
    SuggestedAmount.objects.bulk_create(rows)
    return appeal


def donation(**fields) -> Donation:
    values = {
        "amount_cents": 2500, "email": "donor@example.org", "name": "Dana Donor", "status": Donation.Status.SUCCEEDED,
        "paid_at": timezone.now(),
    }
    return Donation.objects.create(**{**values, **fields})


def recurring(**fields) -> RecurringDonation:
    n = next(_seq)
    values = {
        "email": "donor@example.org", "name": "Dana Donor", "amount_cents": 1000,
        "stripe_subscription_id": f"sub_{n}", "status": RecurringDonation.Status.ACTIVE,
    }
    return RecurringDonation.objects.create(**{**values, **fields})


def stripe_event(**fields) -> StripeEvent:
    n = next(_seq)
    values = {"stripe_event_id": f"evt_{n}", "type": "checkout.session.completed", "created": 1_700_000_000 + n,
              "payload": {"id": f"evt_{n}"}}
    return StripeEvent.objects.create(**{**values, **fields})
