"""The campaign page's blank form is rendered once and then taken from the cache; everything
personal (the CSRF token, a submitted form, a draft) is rendered for each visitor."""

import re

import pytest
from django.core.cache import cache
from django.core.cache.utils import make_template_fragment_key
from django.test import Client
from django.utils import translation

from advocacy.forms import SignForm

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

    with django_assert_num_queries(2):  # the campaign and its live letter count
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
