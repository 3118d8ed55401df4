"""Email deliveries and the confirmation email, received by a real SMTP server (aiosmtpd)."""

import pytest

from advocacy import services
from advocacy.models import Campaign, Delivery

from .conftest import SIGN_DATA, sign
from .factories import CampaignFactory, CustomTargetFactory

pytestmark = pytest.mark.django_db


@pytest.fixture
def custom_campaign(db, settings):
    settings.DELIVERY_BACKEND_CUSTOM = "email"
    campaign = CampaignFactory(targets=Campaign.Targets.CUSTOM)
    CustomTargetFactory(campaign=campaign, name="Dana Chair", email="chair@committee.example.gov")
    return campaign


def _sign_custom(campaign, **extra):
    """Sign a custom-target campaign (no members of Congress, so no lookup); its new deliveries."""
    data = {key: value for key, value in SIGN_DATA.items() if key not in ("phone", "own_words", "consent")}
    return services.campaign_sign(campaign=campaign, lookup=None, **data, **extra).new_deliveries


def test_custom_target_gets_the_letter_by_email_with_the_supporter_in_reply_to(smtp_server, custom_campaign):
    (delivery,) = _sign_custom(custom_campaign, own_words="Please act.")
    assert services.delivery_send(delivery_id=delivery.pk) == Delivery.Status.SENT
    (received,) = smtp_server.messages
    assert received["to"] == ["chair@committee.example.gov"]
    message = received["message"]
    assert message["Reply-To"] == "maria@example.org"
    assert message["Subject"] == "Protect children who arrive alone"
    assert message["Message-ID"] == f"<{delivery.delivery_id}@camino.example.org>"
    body = message.get_content()
    assert "Dear Chair, Judiciary Committee Dana Chair," in body and "Please act." in body
    assert "400 Broad St" in body
    delivery.refresh_from_db()
    assert delivery.backend_message_id == message["Message-ID"]


def test_office_with_an_email_address_and_no_cwc_gets_email(smtp_server, seattle, settings):
    settings.DELIVERY_BACKEND_CONGRESS = "cwc"
    rep = seattle["rep"]
    rep.accepts_cwc, rep.email = False, "letters@rep.example.gov"
    rep.save()
    campaign = CampaignFactory(targets=Campaign.Targets.HOUSE)
    (delivery,) = sign(campaign).new_deliveries
    assert delivery.backend == "email"
    services.delivery_send(delivery_id=delivery.pk)
    assert [m["to"] for m in smtp_server.messages] == [["letters@rep.example.gov"]]


def test_mail_server_down_is_transient(custom_campaign, settings):
    from tests.conftest import free_port

    settings.EMAIL_BACKEND = "django.core.mail.backends.smtp.EmailBackend"
    settings.EMAIL_HOST, settings.EMAIL_PORT = "127.0.0.1", free_port()  # nothing listens there
    (delivery,) = _sign_custom(custom_campaign)
    assert services.delivery_send(delivery_id=delivery.pk) == Delivery.Status.WAITING
    delivery.refresh_from_db()
    assert delivery.status == Delivery.Status.WAITING and delivery.next_attempt_at is not None
    # Nothing left for the mail server: no copy can have gone out.
    assert delivery.last_outcome == "not_sent" and delivery.unconfirmed_posts == 0


def test_confirmation_email_reaches_the_supporter(smtp_server, seattle):
    letter = sign(CampaignFactory()).letter
    services.letter_confirmation_send(letter_id=letter.pk)
    services.letter_confirmation_send(letter_id=letter.pk)
    (received,) = smtp_server.messages
    assert received["to"] == ["maria@example.org"]
    text = received["message"].get_body(preferencelist=("plain",)).get_content()
    assert "Sen. Rosa Senator" in text and "/act/status/" in text
    html = received["message"].get_body(preferencelist=("html",)).get_content()
    assert "Rep. Samuel Rep" in html
