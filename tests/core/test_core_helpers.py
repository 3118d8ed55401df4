"""The shared helpers every app uses: money text, the client address, claim-send-stamp."""

import threading
from datetime import timedelta

import pytest
from django.db import connection
from django.template import Context, Template
from django.test import RequestFactory
from django.utils import timezone
from hypothesis import given
from hypothesis import strategies as st

from core.claims import SendOnce
from core.client_ip import client_ip
from core.money import cents_from_decimal, format_money
from donations.models import Appeal, Donation

# --- Money ----------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("cents", "currency", "trim", "text"),
    [
        (5000, "usd", False, "$50.00"),
        (5000, "usd", True, "$50"),
        (5050, "usd", True, "$50.50"),
        (125050, "usd", False, "$1,250.50"),
        (500, "jpy", False, "¥500"),
        (1200, "chf", False, "CHF 12.00"),
        (1234, "kwd", False, "KWD 1.234"),
        (-250, "USD", False, "-$2.50"),
    ],
)
def test_format_money_knows_the_currency(cents, currency, trim, text):
    assert format_money(cents, currency, trim=trim) == text


@given(st.integers(min_value=0, max_value=10**12))
def test_format_money_round_trips_every_usd_amount(cents):
    text = format_money(cents, "usd")
    from decimal import Decimal

    assert cents_from_decimal(Decimal(text.lstrip("$").replace(",", "")), "usd") == cents


def test_money_template_filters():
    rendered = Template("{% load money %}{{ a|money:'usd' }} {{ a|money_trim:'usd' }} {{ none|money }}").render(
        Context({"a": 7500, "none": None})
    )
    assert rendered == "$75.00 $75 "


# --- Client address ---------------------------------------------------------------------------


def test_client_ip_ignores_forwarded_for_without_trusted_proxies(settings):
    settings.TRUSTED_PROXY_COUNT = 0
    request = RequestFactory().get("/", HTTP_X_FORWARDED_FOR="6.6.6.6", REMOTE_ADDR="10.0.0.1")
    assert client_ip(request) == "10.0.0.1"


def test_client_ip_takes_the_address_the_trusted_proxy_saw(settings):
    settings.TRUSTED_PROXY_COUNT = 1
    # The client forged the first entry; the load balancer appended the real one.
    request = RequestFactory().get("/", HTTP_X_FORWARDED_FOR="6.6.6.6, 203.0.113.7", REMOTE_ADDR="10.0.0.1")
    assert client_ip(request) == "203.0.113.7"


@given(st.lists(st.ip_addresses().map(str), min_size=0, max_size=5), st.integers(min_value=0, max_value=3))
def test_client_ip_never_returns_an_address_the_client_wrote(forwarded, proxies):
    """Whatever a client puts left of the proxies' entries is never the answer."""
    from django.conf import settings

    old = settings.TRUSTED_PROXY_COUNT
    settings.TRUSTED_PROXY_COUNT = proxies
    try:
        header = ", ".join(["198.51.100.66", *forwarded])  # the client's own forged entry first
        request = RequestFactory().get("/", HTTP_X_FORWARDED_FOR=header, REMOTE_ADDR="10.0.0.1")
        entries = [part.strip() for part in header.split(",")]
        expected = entries[-proxies] if proxies and len(entries) >= proxies else "10.0.0.1"
        assert client_ip(request) == expected
    finally:
        settings.TRUSTED_PROXY_COUNT = old


# --- Claim, send, stamp -----------------------------------------------------------------------
# A gift's receipt stands in for any row owed a send: `receipt_claimed_at` holds the lease and
# `receipt_sent_at` is the stamp.


@pytest.fixture
def owed(db):
    appeal = Appeal.objects.create(title="Appeal", slug="appeal", text="Why.")
    return Donation.objects.create(appeal=appeal, amount_cents=2500, email="ana@example.org", name="Ana",
                                   currency="usd", frequency="once")


def _send_once(lease=90):
    return SendOnce(Donation.objects.filter(receipt_sent_at__isnull=True), claimed_field="receipt_claimed_at",
                    lease_seconds=lease)


STAMP = {"receipt_sent_at": timezone.now}


def test_send_once_sends_once(owed):
    sent = []
    once = _send_once()
    assert once.run(owed.pk, sent.append, stamp=STAMP) is True
    assert once.run(owed.pk, sent.append, stamp=STAMP) is False
    assert sent == [owed.pk]
    owed.refresh_from_db()
    assert owed.receipt_sent_at is not None and owed.receipt_claimed_at is None


def test_a_failed_send_releases_the_claim_for_the_retry(owed):
    once = _send_once()

    def refuse(_pk):
        raise OSError("mail server said no")

    with pytest.raises(OSError):
        once.run(owed.pk, refuse, stamp=STAMP)
    sent = []
    assert once.run(owed.pk, sent.append, stamp=STAMP) is True
    assert sent == [owed.pk]


def test_a_claim_left_by_a_dead_worker_is_taken_back_after_its_lease(owed):
    once = _send_once(lease=90)
    assert once.claim(owed.pk) is not None  # the worker dies here, never stamps
    assert once.claim(owed.pk) is None  # still leased
    Donation.objects.filter(pk=owed.pk).update(receipt_claimed_at=timezone.now() - timedelta(seconds=91))
    sent = []
    assert once.run(owed.pk, sent.append, stamp=STAMP) is True
    assert sent == [owed.pk]


def test_a_worker_whose_lease_was_taken_over_cannot_stamp(owed):
    once = _send_once()
    old_token = once.claim(owed.pk)
    Donation.objects.filter(pk=owed.pk).update(receipt_claimed_at=timezone.now() - timedelta(seconds=120))
    new_token = once.claim(owed.pk)
    assert new_token is not None
    assert once.stamp(owed.pk, old_token, receipt_sent_at=timezone.now()) is False
    assert once.release(owed.pk, old_token) is False
    assert once.stamp(owed.pk, new_token, receipt_sent_at=timezone.now()) is True


@pytest.mark.django_db(transaction=True)
def test_no_row_lock_is_held_while_sending():
    """Another connection can update the row while the send is in progress."""
    appeal = Appeal.objects.create(title="Appeal", slug="appeal", text="Why.")
    gift = Donation.objects.create(appeal=appeal, amount_cents=2500, email="ana@example.org", name="Ana",
                                   currency="usd", frequency="once")
    updated = []

    def send(pk):
        def other_connection():
            try:
                updated.append(Donation.objects.filter(pk=pk).update(name="Ana P."))
            finally:
                connection.close()

        thread = threading.Thread(target=other_connection)
        thread.start()
        thread.join(timeout=30)

    assert _send_once().run(gift.pk, send, stamp=STAMP) is True
    assert updated == [1]
