"""A story's calls to action: Give Today, and Tell Congress with the campaign the editor chose."""

import pytest
from django.utils import timezone

from tests.advocacy.factories import CampaignFactory

from .factories import StoryFactory

pytestmark = pytest.mark.django_db


def test_story_shows_the_campaign_its_editor_chose(client):
    chosen = CampaignFactory(title="Chosen campaign", opens_at=timezone.now() - timezone.timedelta(days=10))
    CampaignFactory(title="Newest campaign", opens_at=timezone.now() - timezone.timedelta(days=1))
    story = StoryFactory(cta_campaign=chosen)
    html = client.get(story.get_absolute_url()).content.decode()
    assert "act-module" in html
    assert "Chosen campaign" in html and "Newest campaign" not in html


def test_story_without_a_chosen_campaign_shows_the_newest_live_one(client):
    CampaignFactory(title="Older campaign", opens_at=timezone.now() - timezone.timedelta(days=10))
    CampaignFactory(title="Newest campaign", opens_at=timezone.now() - timezone.timedelta(days=1))
    html = client.get(StoryFactory().get_absolute_url()).content.decode()
    assert "Newest campaign" in html


def test_calls_to_action_can_be_switched_off(client):
    CampaignFactory(title="Live campaign")
    story = StoryFactory(cta_give=False, cta_tell_congress=False)
    html = client.get(story.get_absolute_url()).content.decode()
    assert "give-module" not in html and "act-module" not in html
    shown = StoryFactory()
    html = client.get(shown.get_absolute_url()).content.decode()
    assert "give-module" in html and "act-module" in html
