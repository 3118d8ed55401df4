"""`manage.py anonymize_person EMAIL`: personal data gone, totals and counts unchanged."""

import pytest
from django.contrib.admin.models import CHANGE, LogEntry
from django.contrib.auth import get_user_model
from django.contrib.sessions.backends.db import SessionStore
from django.contrib.sessions.models import Session
from django.core.management import CommandError, call_command
from django.utils import timezone

from advocacy import services as advocacy_services
from advocacy.models import Campaign, Consent, Delivery, DeliveryAttempt, Letter, Supporter
from donations.models import Appeal, Donation, ManageLinkRequest, RecurringDonation, StripeEvent
from staff.services import person_anonymize

from . import factories

EMAIL = "Maria.Lopez@Example.org"


@pytest.fixture
def maria(db):
    """Maria gave twice (once monthly, since canceled) and wrote to Congress."""
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

    call_command("anonymize_person", EMAIL)

    out = capsys.readouterr().out
    assert "Anonymized 2 donations." in out
    assert "Anonymized 1 letters." in out
    text = personal_text()
    for trace in ("maria", "lopez", "pine st", "555-0199", "my daughter", "abuela", "cus_maria"):
        assert trace not in text, trace
    assert "someone else" in text  # other people untouched
    assert totals(appeal, campaign) == before
    letter = Letter.objects.get(supporter__email__endswith="anonymized.invalid")
    assert letter.state == "WA"  # which offices were written to stays
    assert not Donation.objects.filter(consent_updates=True).exists()
    assert not Supporter.objects.filter(consented_at__isnull=False, email__endswith="anonymized.invalid").exists()


def test_running_it_again_changes_nothing(maria, capsys):
    call_command("anonymize_person", EMAIL)
    snapshot = personal_text()
    capsys.readouterr()
    call_command("anonymize_person", EMAIL)
    assert "No personal data found" in capsys.readouterr().out
    assert personal_text() == snapshot


def test_dry_run_only_reports(maria, capsys):
    before = personal_text()
    call_command("anonymize_person", EMAIL, "--dry-run")
    assert "Would anonymize 2 donations." in capsys.readouterr().out
    assert personal_text() == before


def test_a_live_monthly_gift_must_be_cancelled_first(maria):
    factories.recurring(email=EMAIL, status=RecurringDonation.Status.ACTIVE)
    before = personal_text()
    with pytest.raises(CommandError, match="still live"):
        call_command("anonymize_person", EMAIL)
    assert personal_text() == before


@pytest.mark.django_db
def test_a_malformed_address_is_refused():
    with pytest.raises(CommandError, match="email address"):
        call_command("anonymize_person", "not-an-address")


@pytest.mark.django_db
def test_the_service_reports_what_it_found(maria):
    report = person_anonymize(email=EMAIL, dry_run=True)
    assert report.counts == {
        "recurring donations": 1, "donations": 2, "manage links": 0, "Stripe event payloads": 1, "supporters": 1,
        "letters": 1, "deliveries": 1, "status links": 0, "sessions": 0, "admin log entries": 0,
    }


@pytest.fixture
def maria_everywhere(maria):
    """Maria's traces beyond her own rows: what the erasure used to leave behind."""
    supporter = Supporter.objects.get(email=EMAIL.lower())
    letter = supporter.letters.get()
    Delivery.objects.filter(letter=letter).update(last_error="Rejected: constituent Maria Lopez, 12 Pine St")
    DeliveryAttempt.objects.create(delivery=letter.deliveries.get(), started_at=timezone.now(),
                                   outcome=DeliveryAttempt.Outcome.REJECTED, answer="<Error>Maria Lopez</Error>")
    # Stripe events that name her customer or subscription but not her email.
    factories.stripe_event(type="invoice.paid", payload={"data": {"object": {"customer": "cus_maria"}}})
    monthly = RecurringDonation.objects.get(email=EMAIL)
    factories.stripe_event(type="customer.subscription.updated",
                           payload={"data": {"object": {"id": monthly.stripe_subscription_id}}})
    factories.stripe_event(type="invoice.paid", payload={"data": {"object": {"customer": "cus_someone_else"}}})
    # The admin's log of changes names the rows it was about.
    staff = get_user_model().objects.create_user(username="finance", password="x" * 20, is_staff=True)
    for row in (supporter, letter, Donation.objects.filter(email=EMAIL).first()):
        LogEntry.objects.log_actions(user_id=staff.pk, queryset=[row], action_flag=CHANGE,
                                     change_message=f"Changed email for {row}", single_object=True)
    LogEntry.objects.log_actions(user_id=staff.pk, queryset=[Supporter.objects.exclude(pk=supporter.pk).first()
                                                             or factories.supporter()], action_flag=CHANGE)
    # An unsent draft and a thank-you page in live sessions; someone else's draft beside them.
    for data in ({"advocacy:draft:protect": {"email": EMAIL.lower(), "street": "12 Pine St", "first_name": "Maria"}},
                 {"advocacy:thanks:protect": {"letter": letter.pk, "new": ["Rep. X"], "already": []}, "other": 1},
                 {"advocacy:draft:protect": {"email": "someone.else@example.org", "street": "1 Elm St"}}):
        store = SessionStore()
        store.update(data)
        store.create()
    status_url = advocacy_services.letter_status_url(letter)
    ManageLinkRequest.objects.create(recurring=monthly)
    Consent.objects.create(letter=letter, wording="Send me updates", confirmed_at=timezone.now())
    Consent.objects.create(letter=factories.letter(), wording="Send me updates")  # someone else's
    return status_url


def everything_else_text() -> str:
    store = SessionStore()
    sessions = [str(store.decode(data)) for data in Session.objects.values_list("session_data", flat=True)]
    logs = [f"{e.object_repr} {e.change_message}" for e in LogEntry.objects.all()]
    attempts = [str(row) for row in DeliveryAttempt.objects.values()]
    return " ".join([personal_text(), *sessions, *logs, *attempts]).lower()


def test_the_erasure_reaches_the_admin_log_sessions_errors_events_and_status_link(maria_everywhere, client):
    status_url = maria_everywhere
    assert client.get(status_url).status_code == 200
    assert "pine st" in everything_else_text() and "cus_maria" in everything_else_text()

    report = person_anonymize(email=EMAIL)

    text = everything_else_text()
    for trace in ("maria", "lopez", "pine st", "555-0199", "my daughter", "cus_maria"):
        assert trace not in text, trace
    # The event naming only her subscription is redacted too (the gift row keeps the id: it is Stripe's key).
    assert not StripeEvent.objects.filter(type="customer.subscription.updated").exclude(
        payload={"redacted": "personal data removed on request"}).exists()
    assert "someone.else@example.org" in text and "1 elm st" in text and "cus_someone_else" in text
    assert client.get(status_url).status_code == 404  # the page that listed the offices she wrote to
    assert not ManageLinkRequest.objects.exists()
    assert Consent.objects.count() == 1 and Consent.objects.get().letter.supporter.email != EMAIL.lower()
    assert report.counts["Stripe event payloads"] == 3
    assert report.counts["admin log entries"] == 3 and report.counts["sessions"] == 2
    assert LogEntry.objects.count() == 4  # who changed what and when stays
    sessions = [SessionStore().decode(data) for data in Session.objects.values_list("session_data", flat=True)]
    assert {"other": 1} in sessions and len(sessions) == 3  # only her entries left each session
    assert person_anonymize(email=EMAIL, dry_run=True).counts["admin log entries"] == 0  # nothing left to find
