"""Two languages chosen by the person (issue 14, docs/i18n.md): English at /..., Spanish at /es/...,
Accept-Language only for the first visit, the switcher's remembered choice winning thereafter, the
addresses third parties call kept unprefixed, and the page cache kept apart by language."""

import re

import pytest
from django.conf import settings
from django.urls import reverse
from django.utils import translation

from stories.caching import CACHE_HEADER
from tests.advocacy.factories import CampaignFactory
from tests.stories.factories import StoryFactory, ensure_agenda_points

SPANISH_BROWSER = {"HTTP_ACCEPT_LANGUAGE": "es-MX,es;q=0.9,en;q=0.5"}
COOKIE = settings.LANGUAGE_COOKIE_NAME


def html_lang(response) -> str:
    return re.search(r'<html lang="([^"]+)"', response.content.decode()).group(1)


@pytest.fixture
def public_paths(db):
    story = StoryFactory()
    point = ensure_agenda_points()[0]
    campaign = CampaignFactory()
    return [
        reverse("core:home"), reverse("core:privacy"), reverse("stories:story_list"),
        story.get_absolute_url(), reverse("stories:agenda_list"), point.get_absolute_url(),
        reverse("advocacy:campaign_list"), reverse("advocacy:campaign_detail", args=[campaign.slug]),
        reverse("donations:donate"),
    ]


@pytest.mark.django_db
def test_es_is_the_home_page_in_spanish(client):
    response = client.get("/es/")
    assert response.status_code == 200
    assert html_lang(response) == "es"
    assert response["Content-Language"] == "es"
    with translation.override("es"):
        assert reverse("core:home") == "/es/"
        assert reverse("stories:story_list") == "/es/stories/"


@pytest.mark.django_db
def test_unprefixed_pages_are_english(client):
    response = client.get("/")
    assert response.status_code == 200
    assert html_lang(response) == "en"
    assert reverse("core:home") == "/"


def test_every_public_page_switches_to_the_same_page_in_the_other_language(client, public_paths):
    for english in public_paths:
        response = client.get(english)
        assert response.status_code == 200, english
        html = response.content.decode()
        assert 'lang="es"' in html and "Español" in html, f"{english}: no switcher to Spanish"
        assert f'<input type="hidden" name="next" value="{english}">' in html, english
        switched = client.post(reverse("set_language"), {"language": "es", "next": english})
        spanish = switched["Location"]
        assert spanish == f"/es{english}", english
        assert switched.cookies[COOKIE].value == "es"
        page = client.get(spanish)
        assert page.status_code == 200 and html_lang(page) == "es", spanish
        assert 'lang="en"' in page.content.decode() and ">English</button>" in page.content.decode()
        back = client.post(reverse("set_language"), {"language": "en", "next": spanish})
        assert back["Location"] == english
        assert back.cookies[COOKIE].value == "en"


def test_hreflang_alternates_name_both_languages_and_the_default(client, public_paths):
    story_path = public_paths[3]
    html = client.get(f"/es{story_path}").content.decode()
    assert f'<link rel="alternate" hreflang="en" href="http://testserver{story_path}">' in html
    assert f'<link rel="alternate" hreflang="es" href="http://testserver/es{story_path}">' in html
    assert f'<link rel="alternate" hreflang="x-default" href="http://testserver{story_path}">' in html


@pytest.mark.django_db
def test_a_first_visit_from_a_spanish_browser_goes_to_the_spanish_page(client):
    response = client.get("/stories/?page=1", **SPANISH_BROWSER)
    assert response.status_code == 302
    assert response["Location"] == "/es/stories/?page=1"
    assert "Accept-Language" in response["Vary"] and "Cookie" in response["Vary"]


@pytest.mark.django_db
def test_an_english_browser_stays_on_the_unprefixed_page(client):
    response = client.get("/stories/", HTTP_ACCEPT_LANGUAGE="en-US,en;q=0.9")
    assert response.status_code == 200
    assert html_lang(response) == "en"
    assert "Accept-Language" in response["Vary"]


@pytest.mark.django_db
def test_the_chosen_language_wins_over_the_browser(client):
    client.post(reverse("set_language"), {"language": "en", "next": "/es/stories/"})
    response = client.get("/stories/", **SPANISH_BROWSER)
    assert response.status_code == 200
    assert html_lang(response) == "en"
    # Chosen Spanish: an unprefixed link (an old one, an email) follows the choice.
    client.cookies[COOKIE] = "es"
    response = client.get("/stories/", HTTP_ACCEPT_LANGUAGE="en-US")
    assert response.status_code == 302 and response["Location"] == "/es/stories/"


