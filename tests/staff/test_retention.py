"""The retention job (core.retention, run daily by beat) erases what the README's policy says and
nothing else: expired sessions, a settled letter's street, phone and own words, spent links and
old login records."""

from datetime import timedelta

import pytest
from axes.models import AccessLog
from django.conf import settings
from django.contrib.sessions.backends.db import SessionStore
from django.contrib.sessions.models import Session
from django.core.exceptions import ValidationError
from django.urls import reverse
from django.utils import timezone

from advocacy import services as advocacy_services
from advocacy.models import Campaign, Delivery, DeliveryAttempt, Letter, StatusLink, Supporter
from core import retention
from core.tasks import retention_apply_task

from . import factories

pytestmark = pytest.mark.django_db
ERASED = {"street", "phone", "own_words", "personal_erased_at"}
DAY = timedelta(days=1)


def aged(letter, *deliveries, days):
    """Move a letter and its deliveries `days` into the past (auto_now fields set by update)."""
    then = timezone.now() - days * DAY
    Letter.objects.filter(pk=letter.pk).update(created_at=then - DAY)
    Delivery.objects.filter(pk__in=[d.pk for d in deliveries]).update(updated_at=then)
    return letter


def settled_letter(days, *statuses):
    letter = factories.letter()
    deliveries = [factories.delivery(letter=letter, status=status) for status in statuses]
    return aged(letter, *deliveries, days=days)


def snapshot() -> dict:
    rows = {}
    for model in (Letter, Delivery, Supporter, Campaign):
        for row in model.objects.values():
            rows[(model.__name__, row["id"])] = row
    return rows


@pytest.fixture
def letters():
    sent, failed, pending = Delivery.Status.SENT, Delivery.Status.FAILED, Delivery.Status.QUEUED
    return {
        "sent long ago": settled_letter(31, sent, sent),
        "sent and failed for good long ago": settled_letter(31, sent, failed),
        "one still queued": settled_letter(31, sent, pending),
        "one still being sent": settled_letter(31, sent, Delivery.Status.SENDING),
        "one waiting for the office": settled_letter(31, sent, Delivery.Status.WAITING),
        "sent recently": settled_letter(29, sent, sent),
    }


def test_a_settled_letter_loses_street_phone_and_own_words_and_keeps_everything_else(letters):
    before = snapshot()
    counts = {c.pk: c.letter_count for c in Campaign.objects.with_letter_count()}
    offices = list(Delivery.objects.office_report())

    report = retention.retention_apply()

    assert report.counts["letters erased"] == 2
    erased = {letters["sent long ago"].pk, letters["sent and failed for good long ago"].pk}
    after = snapshot()
    assert after.keys() == before.keys()  # no row deleted
    for key, row in after.items():
        old = before[key]
        changed = {name for name in row if row[name] != old[name]}
        if key[0] == "Letter" and key[1] in erased:
            assert changed == ERASED, key
            assert row["street"] == row["phone"] == row["own_words"] == ""
            assert (row["state"], row["district"], row["city"], row["zip_code"], row["first_name"]) == (
                old["state"],
                old["district"],
                old["city"],
                old["zip_code"],
                old["first_name"],
            )
        elif key[0] == "Delivery" and row["letter_id"] in erased:
            assert changed == {"personal"} and row["personal"] == "", key  # the copy sent to the office
            assert row["statement"] == old["statement"] and row["status"] == old["status"]
        else:
            assert changed == set(), key
    assert {c.pk: c.letter_count for c in Campaign.objects.with_letter_count()} == counts
    assert list(Delivery.objects.office_report()) == offices


def test_running_it_twice_erases_once(letters):
    retention_apply_task.run()
    first = snapshot()
    retention_apply_task.run()
    assert snapshot() == first
    assert retention.retention_apply().counts == {
        "expired sessions": 0,
        "letters erased": 0,
        "spent links": 0,
        "login records": 0,
    }


def test_the_number_of_days_is_a_setting_and_zero_turns_it_off(letters, settings):
    settings.RETENTION_LETTER_DAYS = 0
    assert retention.retention_apply().counts["letters erased"] == 0
    settings.RETENTION_LETTER_DAYS = 28
    assert retention.retention_apply().counts["letters erased"] == 3  # the recent one too now


def test_expired_sessions_with_their_drafts_are_cleared_and_live_ones_kept():
    draft = {"advocacy:draft:protect": {"email": "maria@example.org", "street": "12 Pine St"}}
    expired, live = SessionStore(), SessionStore()
    for store in (expired, live):
        store.update(draft)
        store.create()
    Session.objects.filter(pk=expired.session_key).update(expire_date=timezone.now() - timedelta(seconds=1))

    assert retention.retention_apply().counts["expired sessions"] == 1

    assert list(Session.objects.values_list("pk", flat=True)) == [live.session_key]


