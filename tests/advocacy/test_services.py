"""Signing a campaign, sending a delivery, retrying and sweeping: the rules, without HTTP."""

import re
import time
from datetime import timedelta

import pytest
from django.core.exceptions import ValidationError
from django.utils import timezone

from advocacy import services
from advocacy.delivery import DeliveryThrottled
from advocacy.models import Campaign, Delivery, Letter, Supporter
from advocacy.tasks import delivery_send_task, letter_confirmation_send_task
from congress.lookup import lookup_by_zip

from .conftest import SIGN_DATA, sent_lines, sign
from .factories import CampaignFactory, CustomTargetFactory, DeliveryFactory, LegislatorFactory

pytestmark = pytest.mark.django_db


def test_signing_stores_a_letter_and_one_delivery_per_member(seattle, campaign):
    result = sign(campaign)
    assert Supporter.objects.get().email == "maria@example.org"
    letter = Letter.objects.get()
    assert result.letter == letter and letter.district == 7
    names = [d.recipient_name for d in result.new_deliveries]
    assert names == ["Rep. Samuel Rep", "Sen. Avery Senator", "Sen. Rosa Senator"]
    assert {d.office_code for d in result.new_deliveries} == {"HWA07", "SWA01", "SWA03"}
    assert all(d.status == Delivery.Status.QUEUED and len(d.delivery_id) == 32 for d in result.new_deliveries)
    delivery = result.new_deliveries[0]
    assert delivery.subject == "Protect children who arrive alone"
    assert delivery.statement.startswith("Dear Rep. Samuel Rep,\n\nI live in Seattle.")
    assert "Maria Lopez" in delivery.statement


def test_submission_is_stored_before_anything_is_queued(seattle, campaign, django_capture_on_commit_callbacks):
    with django_capture_on_commit_callbacks() as callbacks:
        sign(campaign)
        # Inside the transaction nothing has been handed to the broker yet.
        assert Delivery.objects.count() == 3
    assert len(callbacks) == 4  # three sends and one confirmation email, all after commit


def test_writing_twice_sends_nothing_new_to_offices_already_written(seattle, campaign):
    sign(campaign)
    plan = services.sign_plan(campaign=campaign, lookup=lookup_by_zip("98109"), email="maria@example.org")
    assert plan.new == []
    assert [r.label for r in plan.already] == ["Rep. Samuel Rep", "Sen. Avery Senator", "Sen. Rosa Senator"]
    with pytest.raises(ValidationError) as exc:
        sign(campaign, own_words="Me again!")
    assert exc.value.code == "nothing_new"
    assert Delivery.objects.count() == 3 and Letter.objects.count() == 1


def test_writing_again_after_a_new_custom_target_reaches_only_the_new_one(seattle, campaign):
    sign(campaign)
    target = CustomTargetFactory(campaign=campaign)
    again = sign(campaign)
    assert [d.custom_target for d in again.new_deliveries] == [target]
    assert again.new_deliveries[0].recipient_email == target.email


@pytest.mark.parametrize(
    ("targets", "expected"),
    [
        (Campaign.Targets.HOUSE, {"HWA07"}),
        (Campaign.Targets.SENATE, {"SWA01", "SWA03"}),
        (Campaign.Targets.BOTH, {"HWA07", "SWA01", "SWA03"}),
    ],
)
def test_targets_choose_the_chamber(seattle, targets, expected):
    campaign = CampaignFactory(targets=targets)
    assert {d.office_code for d in sign(campaign).new_deliveries} == expected


def test_chosen_members_hear_only_from_their_constituents(seattle):
    campaign = CampaignFactory(targets=Campaign.Targets.CHOSEN)
    campaign.chosen_members.set([seattle["senators"][0], LegislatorFactory(state="TX", district=2)])
    assert [d.legislator for d in sign(campaign).new_deliveries] == [seattle["senators"][0]]


def test_custom_target_campaign_needs_no_district(db):
    campaign = CampaignFactory(targets=Campaign.Targets.CUSTOM)
    target = CustomTargetFactory(campaign=campaign)
    result = services.campaign_sign(campaign=campaign, lookup=None, **SIGN_DATA)
    assert [d.custom_target for d in result.new_deliveries] == [target]


@pytest.mark.parametrize(
    ("change", "code"),
    [
        ({"status": Campaign.Status.CLOSED}, "campaign_closed"),
        ({"status": Campaign.Status.DRAFT}, "campaign_closed"),
        ({"closes_at": "past"}, "campaign_closed"),
        ({"opens_at": "future"}, "campaign_closed"),
    ],
)
def test_closed_campaign_takes_no_letter_and_nothing_changes(seattle, change, code):
    now = timezone.now()
    values = {
        k: (now - timedelta(days=1) if v == "past" else now + timedelta(days=1) if v == "future" else v)
        for k, v in change.items()
    }
    campaign = CampaignFactory(**values)
    with pytest.raises(ValidationError) as exc:
        sign(campaign)
    assert exc.value.code == code
    assert not Supporter.objects.exists() and not Letter.objects.exists() and not Delivery.objects.exists()


