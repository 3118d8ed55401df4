"""The donor's language, stored on the gift: Checkout, the portal and every email follow it."""

import time
from datetime import UTC, datetime

import pytest
from django.urls import reverse
from django.utils import translation

import core.mail
from core.money import format_money
from donations import services, tasks
from donations.models import Donation, ManageLinkRequest, PaymentFailureNotice, RecurringDonation, Refund

from . import stripe_events as ev
from .conftest import make_donation, process_stored_events

pytestmark = pytest.mark.django_db


@pytest.fixture
def spanish(settings):
    settings.LANGUAGES = [("en", "English"), ("es", "Español")]


@pytest.fixture
def rendered_in(monkeypatch):
    """The active language each email template was rendered in, by template name."""
    seen: dict[str, str] = {}
    real = core.mail.render_to_string

    def spy(name, context=None, *args, **kwargs):
        seen[name] = translation.get_language()
        return real(name, context, *args, **kwargs)

    monkeypatch.setattr(core.mail, "render_to_string", spy)
    return seen


def test_a_spanish_gift_gets_a_spanish_receipt_with_a_spanish_date(appeal, mailoutbox, spanish):
    paid_at = datetime(2026, 3, 14, 15, 0, tzinfo=UTC)
    donation = make_donation(appeal, amount_cents=12345, status="succeeded", paid_at=paid_at, language="es")

    tasks.donation_receipt_send_task(donation.pk)

    message = mailoutbox[0]
    for part in (message.body, message.alternatives[0][0]):
        # Django's own Spanish month names and date order: the receipt was rendered in Spanish.
        assert "14 de marzo de 2026" in part
        assert "March" not in part
        # Stripe charges US dollars: "$" and the decimal point, as Spanish readers in the US and
        # Central America write dollars (not Spain's "123,45 $").
        assert "$123.45" in part


def test_an_english_gift_keeps_its_english_receipt_whatever_is_active(appeal, mailoutbox, spanish):
    donation = make_donation(appeal, status="succeeded", paid_at=datetime(2026, 3, 14, 15, 0, tzinfo=UTC))
    with translation.override("es"):
        tasks.donation_receipt_send_task(donation.pk)
    assert "March 14, 2026" in mailoutbox[0].body


def test_money_is_written_the_same_way_in_spanish():
    with translation.override("es"):
        assert format_money(125050, "usd") == "$1,250.50"


def test_a_renewal_and_its_failure_notice_speak_the_checkouts_language(
    client, appeal, webhook_secret, mailoutbox, spanish, rendered_in
):
    origin = make_donation(appeal, frequency="month", amount_cents=2500, language="es")
    ev.post(client, ev.event("checkout.session.completed",
                             ev.checkout_session(origin, subscription="sub_es", invoice="in_es1", customer="cus_es")))
    ev.post(client, ev.event("invoice.paid", ev.invoice(invoice_id="in_es1", subscription="sub_es", customer="cus_es",
                                                        donation_reference=origin.reference, payment_intent="pi_es1")))
    ev.post(client, ev.event("invoice.paid", ev.invoice(
        invoice_id="in_es2", subscription="sub_es", customer="cus_es", billing_reason="subscription_cycle",
        donation_reference=origin.reference, payment_intent="pi_es2"), created=int(time.time()) + 30))
    ev.post(client, ev.event("invoice.payment_failed", ev.invoice(
        invoice_id="in_es3", subscription="sub_es", customer="cus_es", billing_reason="subscription_cycle",
        donation_reference=origin.reference, attempt_count=1), created=int(time.time()) + 60))
    process_stored_events()

    assert RecurringDonation.objects.get().language == "es"
    assert Donation.objects.get(stripe_invoice_id="in_es2").language == "es"  # the renewal's own gift
    notice = PaymentFailureNotice.objects.get()
    with translation.override("en"):  # the worker's language does not matter
        services.payment_failure_notice_send(notice_id=notice.pk)
    assert rendered_in["emails/donations/payment_failed.txt"] == "es"
    assert rendered_in["emails/donations/payment_failed.html"] == "es"
    assert ManageLinkRequest.objects.get().language == "es"


def test_a_manage_link_asked_for_in_spanish_comes_in_spanish_and_opens_a_spanish_portal(
    client, appeal, fake_stripe, mailoutbox, spanish, rendered_in
):
    RecurringDonation.objects.create(appeal=appeal, email="ana@example.org", amount_cents=2500, status="active",
                                     stripe_subscription_id="sub_1", stripe_customer_id="cus_ana", language="en")
    with translation.override("es"):
        manage = reverse("donations:manage")
    client.post(manage, {"email": "ana@example.org"})
    link_request = ManageLinkRequest.objects.get()
    assert link_request.language == "es"  # the request's language, not the gift's

    services.donor_manage_link_send(request_id=link_request.pk)
    assert rendered_in["emails/donations/manage_link.txt"] == "es"

    url = mailoutbox[0].body.split("https://camino.example.org", 1)[1].split()[0]
    assert url.startswith("/es/donate/manage/")  # the link opens the Spanish page
    client.post(url)
    assert fake_stripe.last("/v1/billing_portal/sessions")["params"]["locale"] == "es"


def test_a_refund_of_a_spanish_gift_is_told_in_spanish(appeal, mailoutbox, spanish):
    donation = make_donation(appeal, amount_cents=5000, status="succeeded", language="es",
                             paid_at=datetime(2026, 3, 14, 15, 0, tzinfo=UTC), stripe_charge_id="ch_es")
    row = Refund.objects.create(donation=donation, stripe_refund_id="re_es", amount_cents=1000,
                                status=Refund.Status.SUCCEEDED)

    assert services.refund_notice_send(refund_id=row.pk) is True
    assert "14 de marzo de 2026" in mailoutbox[0].body and "$10.00" in mailoutbox[0].body


def test_the_demo_checkout_opens_in_the_pages_language(client, appeal, demo_mode):
    with translation.override("es"):
        donate = reverse("donations:donate")
    response = client.post(donate, {"frequency": "once", "amount": "5000", "name": "Ana",
                                    "email": "ana@example.org", "website": ""})
    donation = Donation.objects.get()

    assert donation.language == "es" and donation.is_demo
    assert response["Location"].startswith("/es/donate/")  # the demo's Checkout stand-in, in Spanish
    page = client.get(response["Location"])
    assert page.status_code == 200 and '<html lang="es"' in page.text


def test_every_spanish_emails_html_says_it_is_spanish(appeal, mailoutbox, spanish):
    """A screen reader reads an email's HTML part in the language its <html lang> names: a Spanish
    receipt marked lang="en" is read with English pronunciation (WCAG 3.1.1)."""
    paid_at = datetime(2026, 3, 14, 15, 0, tzinfo=UTC)
    spanish_gift = make_donation(appeal, status="succeeded", paid_at=paid_at, language="es")
    english_gift = make_donation(appeal, status="succeeded", paid_at=paid_at, email="bo@example.org")
    tasks.donation_receipt_send_task(spanish_gift.pk)
    tasks.donation_receipt_send_task(english_gift.pk)
    spanish_html, english_html = (message.alternatives[0][0] for message in mailoutbox)
    assert '<html lang="es">' in spanish_html
    assert '<html lang="en">' in english_html