def test_spent_links_and_old_login_records_are_deleted():
    letter = factories.letter()
    advocacy_services.letter_status_url(letter)
    advocacy_services.letter_status_url(letter)
    expired = StatusLink.objects.first()
    StatusLink.objects.filter(pk=expired.pk).update(expires_at=timezone.now() - DAY)
    old = AccessLog.objects.create(username="ana", ip_address="fd00::1", user_agent="x")
    recent = AccessLog.objects.create(username="ana", ip_address="fd00::1", user_agent="x")
    AccessLog.objects.filter(pk=old.pk).update(attempt_time=timezone.now() - 91 * DAY)

    report = retention.retention_apply()

    assert report.counts["spent links"] == 1 and report.counts["login records"] == 1
    assert StatusLink.objects.count() == 1 and list(AccessLog.objects.values_list("pk", flat=True)) == [recent.pk]


def test_an_erased_letter_is_not_sent_again(letters):
    retention.retention_apply()
    letter = Letter.objects.get(pk=letters["sent and failed for good long ago"].pk)
    failed = letter.deliveries.get(status=Delivery.Status.FAILED)
    with pytest.raises(ValidationError, match="erased under the retention policy"):
        advocacy_services.delivery_retry(delivery=failed)
    assert Delivery.objects.get(pk=failed.pk).status == Delivery.Status.FAILED


def test_the_job_is_in_the_one_beat_schedule():
    entry = settings.CELERY_BEAT_SCHEDULE["retention-apply"]
    assert entry == {"task": "core.tasks.retention_apply_task", "schedule": 24 * 3600}
    assert retention_apply_task.name == "core.tasks.retention_apply_task"


def test_staff_see_when_a_letter_was_erased(admin_client, letters):
    retention.retention_apply()
    letter = letters["sent long ago"]
    page = admin_client.get(reverse("admin:advocacy_letter_change", args=[letter.pk]))
    assert page.status_code == 200 and "street, phone and own words erased at" in page.text.lower()


def test_a_backlog_is_erased_in_batches(letters):
    assert retention.letters_erase_settled(batch=1) == 2
    assert Letter.objects.filter(personal_erased_at__isnull=False).count() == 2


def test_an_unsent_draft_lives_a_day_not_two_weeks(settings):
    """Django's default session lasted two weeks: every abandoned draft (name, street, phone) with it."""
    store = SessionStore()
    store["advocacy:draft:x"] = {"street": "12 Pine St"}
    store.create()
    expires = Session.objects.get(pk=store.session_key).expire_date
    assert settings.SESSION_COOKIE_AGE == 24 * 3600
    assert expires - timezone.now() <= timedelta(hours=24)


def test_what_an_office_quoted_back_is_erased_too_and_its_reason_kept():
    """Found by the issue 12 verification: a CWC 400 names the value it refused, so the street and
    phone stayed in the delivery's last error and the attempt's answer after the letter was erased."""
    words = "Tom & Jerry <fled> in 2019"

    def failed_letter(days):
        letter = factories.letter(street="12 Pine St", phone="206-555-0199", own_words=words)
        delivery = factories.delivery(
            letter=letter,
            status=Delivery.Status.FAILED,
            personal=words,
            last_error="CWC answered 400: Address1 '12 Pine St' is not valid; Phone 2065550199 rejected",
        )
        DeliveryAttempt.objects.create(
            delivery=delivery,
            started_at=timezone.now(),
            outcome=DeliveryAttempt.Outcome.REJECTED,
            status_code=400,
            answer="<Error>Message 'Tom &amp; Jerry &lt;fled&gt; in 2019' too short; 206-555-0199</Error>",
        )
        return aged(letter, delivery, days=days), delivery

    _old, old_delivery = failed_letter(31)
    _recent, recent_delivery = failed_letter(29)

    assert retention.retention_apply().counts["letters erased"] == 1

    old_delivery.refresh_from_db()
    assert old_delivery.last_error == "CWC answered 400: Address1 '[erased]' is not valid; Phone [erased] rejected"
    answer = old_delivery.attempt_log.get().answer
    assert answer == "<Error>Message '[erased]' too short; [erased]</Error>"
    recent_delivery.refresh_from_db()
    assert "12 Pine St" in recent_delivery.last_error and "Jerry" in recent_delivery.attempt_log.get().answer
