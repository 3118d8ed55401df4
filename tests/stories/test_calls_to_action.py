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


def _after(html: str, marker: str) -> str:
    return html[html.index(marker):]


def test_story_page_ends_with_its_campaign_and_that_campaigns_appeal(client):
    from tests.staff.factories import appeal

    own = appeal(title="The campaign own appeal", slug="own-appeal", is_default=False)
    appeal(title="The default appeal", slug="default-appeal", is_default=True)
    campaign = CampaignFactory(title="Chosen campaign", appeal=own)
    story = StoryFactory(cta_campaign=campaign)
    html = client.get(story.get_absolute_url()).content.decode()
    # After the story's body, not beside it: on a phone the body comes first, then the next step.
    closing = _after(html, 'data-testid="take-part"')
    assert "</article>" not in closing.split('data-testid="take-part-give"')[0]
    assert "Chosen campaign" in closing and "The campaign own appeal" in closing
    assert "The default appeal" not in html


def test_agenda_point_page_ends_with_its_stories_campaign_and_appeal(client, points):
    from tests.staff.factories import appeal

    own = appeal(title="Point campaign appeal", slug="point-appeal", is_default=False)
    point_campaign = CampaignFactory(title="The point campaign", appeal=own,
                                     opens_at=timezone.now() - timezone.timedelta(days=10))
    CampaignFactory(title="Newest campaign", opens_at=timezone.now() - timezone.timedelta(days=1))
    StoryFactory(primary_point=points[0], cta_campaign=point_campaign)
    html = client.get(points[0].get_absolute_url()).content.decode()
    closing = _after(html, 'data-testid="take-part"')
    assert "The point campaign" in closing and "Point campaign appeal" in closing
    assert "Newest campaign" not in html


def test_agenda_point_without_a_campaign_of_its_own_ends_with_the_newest_and_the_default_appeal(client, points):
    from tests.staff.factories import appeal

    appeal(title="The default appeal", slug="default-appeal", is_default=True)
    CampaignFactory(title="Newest campaign", opens_at=timezone.now() - timezone.timedelta(days=1))
    StoryFactory(primary_point=points[1])
    closing = _after(client.get(points[1].get_absolute_url()).content.decode(), 'data-testid="take-part"')
    assert "Newest campaign" in closing and "The default appeal" in closing
    assert 'class="act-module' in closing and 'class="give-module' in closing


def test_agenda_grid_is_one_card_per_point_with_its_story_link_at_the_foot(client, points):
    StoryFactory(title="Lead for point one", primary_point=points[0])
    html = client.get("/agenda/").content.decode()
    assert html.count('class="card h-100 border-0 shadow-sm agenda-card"') == len(points)
    first = html[html.index(f'id="point-{points[0].slug}"'):]
    first = first[:first.index("</li>")]
    assert 'class="agenda-story mt-auto' in first and "Lead for point one" in first
    assert "story-card" not in first  # no card nested in a card (the ragged grid)
