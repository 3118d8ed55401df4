"""Pages that show one supporter's data are never cached (no-store, private); public ones still are."""

import pytest
from django.urls import reverse
from django.utils.translation import gettext

from advocacy import services

from .conftest import sign
from .test_views import _post_form

pytestmark = pytest.mark.django_db


def is_private(response) -> bool:
    cache_control = response.get("Cache-Control", "")
    return "no-store" in cache_control and "private" in cache_control


def test_every_page_of_the_letter_journey_that_shows_the_supporters_data_is_no_store(client, seattle, campaign):
    assert not is_private(client.get(campaign.get_absolute_url()))  # the public page, before any draft

    _post_form(client, campaign)
    confirm = reverse("advocacy:campaign_confirm", args=[campaign.slug])
    response = client.get(confirm)
    assert "400 Broad St" in response.text and is_private(response)
    assert is_private(client.get(campaign.get_absolute_url()))  # the form, filled in from the draft

    response = client.post(confirm, follow=True)
    assert "Thank you for writing" in response.text and is_private(response)


def test_the_district_choice_and_the_status_page_are_no_store(client, seattle, campaign):
    district = client.get(reverse("advocacy:campaign_district", args=[campaign.slug]))
    assert is_private(district)  # a redirect without a draft, still never stored
    letter = sign(campaign).letter
    assert is_private(client.get(services.letter_status_url(letter)))


def test_public_pages_keep_their_caching(client, campaign):
    for url in ("/", reverse("stories:story_list"), reverse("advocacy:campaign_list"), campaign.get_absolute_url()):
        assert not is_private(client.get(url)), url


def test_the_status_page_promises_to_update_itself_only_to_its_script(client, seattle, campaign):
    """While letters are on their way js/live-status.js updates the page and shows the sentence
    saying so; without JavaScript it stays hidden and the Check now link is the way."""
    letter = sign(campaign).letter  # queued: no worker runs here
    html = client.get(services.letter_status_url(letter)).text
    note = str(gettext("This page updates itself every 30 seconds."))
    assert f"<span data-live-note hidden>{note}</span>" in html
    assert 'data-live-every="30"' in html
