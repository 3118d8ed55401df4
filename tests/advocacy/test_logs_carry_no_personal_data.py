"""No log line carries a supporter's or a donor's name, email, street or phone: every logger at DEBUG
across a letter (a split ZIP while the geocoder fails), a gift (checkout and Stripe's webhook) and
deliveries that fail, the submitted values searched for in every record and traceback."""

import logging

import pytest
from django.urls import reverse

from advocacy import services
from advocacy.models import Delivery, Letter
from donations import services as donation_services
from donations.models import Donation, StripeEvent
from tests.conftest import free_port
from tests.donations import stripe_events as ev
from tests.donations.conftest import appeal, fake_stripe, webhook_secret  # noqa: F401, F811 - fixtures
from tests.fakes.census_geocoder import CensusGeocoderFake
from tests.fakes.cwc_server import errors_body

from .factories import LegislatorFactory, ZipDistrictFactory
from .test_views import FORM

pytestmark = pytest.mark.django_db

SUPPORTER = {
    "first_name": "Quillon",
    "last_name": "Varnavides",
    "email": "quillon.varnavides@example.org",
    "street": "4127 Zephyrine Lane",
    "phone": "(206) 555-0199",
}
DONOR = {"name": "Ottoline Brackwater", "email": "ottoline.brackwater@example.net"}
# Each value, and the pieces a log line might carry on their own or encoded in a URL.
SEARCHED = [
    "Quillon",
    "Varnavides",
    "quillon.varnavides",
    "Zephyrine",
    "4127",
    "555-0199",
    "5550199",
    "Ottoline",
    "Brackwater",
    "ottoline.brackwater",
]


class _Everything(logging.Handler):
    def __init__(self):
        super().__init__(level=logging.DEBUG)
        self.setFormatter(logging.Formatter("%(name)s %(levelname)s %(message)s"))
        self.lines: list[str] = []
        self.names: set[str] = set()

    def emit(self, record):
        self.lines.append(self.format(record))  # the message, its arguments and any traceback
        self.names.add(record.name)


@pytest.fixture
def all_logs():
    """Every logger at DEBUG, each record caught as it leaves its logger. The root logger's own
    handlers (Camino's stdout handler and its filter) are taken off meanwhile, as a Celery worker
    replaces them with its own: what reaches any handler must already be clean."""
    handler = _Everything()
    root = logging.getLogger()
    loggers = [
        root,
        *(logger for logger in logging.Logger.manager.loggerDict.values() if isinstance(logger, logging.Logger)),
    ]
    saved = [(logger, logger.level, logger.disabled) for logger in loggers]
    root_handlers = list(root.handlers)
    for existing in root_handlers:
        root.removeHandler(existing)
    for logger in loggers:
        logger.setLevel(logging.DEBUG)
        logger.disabled = False
        if logger is root or not logger.propagate:
            logger.addHandler(handler)
    yield handler
    for logger, level, disabled in saved:
        logger.setLevel(level)
        logger.disabled = disabled
        logger.removeHandler(handler)
    for existing in root_handlers:
        root.addHandler(existing)


@pytest.fixture(params=["answers 503", "unreachable"])
def failing_geocoder(request, settings):
    """The geocoder answering an error, or not listening at all (requests' error then names the URL,
    whose query string is the street)."""
    fake = CensusGeocoderFake(congress=settings.CONGRESS_NUMBER)
    fake.fail_with(503)
    fake.start()
    settings.CENSUS_GEOCODER_URL = fake.url
    if request.param == "unreachable":
        settings.CENSUS_GEOCODER_URL = f"http://127.0.0.1:{free_port()}/geocoder/geographies/address"
        fake.requests.append({"unreachable": "yes"})
    yield fake
    fake.stop()


def test_a_letter_a_gift_and_failed_deliveries_log_no_personal_data(
    client,
    seattle,
    campaign,
    failing_geocoder,
    cwc_server,
    fake_stripe,  # noqa: F811 - the fixture imported above
    webhook_secret,  # noqa: F811
    appeal,  # noqa: F811
    mailoutbox,
    all_logs,
    django_capture_on_commit_callbacks,
):
    # A letter from a ZIP split between two districts, the geocoder failing: the supporter chooses.
    ZipDistrictFactory(zip_code="98101", district=7)
    ZipDistrictFactory(zip_code="98101", district=9)
    LegislatorFactory(state="WA", district=9, first_name="Lena", last_name="Nine")
    with django_capture_on_commit_callbacks(execute=False):
        response = client.post(campaign.get_absolute_url(), {**FORM, **SUPPORTER, "zip_code": "98101"})
        assert response.url == reverse("advocacy:campaign_district", args=[campaign.slug])
        assert failing_geocoder.requests  # it was asked, and failed
        client.post(response.url, {"district": "9"})
        response = client.post(reverse("advocacy:campaign_confirm", args=[campaign.slug]))
        assert response.status_code == 302
        client.get(response.url)
    letter = Letter.objects.get()

    # Its deliveries fail: an office answers 400 with an error that echoes the constituent, another
    # answers 503, and the House is then unreachable.
    deliveries = list(letter.deliveries.order_by("pk"))
    cwc_server.respond(
        400,
        errors_body(
            f"Invalid Zip for constituent {SUPPORTER['first_name']} {SUPPORTER['last_name']}, {SUPPORTER['street']}"
        ),
    )
    cwc_server.respond(503, errors_body(f"Try later: {SUPPORTER['email']} {SUPPORTER['phone']}"))
    for delivery in deliveries[:2]:
        services.delivery_send(delivery_id=delivery.pk)
    cwc_server.go_down()
    services.delivery_send(delivery_id=deliveries[2].pk)
    assert {d.status for d in Delivery.objects.all()} != {Delivery.Status.SENT}
    services.letter_confirmation_send(letter_id=letter.pk)

    # A gift: the checkout through the real SDK, Stripe's webhook, the receipt.
    with django_capture_on_commit_callbacks(execute=False):
        response = client.post(
            reverse("donations:donate_appeal", args=[appeal.slug]),
            {
                "frequency": "once",
                "amount": "5000",
                "consent_updates": "on",
                "tribute_type": "",
                "tribute_name": "",
                "website": "",
                **DONOR,
            },
        )
    assert response.status_code == 302
    donation = Donation.objects.get()
    completed = ev.event("checkout.session.completed", ev.checkout_session(donation, payment_intent="pi_log"))
    assert ev.post(client, completed).status_code == 200
    for event_id in StripeEvent.objects.values_list("pk", flat=True):
        donation_services.stripe_event_process(event_id=event_id)
    donation_services.donation_receipt_send(donation_id=donation.pk)
    assert len(mailoutbox) == 2  # the letter's confirmation and the receipt: the flows really ran

    # The capture works: libraries' DEBUG lines and our own warnings are in it.
    assert {"urllib3.connectionpool", "stripe", "congress.geocoder"} <= all_logs.names
    assert _leaks(all_logs) == {}


