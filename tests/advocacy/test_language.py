"""A supporter reading the site in Spanish: their letter and emails keep their language; what the
offices receive is always the campaign's English letter with the supporter's words as written."""

import xml.etree.ElementTree as ET

import pytest
from django.utils import translation

import advocacy.services.letters
from advocacy import services
from advocacy.delivery import cwc
from advocacy.delivery import email as email_delivery
from advocacy.models import Campaign, Letter

from .conftest import sign

pytestmark = pytest.mark.django_db

SPANISH_WORDS = "¿Por qué esperan? ¡Los niños de Honduras necesitan protección! Señora Muñoz, gracias."


@pytest.fixture
def spanish(settings):
    settings.LANGUAGES = [("en", "English"), ("es", "Español")]


def languages_seen(monkeypatch, module, name) -> list[str]:
    seen: list[str] = []
    real = getattr(module, name)

    def spy(*args, **kwargs):
        seen.append(translation.get_language())
        return real(*args, **kwargs)

    monkeypatch.setattr(module, name, spy)
    return seen


def test_a_letter_signed_in_spanish_is_stored_as_spanish_and_built_in_english(
    seattle, campaign, spanish, settings, monkeypatch
):
    settings.DELIVERY_BACKEND_CONGRESS = "cwc"
    campaign.editing_policy = Campaign.EditingPolicy.NOTE
    campaign.save()
    texts = languages_seen(monkeypatch, advocacy.services.letters, "render_template_text")
    with translation.override("es"):
        result = sign(campaign, own_words=SPANISH_WORDS)
        delivery = next(d for d in result.new_deliveries if d.office_code.startswith("H"))
        parts = languages_seen(monkeypatch, cwc, "_add")
        xml = cwc.build_message(delivery)

    assert Letter.objects.get().language == "es"
    # The campaign's letter and subject were rendered in English, so were the XML's elements.
    assert texts and set(texts) == {"en"}
    assert parts and set(parts) == {"en"}
    root = ET.fromstring(xml)  # noqa: S314 - XML this test just built
    assert xml.startswith(b"<?xml version='1.0' encoding='UTF-8'?>")
    assert root.findtext("Message/ConstituentMessage") == SPANISH_WORDS  # accents, ñ, ¿¡ as written
    assert root.findtext("Message/OrganizationStatement") == delivery.statement
    assert cwc.validate_message(xml) == []


def test_the_email_to_an_office_is_english_whatever_the_worker_speaks(seattle, campaign, spanish, monkeypatch):
    campaign.editing_policy = Campaign.EditingPolicy.NOTE
    campaign.save()
    delivery = sign(campaign, own_words=SPANISH_WORDS).new_deliveries[0]
    seen = languages_seen(monkeypatch, email_delivery, "EmailMessage")
    with translation.override("es"):
        message = email_delivery.build_message(delivery)
    assert seen == ["en"]
    assert SPANISH_WORDS in message.body


def test_the_confirmation_email_speaks_the_letters_language(seattle, campaign, spanish, mailoutbox, monkeypatch):
    import core.mail

    seen = languages_seen(monkeypatch, core.mail, "render_to_string")
    with translation.override("es"):
        letter = sign(campaign).letter
    assert services.letter_confirmation_send(letter_id=letter.pk) is True
    assert len(mailoutbox) == 1
    assert seen and set(seen) == {"es"}


def test_spanish_pages_say_the_offices_get_the_english_letter(client, seattle, campaign, spanish):
    note = "data-testid=\"english-to-offices\""
    assert note not in client.get(campaign.get_absolute_url()).text
    with translation.override("es"):
        url = campaign.get_absolute_url()
    spanish_client = client
    assert note in spanish_client.get(url).text
    form = {"prefix": "Ms.", "first_name": "María", "last_name": "Núñez", "email": "maria@example.org",
            "street": "400 Broad St", "city": "Seattle", "state": "WA", "zip_code": "98109",
            "phone": "(206) 555-0100", "own_words": SPANISH_WORDS, "consent": "on", "website": ""}
    confirm = spanish_client.post(url, form)
    page = spanish_client.get(confirm.url).text
    assert note in page
    assert '<div lang="en">' in page  # the campaign's English letter is marked as English
