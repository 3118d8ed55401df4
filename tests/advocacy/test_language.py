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


def test_a_spanish_letters_private_links_open_the_spanish_pages_whatever_is_active(seattle, campaign, spanish):
    """A worker, the admin or a sweeper builds the links with English active: the links still open
    the pages in the letter's language (/es/...), as the email around them is written."""
    with translation.override("es"):
        letter = sign(campaign, consent=True).letter
    assert translation.get_language() == "en"
    assert services.letter_status_url(letter).startswith("/es/act/status/")
    assert services.consent_confirm_url(letter.consent).startswith("/es/")
    english = sign(campaign, email="ana@example.org").letter
    assert services.letter_status_url(english).startswith("/act/status/")


def test_the_spanish_confirmation_emails_links_open_the_spanish_pages(
    client, seattle, campaign, spanish, mailoutbox, settings
):
    with translation.override("es"):
        letter = sign(campaign, consent=True).letter
    assert services.letter_confirmation_send(letter_id=letter.pk) is True
    body = mailoutbox[0].body
    status_link = next(word for word in body.split() if "/act/status/" in word)
    consent_link = next(word for word in body.split() if "/act/updates/" in word)
    assert status_link.startswith(f"{settings.SITE_URL}/es/act/status/"), status_link
    assert consent_link.startswith(f"{settings.SITE_URL}/es/"), consent_link
    page = client.get(status_link.removeprefix(settings.SITE_URL))
    assert page.status_code == 200 and '<html lang="es"' in page.text


def _letter_preview(html: str) -> str:
    start = html.index('data-testid="letter-text"')
    return html[html.rindex("<div", 0, start) : html.index("</div>", start)]


def test_the_campaign_pages_english_letter_is_marked_english_on_the_spanish_page(client, campaign, spanish):
    """WCAG 3.1.2: the page is Spanish, the letter the offices get is English, so its passage says
    lang="en"; the examples in brackets are Spanish for the reader, so each says lang="es"."""
    english = _letter_preview(client.get(campaign.get_absolute_url()).text)
    assert "<span lang=" not in english and "I live in [Your city]." in english
    with translation.override("es"):
        url = campaign.get_absolute_url()
        example = str(translation.gettext("[Your city]"))
    preview = _letter_preview(client.get(url).text)
    assert 'lang="en"' in preview.split(">", 1)[0]
    assert "I live in" in preview and "Please protect children." in preview
    assert f'<span lang="es">{example}</span>' in preview
    assert "Dear Representative <span" in preview  # the title the office reads stays English


def test_an_editable_letter_box_starts_english_and_says_so(client, campaign, spanish):
    campaign.editing_policy = Campaign.EditingPolicy.EDITABLE
    campaign.save()
    with translation.override("es"):
        url = campaign.get_absolute_url()
    html = client.get(url).text
    box = html[html.index("<textarea") : html.index(">", html.index("<textarea"))]
    assert 'name="own_words"' in box and 'lang="en"' in box


def test_the_spanish_confirmation_email_says_spanish_and_marks_the_english_subject(
    seattle, campaign, spanish, mailoutbox
):
    with translation.override("es"):
        letter = sign(campaign).letter
    services.letter_confirmation_send(letter_id=letter.pk)
    html = mailoutbox[0].alternatives[0][0]
    assert '<html lang="es">' in html
    assert f'<span lang="en">{campaign.subject_template}</span>' in html


def test_the_district_choice_names_the_party_in_the_readers_language(db):
    """The roster writes parties in English; a Spanish reader choosing a district reads them in Spanish."""
    from advocacy.forms import district_label
    from congress.lookup import DistrictChoice

    from .factories import LegislatorFactory

    member = LegislatorFactory(state="WA", district=7, first_name="Samuel", last_name="Rep", party="Democrat")
    choice = DistrictChoice(state="WA", district=7, member=member)
    assert district_label(choice).endswith("(Democrat)")
    with translation.override("es"):
        assert district_label(choice).endswith("(demócrata)")
    member.party = "Green"  # a party the list does not know is shown as the roster writes it
    assert district_label(choice).endswith("(Green)")



def test_the_titles_offices_require_are_marked_english_on_the_spanish_page(client, campaign, spanish):
    with translation.override("es"):
        url = campaign.get_absolute_url()
    html = client.get(url).text
    select = html[html.index('<select name="prefix"') : html.index("</select>", html.index('<select name="prefix"'))]
    assert '<option value="Ms." lang="en">Ms.</option>' in select
    assert '<option value="" selected>' in select  # "Elija…" is Spanish, as the page
