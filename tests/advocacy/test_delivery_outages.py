"""Delivery through the offices' bad days, against the local CWC stand-in (tests/fakes/cwc_server.py):
an outage of hours, a slow office, a redirect. Hours pass on a controlled clock (time-machine):
the real delivery service posts to the real HTTP stand-in, and the real sweeper, run once a
simulated minute as beat runs it, takes every delivery whose next attempt is due; what it queues is
sent as the worker would (delivery_send, the task's only call)."""

from datetime import UTC, datetime, timedelta

import pytest
import time_machine
from django.core.exceptions import ValidationError
from django.urls import reverse

from advocacy import services
from advocacy.models import Delivery, DeliveryAttempt

from .conftest import sign
from .factories import CampaignFactory

pytestmark = pytest.mark.django_db

START = datetime(2026, 12, 1, 5, 0, tzinfo=UTC)  # midnight ET: the House's maintenance window opens
LETTERS = 4
RECIPIENTS = 3  # 98109: the representative and two senators, all through CWC


def _sign_letters(count=LETTERS):
    campaign = CampaignFactory()
    return [sign(campaign, email=f"supporter{n}@example.org").letter for n in range(count)]


def _work_off_the_queue():
    """What the worker does with the messages the sweeper (or a commit) queued."""
    for pk in Delivery.objects.filter(status=Delivery.Status.QUEUED).order_by("pk").values_list("pk", flat=True):
        services.delivery_send(delivery_id=pk)


def _run(clock, django_capture_on_commit_callbacks, *, minutes, each_minute=None):
    for minute in range(minutes):
        clock.shift(timedelta(minutes=1))
        if each_minute:
            each_minute(minute + 1)
        with django_capture_on_commit_callbacks(execute=False):  # the messages: sent below, as the worker would
            services.deliveries_sweep()
        _work_off_the_queue()


@pytest.mark.parametrize("kind", ["unreachable", "503"])
def test_an_outage_of_two_hours_ends_with_every_letter_delivered_once(
    cwc_server, seattle, django_capture_on_commit_callbacks, client, kind
):
    # The House and the Senate in maintenance: the hosts refuse connections, or answer 503.
    if kind == "unreachable":
        cwc_server.go_down()
    else:
        cwc_server.in_maintenance = True
    with time_machine.travel(START, tick=False) as clock:
        letters = _sign_letters()
        _work_off_the_queue()  # each delivery's task, right after the commit
        assert Delivery.objects.filter(status=Delivery.Status.WAITING).count() == LETTERS * RECIPIENTS

        def outage(minute):
            if minute == 120:
                if kind == "unreachable":
                    cwc_server.come_back()
                cwc_server.in_maintenance = False
            if minute == 90:
                # Staff and the supporter, an hour and a half in: waiting for the office, not failed.
                status = client.get(services.letter_status_url(letters[0])).text
                assert "could not be reached or was busy" in status and "We will keep trying until" in status
                assert "did not accept" not in status and "has been told" not in status
                assert not Delivery.objects.filter(status=Delivery.Status.FAILED).exists()

        _run(clock, django_capture_on_commit_callbacks, minutes=120 + 35, each_minute=outage)

    deliveries = list(Delivery.objects.all())
    assert {d.status for d in deliveries} == {Delivery.Status.SENT}
    assert cwc_server.copies() == {d.delivery_id: 1 for d in deliveries}  # every letter once
    for delivery in deliveries:
        outcomes = list(delivery.attempt_log.values_list("outcome", flat=True))
        assert outcomes[-1] == "accepted" and set(outcomes[:-1]) == {"not_sent" if kind == "unreachable" else "busy"}
        assert 5 <= len(outcomes) <= 20  # a backoff growing to its cap, not one attempt a minute
        assert delivery.sent_at - START >= timedelta(hours=2)
    # Back within the cap of the backoff (30 min) once the offices are.
    assert max(d.sent_at for d in deliveries) - START <= timedelta(hours=2, minutes=31)