def test_own_words_length_is_enforced_and_nothing_changes(seattle):
    campaign = CampaignFactory(min_length=20, max_length=40)
    for words, code in [("too short", "too_short"), ("x" * 41, "too_long")]:
        with pytest.raises(ValidationError) as exc:
            sign(campaign, own_words=words)
        assert exc.value.code == code
    assert not Letter.objects.exists()


def test_unknown_zip_for_a_congress_campaign_is_refused(seattle, campaign):
    with pytest.raises(ValidationError) as exc:
        sign(campaign, zip_code="00000")
    assert exc.value.code == "no_district"
    assert not Letter.objects.exists()


def test_vacant_seat_gets_no_delivery(db):
    from .factories import ZipDistrictFactory

    ZipDistrictFactory(zip_code="98404", state="WA", district=10)
    LegislatorFactory(senator=True, state="WA", senate_class=1)
    campaign = CampaignFactory()
    result = sign(campaign, zip_code="98404")
    assert [d.office_code for d in result.new_deliveries] == ["SWA01"]


def test_consent_is_recorded_once_the_mailbox_owner_confirms_it(seattle, campaign):
    sign(campaign, consent=False)
    assert Supporter.objects.get().consented_at is None
    CustomTargetFactory(campaign=campaign)  # something new to write, so the next submission is a letter
    consent = sign(campaign, consent=True).consent
    assert Supporter.objects.get().consented_at is None  # a checked box is only a request
    services.consent_confirm(consent=consent)
    first = Supporter.objects.get().consented_at
    assert first is not None and consent.confirmed_at == first
    services.consent_confirm(consent=consent)
    assert Supporter.objects.get().consented_at == first


# --- Sending ----------------------------------------------------------------------------------


def test_delivery_send_is_idempotent(delivery_file):
    delivery = DeliveryFactory()
    assert services.delivery_send(delivery_id=delivery.pk) == Delivery.Status.SENT
    assert services.delivery_send(delivery_id=delivery.pk) == Delivery.Status.SENT
    assert len(sent_lines(delivery_file)) == 1
    delivery.refresh_from_db()
    assert delivery.attempts == 1 and delivery.backend_message_id == f"file-{delivery.delivery_id}"


def test_a_delivery_being_sent_is_not_claimed_again(delivery_file):
    delivery = DeliveryFactory(status=Delivery.Status.SENDING)
    assert services.delivery_send(delivery_id=delivery.pk) == Delivery.Status.SENDING
    assert sent_lines(delivery_file) == []


def test_a_delivery_stuck_sending_is_claimed_after_the_stuck_time(delivery_file, settings):
    delivery = DeliveryFactory(status=Delivery.Status.SENDING)
    Delivery.objects.filter(pk=delivery.pk).update(
        updated_at=timezone.now() - timedelta(seconds=settings.DELIVERY_STUCK_AFTER + 1)
    )
    assert services.delivery_send(delivery_id=delivery.pk) == Delivery.Status.SENT
    assert len(sent_lines(delivery_file)) == 1


def test_sending_a_missing_delivery_does_nothing(db):
    assert services.delivery_send(delivery_id=999_999) == "missing"


def test_rate_limit_throttles_before_claiming(delivery_file, settings):
    settings.DELIVERY_RATE_LIMITS = {**settings.DELIVERY_RATE_LIMITS, "file": 1}
    first, second = DeliveryFactory(), DeliveryFactory()
    time.sleep(1 - time.time() % 1)  # the limit counts per clock second: start at the top of one
    services.delivery_send(delivery_id=first.pk)
    with pytest.raises(DeliveryThrottled):
        services.delivery_send(delivery_id=second.pk)
    second.refresh_from_db()
    assert second.status == Delivery.Status.QUEUED and second.attempts == 0


def test_an_unexpected_error_fails_the_delivery_visibly(settings, db):
    delivery = DeliveryFactory(backend="file")
    settings.DELIVERY_FILE_PATH = "/nonexistent-dir/deliveries.jsonl"
    assert services.delivery_send(delivery_id=delivery.pk) == Delivery.Status.FAILED
    assert "FileNotFoundError" in Delivery.objects.get(pk=delivery.pk).last_error


def test_retry_requeues_a_failed_delivery_after_commit_and_keeps_its_attempts(
    delivery_file, django_capture_on_commit_callbacks
):
    delivery = DeliveryFactory(status=Delivery.Status.FAILED, attempts=6, last_error="CWC answered 400")
    with django_capture_on_commit_callbacks(execute=False) as callbacks:
        services.delivery_retry(delivery=delivery)
    assert len(callbacks) == 1
    delivery.refresh_from_db()
    assert delivery.status == Delivery.Status.QUEUED and delivery.attempts == 6  # the history stays
    assert services.delivery_send(delivery_id=delivery.pk) == Delivery.Status.SENT
    assert Delivery.objects.get(pk=delivery.pk).attempts == 7


