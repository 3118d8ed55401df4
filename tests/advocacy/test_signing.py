"""The supporter's draft and the district decision, without HTTP: what the view leaves to them."""

import pytest
from django.core.exceptions import ValidationError

from advocacy import services
from advocacy.models import Campaign

from .conftest import SIGN_DATA
from .factories import CampaignFactory, LegislatorFactory, ZipDistrictFactory

pytestmark = pytest.mark.django_db


def test_a_single_district_zip_places_the_supporter(seattle, campaign):
    draft = services.sign_draft_create(campaign=campaign, data=dict(SIGN_DATA))
    assert draft.district == 7 and not draft.needs_district_choice and draft.is_placed
    assert set(draft.lookup().members) == {seattle["rep"], *seattle["senators"]}


def test_a_split_zip_asks_the_supporter_to_choose_and_the_choice_decides_the_members(seattle, campaign):
    ZipDistrictFactory(zip_code="98101", district=7)
    ZipDistrictFactory(zip_code="98101", district=9)
    nine = LegislatorFactory(state="WA", district=9)
    draft = services.sign_draft_create(campaign=campaign, data={**SIGN_DATA, "zip_code": "98101"})
    assert draft.needs_district_choice and not draft.is_placed
    assert draft.candidates == [("WA", 7), ("WA", 9)]
    draft.district = 9
    assert nine in draft.lookup().members


def test_a_zip_in_another_state_is_an_error_on_the_zip_code(seattle, campaign):
    with pytest.raises(ValidationError) as exc:
        services.sign_draft_create(campaign=campaign, data={**SIGN_DATA, "state": "OR"})
    assert list(exc.value.error_dict) == ["zip_code"]
    assert "This ZIP code is in WA" in exc.value.error_dict["zip_code"][0].message


def test_a_custom_target_campaign_needs_no_district(db):
    campaign = CampaignFactory(targets=Campaign.Targets.CUSTOM)
    draft = services.sign_draft_create(campaign=campaign, data={**SIGN_DATA, "zip_code": "00000"})
    assert draft.is_placed and draft.lookup() is None


def test_the_draft_survives_the_session_between_steps(seattle, campaign):
    session = {}
    draft = services.sign_draft_create(campaign=campaign, data=dict(SIGN_DATA))
    draft.save(session)
    loaded = services.SignDraft.load(session, campaign=campaign)
    assert (loaded.data, loaded.district, loaded.email) == (draft.data, 7, "maria@example.org")
    loaded.discard(session)
    assert services.SignDraft.load(session, campaign=campaign) is None


def test_the_previews_the_supporter_checks_are_the_letters_stored(seattle):
    campaign = CampaignFactory(editing_policy=Campaign.EditingPolicy.NOTE)
    data = {**SIGN_DATA, "own_words": "Please, {member_name}."}
    draft = services.sign_draft_create(campaign=campaign, data=data)
    previews = draft.previews(draft.plan(draft.lookup()))
    result = services.campaign_sign(campaign=campaign, lookup=draft.lookup(), **data)
    assert [(p.recipient.label, p.subject, p.statement, p.personal, p.backend) for p in previews] == [
        (d.recipient_name, d.subject, d.statement, d.personal, d.backend) for d in result.new_deliveries
    ]