def test_an_office_that_answers_after_the_timeout_gets_at_most_two_copies(
    cwc_server, seattle, settings, django_capture_on_commit_callbacks, client
):
    settings.CWC_TIMEOUT = 0.3
    cwc_server.answer_after(0.6)  # saves each message, answers once we stopped waiting
    with time_machine.travel(START, tick=False) as clock:
        letters = _sign_letters(2)
        _work_off_the_queue()
        house = Delivery.objects.filter(office_code__startswith="H")
        assert {d.status for d in house} == {Delivery.Status.WAITING}
        assert {d.unconfirmed_posts for d in house} == {1}
        status = client.get(services.letter_status_url(letters[0])).text
        assert "did not confirm that it arrived" in status and "could not be reached" not in status
        # A day and more: the second post waits DELIVERY_UNCONFIRMED_RETRY_AFTER, then nothing more.
        _run(clock, django_capture_on_commit_callbacks, minutes=26 * 60)

    deliveries = list(Delivery.objects.all())
    copies = cwc_server.copies()
    posts: dict[str, int] = {}
    for request in cwc_server.requests:
        if request.method == "POST":
            posts[request.delivery_id] = posts.get(request.delivery_id, 0) + 1
    assert max(posts.values()) == 2 and max(copies.values()) <= 2
    for delivery in deliveries:
        # Neither "failed" nor "delivered": it may well have arrived.
        assert delivery.status == Delivery.Status.UNCONFIRMED and delivery.unconfirmed_posts == 2
        first, second = delivery.attempt_log.all()
        assert second.started_at - first.started_at >= timedelta(seconds=settings.DELIVERY_UNCONFIRMED_RETRY_AFTER)
        assert {first.outcome, second.outcome} == {"unconfirmed"}
    # The House kept both copies; the Senate answered the second with 409, too late to be heard.
    assert {copies[d.delivery_id] for d in deliveries if d.office_code.startswith("H")} == {2}
    assert {copies[d.delivery_id] for d in deliveries if d.office_code.startswith("S")} == {1}

    # A staff retry cannot post a third copy.
    with pytest.raises(ValidationError) as exc:
        services.delivery_retry(delivery=deliveries[0])
    assert exc.value.code == "copies_used"
    status = client.get(services.letter_status_url(letters[0])).text
    assert "never confirmed that it arrived" in status and "has been told" not in status


def test_an_office_slow_once_gets_the_letter_on_the_second_post(
    cwc_server, seattle, settings, django_capture_on_commit_callbacks
):
    settings.CWC_TIMEOUT = 0.3
    campaign = CampaignFactory(targets="house")
    cwc_server.answer_after(0.6)
    with time_machine.travel(START, tick=False) as clock:
        (delivery,) = sign(campaign).new_deliveries
        _work_off_the_queue()
        cwc_server.answer_after(0)
        _run(clock, django_capture_on_commit_callbacks, minutes=60)
        assert Delivery.objects.get(pk=delivery.pk).status == Delivery.Status.WAITING  # the long delay
        _run(clock, django_capture_on_commit_callbacks, minutes=70)
    delivery.refresh_from_db()
    assert delivery.status == Delivery.Status.SENT
    assert cwc_server.copies() == {delivery.delivery_id: 2}  # the most an office ever gets
    assert list(delivery.attempt_log.values_list("outcome", flat=True)) == ["unconfirmed", "accepted"]