def _leaks(handler) -> dict[str, list[str]]:
    text = "\n".join(handler.lines).lower()
    return {
        value: [line for line in handler.lines if value.lower() in line.lower()][:2]
        for value in SEARCHED
        if value.lower() in text
    }


@pytest.mark.parametrize(
    "name",
    [
        "advocacy.services.delivery",
        "donations.services.webhooks.events",
        "core.dispatch",
        "django.request",
        "celery.app.trace",
    ],
)
def test_a_traceback_keeps_its_frames_but_not_the_exceptions_words(all_logs, name):
    """Unexpected errors are logged with their traceback; PostgreSQL's unique-violation message, for
    one, quotes the row ("Key (email)=(...) already exists")."""
    try:
        try:
            raise KeyError(f"Key (email)=({SUPPORTER['email']}) already exists")
        except KeyError as inner:
            raise ValueError(f"{SUPPORTER['first_name']} {SUPPORTER['last_name']}, {SUPPORTER['street']}") from inner
    except ValueError:
        logging.getLogger(name).exception("delivery %s: unexpected error", 42)

    assert _leaks(all_logs) == {}
    text = "\n".join(all_logs.lines)
    assert "delivery 42: unexpected error" in text
    assert "builtins.KeyError: [message withheld]" in text and "builtins.ValueError: [message withheld]" in text
    assert "test_a_traceback_keeps_its_frames_but_not_the_exceptions_words" in text  # the frames are there


def test_a_checkout_stripe_refuses_logs_no_donor(client, appeal, fake_stripe, all_logs):  # noqa: F811
    # Stripe's messages can quote what they were sent.
    fake_stripe.fail_next(400, f"Invalid email address: {DONOR['email']} ({DONOR['name']})")
    response = client.post(
        reverse("donations:donate_appeal", args=[appeal.slug]),
        {"frequency": "once", "amount": "5000", "tribute_type": "", "tribute_name": "", "website": "", **DONOR},
    )

    assert response.status_code == 200 and Donation.objects.get().status == Donation.Status.FAILED
    assert "checkout session for donation" in "\n".join(all_logs.lines)
    assert _leaks(all_logs) == {}


def test_a_webhook_handler_that_fails_logs_no_donor(client, appeal, webhook_secret, all_logs, monkeypatch):  # noqa: F811
    """The failure's words stay in the event for staff; the log line says which event and the class."""
    from donations.services.webhooks import events

    def handler(obj, event):
        raise ValueError(f"Key (email)=({DONOR['email']}) already exists for {DONOR['name']}")

    monkeypatch.setitem(events.EVENT_HANDLERS, "checkout.session.completed", handler)
    donation = Donation.objects.create(appeal=appeal, amount_cents=2500, currency="usd", frequency="once", **DONOR)
    assert ev.post(client, ev.event("checkout.session.completed", ev.checkout_session(donation))).status_code == 200
    event = StripeEvent.objects.get()

    assert donation_services.stripe_event_process(event_id=event.pk) == StripeEvent.Status.FAILED

    assert "failed: ValueError" in "\n".join(all_logs.lines)
    assert _leaks(all_logs) == {}
    event.refresh_from_db()
    assert DONOR["name"] in event.result  # staff still see what went wrong


def test_a_cancelled_checkout_stripe_will_not_expire_logs_no_donor(appeal, fake_stripe, all_logs):  # noqa: F811
    donation = Donation.objects.create(
        appeal=appeal,
        amount_cents=2500,
        currency="usd",
        frequency="once",
        stripe_checkout_session_id="cs_test_x",
        **DONOR,
    )
    fake_stripe.fail_next(400, f"Session for {DONOR['email']} ({DONOR['name']}) is already complete")

    donation_services.donation_checkout_cancel(donation=donation)

    assert "not expired" in "\n".join(all_logs.lines)
    assert _leaks(all_logs) == {}
