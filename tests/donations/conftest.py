import pytest

from donations import services
from donations.models import Appeal, Donation, StripeEvent
from tests.fakes.stripe_server import StripeFake
from tests.staff.factories import with_amounts

from .stripe_events import WEBHOOK_SECRET


@pytest.fixture
def appeal(db):
    return with_amounts(Appeal.objects.create(
        title="Stand with children on the move", slug="children", text="Why it matters.",
        goal_cents=100_000, is_default=True,
    ), [2500, 5000, 10000])


@pytest.fixture
def fake_stripe(settings):
    """The real SDK, pointed at a local server speaking Stripe's API."""
    fake = StripeFake().start()
    settings.STRIPE_SECRET_KEY = "sk_test_camino"
    settings.STRIPE_API_BASE = fake.url
    settings.SITE_URL = "https://camino.example.org"
    yield fake
    fake.stop()


@pytest.fixture
def webhook_secret(settings):
    settings.STRIPE_WEBHOOK_SECRET = WEBHOOK_SECRET
    return WEBHOOK_SECRET


@pytest.fixture
def demo_mode(settings):
    settings.STRIPE_SECRET_KEY = ""
    settings.DEBUG = True


def make_donation(appeal, **fields) -> Donation:
    values = {"appeal": appeal, "amount_cents": 2500, "email": "ana@example.org", "name": "Ana Pérez",
              "currency": "usd", "frequency": "once"}
    values.update(fields)
    return Donation.objects.create(**values)


def process_stored_events() -> list[str | None]:
    """What the worker does, in this process: apply stored events until nothing changes (an event
    that waited for its gift is retried after the others, as the task's re-queue does)."""
    results: list[str | None] = []
    for _pass in range(5):
        before = list(StripeEvent.objects.order_by("pk").values_list("status", flat=True))
        results = []
        for pk in StripeEvent.objects.order_by("pk").values_list("pk", flat=True):
            try:
                results.append(services.stripe_event_process(event_id=pk))
            except services.EventNotReady:
                results.append("waiting")
        if list(StripeEvent.objects.order_by("pk").values_list("status", flat=True)) == before:
            break
    return results
