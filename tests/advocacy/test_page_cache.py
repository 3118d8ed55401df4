"""The campaign page's blank form is rendered once and then taken from the cache; everything
personal (the CSRF token, a submitted form, a draft) is rendered for each visitor. The letter
counters on the public pages are counted at most once per ADVOCACY_PROGRESS_CACHE_SECONDS."""

import re

import pytest
from django.core.cache import cache
from django.core.cache.utils import make_template_fragment_key
from django.test import Client
from django.utils import translation

from advocacy.forms import SignForm

from .conftest import sign
from .factories import CampaignFactory

pytestmark = pytest.mark.django_db

TOKEN_RE = re.compile(r'name="csrfmiddlewaretoken" value="([^"]+)"')


def _fragment_key(campaign, language):
    with translation.override(language):
        return make_template_fragment_key("advocacy_sign_form", [SignForm(campaign=campaign).render_cache_key])


def test_second_visit_takes_the_form_from_the_cache_with_its_own_csrf_token(campaign, django_assert_num_queries):
    first = Client().get(campaign.get_absolute_url())
    key = _fragment_key(campaign, first.wsgi_request.LANGUAGE_CODE)
    assert 'name="first_name"' in cache.get(key)
    cache.set(key, '<p id="from-cache">cached form</p>')  # proves the next page uses the cache

    with django_assert_num_queries(1):  # the campaign; its letter count is cached too
        second = Client().get(campaign.get_absolute_url())

    assert 'id="from-cache"' in second.text and 'name="first_name"' not in second.text
    tokens = [TOKEN_RE.search(response.text).group(1) for response in (first, second)]
    assert tokens[0] != tokens[1]
    assert second.cookies["csrftoken"].value


def test_an_edit_to_the_campaign_shows_at_once(campaign):
    client = Client()
    client.get(campaign.get_absolute_url())
    campaign.editing_policy = campaign.EditingPolicy.LOCKED
    campaign.save()

    response = client.get(campaign.get_absolute_url())

    assert 'name="first_name"' in response.text and 'name="own_words"' not in response.text


def test_a_form_with_errors_is_rendered_for_the_visitor(campaign):
    client = Client()
    client.get(campaign.get_absolute_url())

    response = client.post(campaign.get_absolute_url(), {"first_name": "Maria", "zip_code": "nope"})

    assert response.status_code == 200
    assert 'value="Maria"' in response.text and "Please enter a five-digit ZIP code." in response.text


def test_without_the_page_cache_the_form_is_rendered_each_time(campaign, settings):
    settings.STORIES_PAGE_CACHE_SECONDS = 0
    response = Client().get(campaign.get_absolute_url())
    assert 'name="first_name"' in response.text
    assert cache.get(_fragment_key(campaign, response.wsgi_request.LANGUAGE_CODE)) is None


def _shown_count(response) -> str:
    return re.search(r'data-testid="letter-count">([\d,]+) letter', response.text).group(1)


@pytest.mark.parametrize("url", ["campaign", "list"])
def test_letter_counter_is_counted_once_per_interval(seattle, campaign, url, django_assert_num_queries):
    path = campaign.get_absolute_url() if url == "campaign" else "/act/"
    sign(campaign)
    assert _shown_count(Client().get(path)) == "1"
    sign(campaign, email="ana@example.org")

    with django_assert_num_queries(1):  # the campaign(s) only: no COUNT over the letters
        response = Client().get(path)
    assert _shown_count(response) == "1"  # up to ADVOCACY_PROGRESS_CACHE_SECONDS behind

    cache.delete(f"advocacy:letters-for-progress:{campaign.pk}")  # the interval has passed
    assert _shown_count(Client().get(path)) == "2"


def test_campaign_list_counts_every_campaign_in_one_query(seattle, django_assert_num_queries):
    campaigns = CampaignFactory.create_batch(3)
    sign(campaigns[1])
    with django_assert_num_queries(2):  # the live campaigns, then one grouped count for all of them
        response = Client().get("/act/")
    assert sorted(re.findall(r'data-testid="letter-count">(\d+) letter', response.text)) == ["0", "0", "1"]


def test_without_the_progress_cache_every_request_counts(seattle, campaign, settings):
    settings.ADVOCACY_PROGRESS_CACHE_SECONDS = 0
    sign(campaign)
    assert _shown_count(Client().get(campaign.get_absolute_url())) == "1"
    sign(campaign, email="ana@example.org")
    assert _shown_count(Client().get(campaign.get_absolute_url())) == "2"


def test_a_supporter_served_the_cached_form_can_submit_it(campaign):
    """The cached fragment must hold no CSRF token: Django reads the last one in the form, and a
    token cached from the first visitor would make every later letter fail with 403."""
    Client().get(campaign.get_absolute_url())  # the first visitor renders and caches the form
    supporter = Client(enforce_csrf_checks=True)
    page = supporter.get(campaign.get_absolute_url())
    (token,) = TOKEN_RE.findall(page.text)  # one token, the supporter's own

    response = supporter.post(campaign.get_absolute_url(), {"csrfmiddlewaretoken": token, "zip_code": "nope"})

    assert response.status_code == 200  # the form's own answer, not CSRF's 403
    assert "Please enter a five-digit ZIP code." in response.text