def test_retry_refuses_a_delivery_that_has_not_failed(db):
    delivery = DeliveryFactory(status=Delivery.Status.SENT, sent_at=timezone.now())
    with pytest.raises(ValidationError) as exc:
        services.delivery_retry(delivery=delivery)
    assert exc.value.code == "not_failed"
    assert Delivery.objects.get(pk=delivery.pk).status == Delivery.Status.SENT


def test_sweeper_requeues_only_stuck_deliveries(db, settings, django_capture_on_commit_callbacks):
    old = timezone.now() - timedelta(seconds=settings.DELIVERY_STUCK_AFTER + 60)
    stuck_queued = DeliveryFactory()
    stuck_sending = DeliveryFactory(status=Delivery.Status.SENDING)
    fresh = DeliveryFactory()
    done = DeliveryFactory(status=Delivery.Status.SENT, sent_at=timezone.now())
    Delivery.objects.filter(pk__in=[stuck_queued.pk, stuck_sending.pk, done.pk]).update(updated_at=old)
    with django_capture_on_commit_callbacks(execute=False) as callbacks:
        assert services.deliveries_sweep() == 2
    assert len(callbacks) == 2
    assert Delivery.objects.get(pk=fresh.pk).status == Delivery.Status.QUEUED
    # Just swept: the next sweep leaves them to the worker.
    with django_capture_on_commit_callbacks(execute=False):
        assert services.deliveries_sweep() == 1  # only the one still `sending` (a worker may have died)


def test_retry_countdown_grows_and_is_capped(settings):
    settings.DELIVERY_RETRY_BACKOFF, settings.DELIVERY_RETRY_BACKOFF_MAX = 10, 100
    assert 5 <= services.delivery_retry_countdown(attempts=1) <= 10
    assert 20 <= services.delivery_retry_countdown(attempts=3) <= 40
    assert 50 <= services.delivery_retry_countdown(attempts=12) <= 100


# --- Confirmation email -----------------------------------------------------------------------


def test_confirmation_email_lists_each_office_and_links_the_private_status_page(seattle, campaign, mailoutbox):
    letter = sign(campaign).letter
    assert services.letter_confirmation_send(letter_id=letter.pk) is True
    (message,) = mailoutbox
    assert message.to == ["maria@example.org"]
    for name in ("Rep. Samuel Rep", "Sen. Avery Senator", "Sen. Rosa Senator"):
        assert name in message.body
    token = re.search(r"/act/status/([^/\s]+)/", message.body).group(1)
    assert services.letter_from_status_token(token) == letter
    assert services.letter_from_status_token(token + "x") is None


def test_confirmation_task_run_twice_sends_once(seattle, campaign, mailoutbox):
    letter = sign(campaign).letter
    letter_confirmation_send_task.run(letter.pk)
    letter_confirmation_send_task.run(letter.pk)
    assert len(mailoutbox) == 1


def test_delivery_task_run_twice_sends_once(delivery_file):
    delivery = DeliveryFactory()
    delivery_send_task.run(delivery.pk)
    delivery_send_task.run(delivery.pk)
    assert len(sent_lines(delivery_file)) == 1


# --- Campaign actions -------------------------------------------------------------------------


def test_duplicate_campaign_is_a_draft_with_its_own_slug_and_cwc_id(seattle):
    campaign = CampaignFactory(targets=Campaign.Targets.CHOSEN)
    campaign.chosen_members.set([seattle["rep"]])
    CustomTargetFactory(campaign=campaign)
    copy = services.campaign_duplicate(campaign=campaign)
    assert copy.pk != campaign.pk and copy.status == Campaign.Status.DRAFT
    assert copy.slug == f"{campaign.slug}-copy" and copy.cwc_campaign_id != campaign.cwc_campaign_id
    assert list(copy.chosen_members.all()) == [seattle["rep"]]
    assert copy.custom_targets.count() == 1
    assert services.campaign_duplicate(campaign=campaign).slug == f"{campaign.slug}-copy-2"


def test_open_and_close(db):
    campaign = CampaignFactory(status=Campaign.Status.DRAFT)
    services.campaign_open(campaign=campaign)
    assert Campaign.objects.get(pk=campaign.pk).is_open
    with pytest.raises(ValidationError):
        services.campaign_open(campaign=campaign)
    services.campaign_close(campaign=campaign)
    assert Campaign.objects.get(pk=campaign.pk).status == Campaign.Status.CLOSED
    assert campaign.history.count() == 3


def test_campaign_rejects_unknown_placeholders_and_half_a_bill(db):
    campaign = CampaignFactory.build(body_template="Dear {member}", bill_congress=119)
    with pytest.raises(ValidationError) as exc:
        campaign.full_clean()
    assert {"body_template", "bill_number", "stance"} <= set(exc.value.message_dict)