def test_a_redirecting_cwc_ends_with_failures_not_sends(
    cwc_server, seattle, settings, django_capture_on_commit_callbacks
):
    # Both URLs configured without their trailing slash: each service answers 301 to the slash.
    settings.CWC_API_BASE = cwc_server.base_url + "/house"
    settings.CWC_SENATE_API_URL = cwc_server.base_url + "/api/testing-messages"
    cwc_server.redirect("/house/v2/message", cwc_server.base_url + "/v2/message")
    cwc_server.redirect("/api/testing-messages", cwc_server.base_url + "/api/testing-messages/")
    with time_machine.travel(START, tick=False) as clock:
        _sign_letters()
        _work_off_the_queue()
        _run(clock, django_capture_on_commit_callbacks, minutes=10)

    deliveries = list(Delivery.objects.all())
    assert {d.status for d in deliveries} == {Delivery.Status.FAILED}
    assert cwc_server.received == []  # nothing reached an office
    assert [r for r in cwc_server.requests if r.method == "GET"] == []  # no redirect followed
    assert len(cwc_server.requests) == len(deliveries)  # one post each, then a visible failure
    for delivery in deliveries:
        configured = settings.CWC_SENATE_API_URL if delivery.office_code.startswith("S") else settings.CWC_API_BASE
        assert "301" in delivery.last_error and configured in delivery.last_error
        assert "apikey" not in delivery.last_error and "test-key" not in delivery.last_error
        (attempt,) = delivery.attempt_log.all()
        assert (attempt.outcome, attempt.status_code) == ("rejected", 301)


def test_the_sweeper_takes_waiting_deliveries_only_once_due(cwc_server, seattle, django_capture_on_commit_callbacks):
    cwc_server.respond(503, b"Service Unavailable")
    campaign = CampaignFactory(targets="house")
    with time_machine.travel(START, tick=False) as clock:
        (delivery,) = sign(campaign).new_deliveries
        services.delivery_send(delivery_id=delivery.pk)
        due = Delivery.objects.get(pk=delivery.pk).next_attempt_at
        assert timedelta(seconds=15) <= due - START <= timedelta(seconds=30)  # DELIVERY_RETRY_BACKOFF's first
        with django_capture_on_commit_callbacks(execute=False) as early:
            assert services.deliveries_sweep() == 0
        clock.move_to(due)
        with django_capture_on_commit_callbacks(execute=False) as on_time:
            assert services.deliveries_sweep() == 1
        assert early == [] and len(on_time) == 1
        assert Delivery.objects.get(pk=delivery.pk).status == Delivery.Status.QUEUED
        _work_off_the_queue()
    assert Delivery.objects.get(pk=delivery.pk).status == Delivery.Status.SENT


def test_a_staff_retry_keeps_every_attempt_and_its_answer(cwc_server, seattle, admin_client, settings):
    from tests.fakes.cwc_server import errors_body

    campaign = CampaignFactory(targets="house")
    (delivery,) = sign(campaign).new_deliveries
    cwc_server.respond(400, errors_body("Invalid Zip for MemberOffice HWA07"))
    assert services.delivery_send(delivery_id=delivery.pk) == Delivery.Status.FAILED
    services.delivery_retry(delivery=Delivery.objects.get(pk=delivery.pk))
    assert services.delivery_send(delivery_id=delivery.pk) == Delivery.Status.SENT

    delivery.refresh_from_db()
    assert delivery.attempts == 2
    first, second = delivery.attempt_log.all()
    assert (first.outcome, first.status_code) == (DeliveryAttempt.Outcome.REJECTED, 400)
    assert "Invalid Zip for MemberOffice HWA07" in first.answer
    assert second.outcome == DeliveryAttempt.Outcome.ACCEPTED and second.started_at >= first.started_at
    page = admin_client.get(reverse("admin:advocacy_delivery_change", args=[delivery.pk])).text
    assert "Invalid Zip for MemberOffice HWA07" in page and "Accepted by the office" in page


