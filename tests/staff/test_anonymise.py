"""`manage.py anonymise_person EMAIL`: personal data gone, totals and counts unchanged."""

import pytest
from django.core.management import CommandError, call_command
from django.utils import timezone

from advocacy.models import Campaign, Delivery, Letter, Supporter
from donations.models import Appeal, Donation, RecurringDonation, StripeEvent
from staff.services import person_anonymise

from . import factories

EMAIL = "Maria.Lopez@Example.org"


@pytest.fixture
def maria(db):
    """Maria gave twice (once monthly, since cancelled) and wrote to Congress."""
    appeal = factories.appeal(goal_cents=100_000)
    monthly = factories.recurring(email=EMAIL, name="Maria Lopez", status=RecurringDonation.Status.CANCELED,
                                  stripe_customer_id="cus_maria")
    factories.donation(appeal=appeal, email=EMAIL, name="Maria Lopez", amount_cents=5000, tribute_name="Abuela Rosa",
                       consent_updates=True, stripe_customer_id="cus_maria")
    factories.donation(appeal=appeal, recurring=monthly, email=EMAIL.lower(), name="Maria Lopez", amount_cents=1000)
    factories.donation(appeal=appeal, email="someone.else@example.org", name="Someone Else", amount_cents=700)
    factories.stripe_event(payload={"data": {"object": {"customer_details": {"email": EMAIL, "name": "Maria Lopez"}}}})
    factories.stripe_event(payload={"data": {"object": {"customer_details": {"email": "someone.else@example.org"}}}})
    supporter = factories.supporter(email=EMAIL.lower(), first_name="Maria", last_name="Lopez",
                                    consented_at=timezone.now())
    campaign = factories.campaign(goal=10)
    letter = factories.letter(campaign=campaign, supporter=supporter, first_name="Maria", last_name="Lopez",
                              street="12 Pine St", phone="206-555-0199", own_words="My daughter crossed alone.")
    factories.delivery(letter=letter, status=Delivery.Status.SENT, office_code="HWA07",
                       statement="Maria Lopez of Seattle writes.", personal="My daughter crossed alone.")
    factories.letter(campaign=campaign)  # someone else's letter
    return appeal, campaign


def totals(appeal, campaign):
    return {
        "donations": Donation.objects.totals(),
        "appeal_raised": Appeal.objects.with_raised().get(pk=appeal.pk).raised_cents,
        "letters": Campaign.objects.with_letter_count().get(pk=campaign.pk).letter_count,
        "offices": list(Delivery.objects.office_report()),
        "rows": [m.objects.count() for m in (Donation, RecurringDonation, Supporter, Letter, Delivery, StripeEvent)],
    }


def personal_text() -> str:
    """Every field of every row that could carry Maria's data, history tables included."""
    chunks = []
    for model in (Donation, RecurringDonation, Supporter, Letter, Delivery, StripeEvent):
        chunks += [str(row) for row in model.objects.values()]
    chunks += [str(row) for row in Donation.history.values()]
    return " ".join(chunks).lower()


def test_personal_data_is_removed_and_totals_stay(maria, capsys):
    appeal, campaign = maria
    before = totals(appeal, campaign)
    assert "maria" in personal_text()

    call_command("anonymise_person", EMAIL)

    out = capsys.readouterr().out
    assert "Anonymised 2 donations." in out
    assert "Anonymised 1 letters." in out
    text = personal_text()
    for trace in ("maria", "lopez", "pine st", "555-0199", "my daughter", "abuela", "cus_maria"):
        assert trace not in text, trace
    assert "someone else" in text  # other people untouched
    assert totals(appeal, campaign) == before
    letter = Letter.objects.get(supporter__email__endswith="anonymised.invalid")
    assert letter.state == "WA"  # which offices were written to stays
    assert not Donation.objects.filter(consent_updates=True).exists()
    assert not Supporter.objects.filter(consented_at__isnull=False, email__endswith="anonymised.invalid").exists()


def test_running_it_again_changes_nothing(maria, capsys):
    call_command("anonymise_person", EMAIL)
    snapshot = personal_text()
    capsys.readouterr()
    call_command("anonymise_person", EMAIL)
    assert "No personal data found" in capsys.readouterr().out
    assert personal_text() == snapshot


def test_dry_run_only_reports(maria, capsys):
    before = personal_text()
    call_command("anonymise_person", EMAIL, "--dry-run")
    assert "Would anonymise 2 donations." in capsys.readouterr().out
    assert personal_text() == before


def test_a_live_monthly_gift_must_be_cancelled_first(maria):
    factories.recurring(email=EMAIL, status=RecurringDonation.Status.ACTIVE)
    before = personal_text()
    with pytest.raises(CommandError, match="still live"):
        call_command("anonymise_person", EMAIL)
    assert personal_text() == before


@pytest.mark.django_db
def test_a_malformed_address_is_refused():
    with pytest.raises(CommandError, match="email address"):
        call_command("anonymise_person", "not-an-address")


@pytest.mark.django_db
def test_the_service_reports_what_it_found(maria):
    report = person_anonymise(email=EMAIL, dry_run=True)
    assert report.counts == {
        "recurring donations": 1, "donations": 2, "Stripe event payloads": 1, "supporters": 1, "letters": 1,
        "deliveries": 1,
    }