@pytest.mark.django_db
def test_a_spanish_page_is_spanish_whatever_the_browser_or_cookie_says(client):
    client.cookies[COOKIE] = "en"
    response = client.get("/es/stories/", HTTP_ACCEPT_LANGUAGE="en-US")
    assert response.status_code == 200 and html_lang(response) == "es"


@pytest.mark.django_db
def test_a_post_is_never_redirected_by_language(client):
    response = client.post("/stories/", **SPANISH_BROWSER)
    assert response.status_code != 302


@pytest.mark.django_db
def test_webhook_health_favicon_and_admin_are_not_prefixed(client):
    for name in ["stripe_webhook", "healthz", "favicon", "set_language"]:
        english = reverse(name)
        with translation.override("es"):
            assert reverse(name) == english, name
        assert not english.startswith("/es/")
    with translation.override("es"):
        assert reverse("admin:index") == "/admin/"
    assert client.get("/es/stripe/webhook/").status_code == 404
    assert client.get("/es/healthz").status_code == 404
    # A Spanish browser is not redirected away from what a third party calls.
    assert client.get("/healthz", **SPANISH_BROWSER).status_code == 200
    assert client.post("/stripe/webhook/", data="{}", content_type="application/json",
                       **SPANISH_BROWSER).status_code != 302


@pytest.mark.django_db
def test_the_admin_follows_the_cookie_then_the_browser(client, django_user_model):
    response = client.get("/admin/login/", **SPANISH_BROWSER)
    assert response.status_code == 200
    assert html_lang(response) == "es"
    client.cookies[COOKIE] = "en"
    response = client.get("/admin/login/", **SPANISH_BROWSER)
    assert html_lang(response) == "en"


@pytest.mark.django_db
def test_emailed_links_without_a_prefix_keep_working(client):
    # Status and manage links already sent are unprefixed: they still resolve (in English).
    assert client.get("/act/status/no-such-token/").status_code in (200, 404)
    with translation.override("es"):
        assert reverse("advocacy:letter_status", args=["abc"]) == "/es/act/status/abc/"
    assert reverse("advocacy:letter_status", args=["abc"]) == "/act/status/abc/"


@pytest.mark.django_db
def test_the_page_cache_keeps_each_language_apart(client, settings):
    settings.STORIES_PAGE_CACHE_SECONDS = 60
    english = client.get("/stories/")
    assert english[CACHE_HEADER] == "miss"
    spanish = client.get("/es/stories/")
    assert spanish[CACHE_HEADER] == "miss"
    assert html_lang(spanish) == "es"
    again = client.get("/es/stories/")
    assert again[CACHE_HEADER] == "hit" and html_lang(again) == "es"
    assert html_lang(client.get("/stories/")) == "en"


@pytest.mark.django_db
def test_django_form_messages_are_spanish_on_spanish_pages(client):
    with translation.override("es"):
        from django import forms

        class Required(forms.Form):
            name = forms.CharField()

        form = Required(data={})
        assert form.errors["name"] == ["Este campo es obligatorio."]


@pytest.mark.django_db
def test_the_sitemap_lists_both_languages(client):
    story = StoryFactory()
    xml = client.get("/sitemap.xml").content.decode()
    assert f"http://testserver{story.get_absolute_url()}" in xml
    assert f"http://testserver/es{story.get_absolute_url()}" in xml
    assert 'hreflang="es"' in xml and 'hreflang="x-default"' in xml


@pytest.mark.django_db
def test_the_cached_letter_form_is_kept_apart_by_language(client):
    path = CampaignFactory().get_absolute_url()  # before a Spanish request activates Spanish here
    assert f'action="{path}"' in client.get(path).content.decode()
    assert f'action="/es{path}"' in client.get(f"/es{path}").content.decode()
    assert f'action="/es{path}"' in client.get(f"/es{path}").content.decode()  # from the cache
    assert f'action="{path}"' in client.get(path).content.decode()


@pytest.mark.django_db
def test_the_feed_exists_in_both_languages(client):
    path = StoryFactory().get_absolute_url()
    english = client.get("/stories/feed/").content.decode()
    assert "<language>en</language>" in english and f"http://testserver{path}</link>" in english
    spanish = client.get("/es/stories/feed/").content.decode()
    assert "<language>es</language>" in spanish and f"http://testserver/es{path}</link>" in spanish
