"""Demo mode (never with DEBUG off), the give module, and the demo content."""

import io

import pytest
from django.template import Context, Template
from django.urls import reverse

from donations import demo
from donations.models import Appeal, Donation, RecurringDonation, StripeEvent, SuggestedAmount

from .conftest import make_donation, process_stored_events

pytestmark = pytest.mark.django_db

FORM = {"frequency": "month", "amount": "2500", "name": "Ana", "email": "ana@example.org", "website": ""}


def test_demo_checkout_goes_through_the_stripe_event_path(client, appeal, demo_mode):
    response = client.post(reverse("donations:donate"), FORM)
    donation = Donation.objects.get()
    assert response["Location"] == reverse("donations:demo_checkout", args=[donation.reference])
    page = client.get(response["Location"]).content.decode()
    assert "Demo mode - no real payment" in page and "$25" in page

    thanks = client.post(response["Location"], {"outcome": "pay"})
    client.post(response["Location"], {"outcome": "pay"})  # a double submit adds nothing
    assert thanks["Location"] == reverse("donations:thanks", args=[donation.reference])
    assert sorted(StripeEvent.objects.values_list("type", flat=True)) == ["checkout.session.completed",
                                                                          "invoice.paid"]
    process_stored_events()

    donation.refresh_from_db()
    assert donation.status == Donation.Status.SUCCEEDED and donation.is_demo
    assert RecurringDonation.objects.get().status == RecurringDonation.Status.ACTIVE
    assert "Your monthly gift of $25 is confirmed" in client.get(thanks["Location"]).content.decode()


def test_demo_refund_and_cancel_also_use_events(client, admin_client, appeal, demo_mode):
    client.post(reverse("donations:donate"), FORM)
    donation = Donation.objects.get()
    client.post(reverse("donations:demo_checkout", args=[donation.reference]), {"outcome": "pay"})
    process_stored_events()

    page = admin_client.post(reverse("admin:donations_donation_changelist"),
                             {"action": "refund_selected", "_selected_action": [donation.pk]})
    form = page.context["forms"][0]
    admin_client.post(reverse("admin:donations_donation_changelist"), {
        "action": "refund_selected", "_selected_action": [donation.pk], "confirm": "yes",
        "request_key": page.context["request_key"], form["amount"].html_name: form["amount"].value()})
    process_stored_events()

    donation.refresh_from_db()
    assert donation.status == Donation.Status.REFUNDED
    assert StripeEvent.objects.filter(type="charge.refunded", is_demo=True).count() == 1


def test_thanks_page_only_reads(client, appeal):
    donation = make_donation(appeal)
    response = client.get(reverse("donations:thanks", args=[donation.reference]) + "?session_id=cs_anything")

    donation.refresh_from_db()
    assert donation.status == Donation.Status.PENDING and donation.paid_at is None
    assert "confirming your payment" in response.content.decode()


def test_without_stripe_key_and_debug_off_giving_is_refused(client, appeal, settings):
    settings.STRIPE_SECRET_KEY = ""
    settings.DEBUG = False

    response = client.post(reverse("donations:donate"), FORM)

    assert response.status_code == 200
    assert "Online giving is not available right now" in response.content.decode()
    assert not Donation.objects.exists()
    pending = make_donation(appeal, is_demo=True)
    assert client.get(reverse("donations:demo_checkout", args=[pending.reference])).status_code == 404
    assert client.post(reverse("donations:demo_checkout", args=[pending.reference]),
                       {"outcome": "pay"}).status_code == 404
    assert not StripeEvent.objects.exists()


def test_demo_banner_only_in_demo_mode(client, appeal, demo_mode, settings):
    assert "Demo mode - no real payment" in client.get(reverse("donations:donate")).content.decode()
    settings.STRIPE_SECRET_KEY = "sk_test_x"
    assert "Demo mode - no real payment" not in client.get(reverse("donations:donate")).content.decode()


def test_give_module_shows_default_appeal_with_thermometer_in_one_query(appeal, django_assert_num_queries):
    make_donation(appeal, amount_cents=25_000, status="succeeded", paid_at="2026-01-01T00:00:00Z")
    Appeal.objects.create(title="Other", slug="other", goal_cents=500)
    template = Template("{% load donations_tags %}{% give_module %}")

    with django_assert_num_queries(1):
        html = template.render(Context({}))
    for _ in range(10):
        make_donation(appeal, amount_cents=100, status="succeeded", paid_at="2026-01-01T00:00:00Z")
    with django_assert_num_queries(1):
        html = template.render(Context({}))

    assert "Stand with children on the move" in html
    assert "$260 raised of $1,000 (26%)" in html
    assert 'value="26"' in html


def test_give_module_without_appeals_still_links_to_donate():
    html = Template("{% load donations_tags %}{% give_module %}").render(Context({}))
    assert reverse("donations:donate") in html


def test_seed_is_idempotent():
    out = io.StringIO()
    demo.seed(stdout=out)
    demo.seed(stdout=out)

    appeal = Appeal.objects.get()
    assert appeal.is_default and appeal.goal_cents
    amounts = appeal.amounts()
    assert [a.amount_cents for a in amounts] == [2500, 5000, 10000, 25000]  # four buttons, not eight
    assert all(a.impact_line_en and a.impact_line_es and a.impact_line_es != a.impact_line_en for a in amounts)
    assert "already there" in out.getvalue()


def test_seed_gives_lines_to_buttons_migrated_without_them_and_keeps_staff_words():
    from django.utils import translation

    appeal = Appeal.objects.create(slug="children-on-the-move", title="Stand with children on the move",
                                   is_default=True)
    SuggestedAmount.objects.create(appeal=appeal, amount_cents=2500, position=0)  # as migration 0012 left it
    SuggestedAmount.objects.create(appeal=appeal, amount_cents=5000, position=1, impact_line_en="Our own words",
                                   impact_line_es="Nuestras palabras")
    SuggestedAmount.objects.create(appeal=appeal, amount_cents=10000, position=2,
                                   impact_line_en=demo.AMOUNTS[2][1])  # Spanish still missing

    demo.seed(stdout=io.StringIO())

    lines = {a.amount_cents: (a.impact_line_en, a.impact_line_es) for a in Appeal.objects.get().amounts()}
    assert lines == {2500: demo.AMOUNTS[0][1:], 5000: ("Our own words", "Nuestras palabras"),
                     10000: demo.AMOUNTS[2][1:]}
    with translation.override("en"):
        assert SuggestedAmount.objects.get(amount_cents=2500).impact_line == demo.AMOUNTS[0][1]


def test_appeal_rejects_reserved_slugs_and_amounts_that_are_not_whole_positive_or_unique():
    from django.core.exceptions import ValidationError

    with pytest.raises(ValidationError) as reserved:
        Appeal(title="x", slug="manage").full_clean()
    appeal = Appeal.objects.create(title="x", slug="fine", is_active=False)
    with pytest.raises(ValidationError) as zero:
        SuggestedAmount(appeal=appeal, amount_cents=0).full_clean()
    SuggestedAmount.objects.create(appeal=appeal, amount_cents=2500)
    with pytest.raises(ValidationError) as twice:
        SuggestedAmount(appeal=appeal, amount_cents=2500).full_clean()
    assert "slug" in reserved.value.message_dict
    assert [e.code for e in zero.value.error_dict["amount_cents"]] == ["min_value"]
    assert [e.code for e in twice.value.error_dict["__all__"]] == ["unique_together"]