def test_a_worker_killed_mid_post_counts_as_a_copy(cwc_server, seattle, settings):
    """A worker that died holding the claim may have posted: the next holder posts once more at
    most, and a delivery whose two posts were both lost this way is never posted again."""
    from django.utils import timezone

    campaign = CampaignFactory(targets="house")
    (delivery,) = sign(campaign).new_deliveries
    expired = timezone.now() - timedelta(seconds=settings.DELIVERY_CLAIM_LEASE + 1)
    Delivery.objects.filter(pk=delivery.pk).update(
        status=Delivery.Status.SENDING, attempts=2, unconfirmed_posts=1, claimed_at=expired
    )
    assert services.delivery_send(delivery_id=delivery.pk) == Delivery.Status.UNCONFIRMED
    assert cwc_server.requests == []
    delivery.refresh_from_db()
    assert delivery.unconfirmed_posts == 2 and delivery.attempt_log.get().outcome == "unconfirmed"


def test_final_deliveries_are_the_ones_nothing_more_will_happen_to(db):
    from .factories import DeliveryFactory

    by_status = {status: DeliveryFactory(status=status) for status in Delivery.Status.values if status != "sent"}
    by_status["sent"] = DeliveryFactory(status="sent", sent_at=START)
    final = set(Delivery.objects.final().values_list("status", flat=True))
    assert final == {"sent", "failed", "unconfirmed"}
    assert set(Delivery.objects.not_final().values_list("status", flat=True)) == {"queued", "sending", "waiting"}


@pytest.mark.parametrize(
    ("fields", "says", "never"),
    [
        ({}, "Waiting its turn", "could not be reached"),
        (
            {"status": "waiting", "attempts": 3, "last_outcome": "not_sent", "round_started_at": START},
            "We will keep trying until",
            "did not accept",
        ),
        (
            {
                "status": "waiting",
                "attempts": 1,
                "unconfirmed_posts": 1,
                "last_outcome": "unconfirmed",
                "round_started_at": START,
            },
            "did not confirm that it arrived",
            "could not be reached",
        ),
        (
            {"status": "queued", "attempts": 6, "last_outcome": "rejected"},
            "Our staff asked for it to be sent again",
            "until",
        ),
        (
            {"status": "unconfirmed", "attempts": 2, "unconfirmed_posts": 2, "last_outcome": "unconfirmed"},
            "never confirmed that it arrived",
            "did not accept",
        ),
        ({"status": "failed", "attempts": 1, "last_outcome": "rejected"}, "did not accept it", "could not be reached"),
        (
            {"status": "failed", "attempts": 40, "last_outcome": "not_sent"},
            "could not be reached or stayed busy",
            "did not accept",
        ),
        ({"status": "failed", "attempts": 1, "last_outcome": "error"}, "a problem on our side", "did not accept"),
    ],
)
def test_the_status_page_says_what_each_state_means(client, seattle, campaign, fields, says, never):
    letter = sign(campaign).letter
    Delivery.objects.filter(letter=letter).update(**fields)
    text = client.get(services.letter_status_url(letter)).text
    assert says in text and never not in text
    assert "has been told" not in text


def test_the_status_page_names_the_time_zone_of_its_times(client, seattle, campaign, settings):
    """The site's clock is Eastern; a supporter in Seattle reading "2:31 a.m." without a zone is
    told a time three hours off."""
    settings.TIME_ZONE = "America/New_York"
    letter = sign(campaign).letter
    sent, waiting, _third = Delivery.objects.filter(letter=letter).order_by("pk")
    Delivery.objects.filter(pk=sent.pk).update(status="sent", sent_at=datetime(2026, 12, 2, 7, 31, tzinfo=UTC))
    Delivery.objects.filter(pk=waiting.pk).update(
        status="waiting", attempts=3, last_outcome="not_sent", round_started_at=START
    )
    text = " ".join(client.get(services.letter_status_url(letter)).text.split())
    assert "Delivered to the office (Dec. 2, 2026, 2:31 a.m. EST)." in text
    deadline = START + timedelta(hours=settings.DELIVERY_RETRY_BUDGET_HOURS)  # midnight ET, a day on
    assert f"We will keep trying until Dec. {deadline.day}, 2026, midnight EST;" in text
