"""The district choice as a supporter meets it: people rather than numbers, never a choice of one,
a way forward when the ZIP table does not know the ZIP in their state, and no preselected title."""

import re

import pytest
from django.urls import reverse

from advocacy.models import Campaign, Letter
from advocacy.services.districts import HOUSE_LOOKUP_URL

from .factories import CampaignFactory, LegislatorFactory, ZipDistrictFactory
from .test_views import FORM

pytestmark = pytest.mark.django_db


def _post_form(client, campaign, **changes):
    return client.post(campaign.get_absolute_url(), {**FORM, **changes})


def _url(name, campaign):
    return reverse(f"advocacy:{name}", args=[campaign.slug])


def _radio_labels(html: str) -> list[str]:
    return [
        " ".join(label.split())
        for label in re.findall(r"<label[^>]*for=\"id_district_\d+\"[^>]*>(.*?)</label>", html, re.S)
    ]


def test_the_choice_names_each_member_with_party_and_links_the_house_lookup(client, seattle, campaign):
    ZipDistrictFactory(zip_code="98101", district=7)
    ZipDistrictFactory(zip_code="98101", district=9)
    ZipDistrictFactory(zip_code="98101", district=10)
    LegislatorFactory(state="WA", district=9, first_name="Lena", last_name="Nine", party="Republican")
    seattle["rep"].party = "Democrat"
    seattle["rep"].save()

    response = _post_form(client, campaign, zip_code="98101")
    assert response.url == _url("campaign_district", campaign)
    page = client.get(response.url).text

    assert _radio_labels(page) == [
        "WA district 7: Rep. Samuel Rep (Democrat)",
        "WA district 9: Rep. Lena Nine (Republican)",
        "WA district 10: vacant seat, no representative at present",
    ]
    assert f'href="{HOUSE_LOOKUP_URL}"' in page


def test_a_zip_across_two_states_places_the_supporter_without_a_choice_of_one(client, db):
    ZipDistrictFactory(zip_code="02861", state="MA", district=4)
    ZipDistrictFactory(zip_code="02861", state="RI", district=1)
    LegislatorFactory(state="RI", district=1, first_name="Gabe", last_name="Rhode")
    campaign = CampaignFactory(targets=Campaign.Targets.HOUSE)

    response = _post_form(client, campaign, zip_code="02861", state="RI", city="Pawtucket")

    assert response.url == _url("campaign_confirm", campaign)  # no district page with one "choice"
    assert "Rep. Gabe Rhode" in client.get(response.url).text
    client.post(_url("campaign_confirm", campaign))
    letter = Letter.objects.get()
    assert (letter.state, letter.district) == ("RI", 1)


def test_a_zip_missing_from_the_table_offers_the_districts_of_the_supporters_state(client, seattle, campaign):
    ZipDistrictFactory(zip_code="98101", district=9)
    LegislatorFactory(state="WA", district=9, first_name="Lena", last_name="Nine")

    response = _post_form(client, campaign, zip_code="98999")  # not a ZCTA: a PO-box ZIP, say

    assert response.url == _url("campaign_district", campaign)
    page = client.get(response.url).text
    assert [label.split(":")[0] for label in _radio_labels(page)] == ["WA district 7", "WA district 9"]
    assert "another state" not in page and "is in" not in page
    response = client.post(response.url, {"district": "9"})
    assert "Rep. Lena Nine" in client.get(response.url).text


def test_a_zip_listed_only_in_another_state_still_lets_the_supporter_choose(client, db):
    """Upstream lost Colorado's row for 81120 (it is listed only as NM-3): a Coloradan must not be
    told they live in New Mexico with no way forward."""
    ZipDistrictFactory(zip_code="81120", state="NM", district=3)
    ZipDistrictFactory(zip_code="81101", state="CO", district=3)
    ZipDistrictFactory(zip_code="80202", state="CO", district=1)
    LegislatorFactory(state="CO", district=3, first_name="Rae", last_name="Three")
    campaign = CampaignFactory(targets=Campaign.Targets.HOUSE)

    response = _post_form(client, campaign, zip_code="81120", state="CO", city="Antonito")

    assert response.url == _url("campaign_district", campaign)
    page = client.get(response.url).text
    assert "does not list 81120 in CO (it lists it in NM)" in page
    assert [label.split(":")[0] for label in _radio_labels(page)] == ["CO district 1", "CO district 3"]
    client.post(_url("campaign_district", campaign), {"district": "3"})
    client.post(_url("campaign_confirm", campaign))
    letter = Letter.objects.get()
    assert (letter.state, letter.district) == ("CO", 3)
    assert [d.office_code for d in letter.deliveries.all()] == ["HCO03"]


def test_an_at_large_state_confirms_the_state_its_zip_is_listed_outside_of_without_a_choice(client, db):
    """South Dakota's 57255 is listed only as ND-0 upstream; South Dakota has one district. No
    choice of one: the supporter confirms their state (a typo there would write to the wrong offices)."""
    ZipDistrictFactory(zip_code="57255", state="ND", district=0)
    ZipDistrictFactory(zip_code="57501", state="SD", district=0)
    LegislatorFactory(state="SD", district=0, first_name="Dee", last_name="Dakota", party="Republican")
    campaign = CampaignFactory(targets=Campaign.Targets.HOUSE)

    response = _post_form(client, campaign, zip_code="57255", state="SD", city="New Effington")

    assert response.url == _url("campaign_district", campaign)
    page = client.get(response.url).text
    assert "does not list 57255 in SD (it lists it in ND)" in page
    assert "Your representative would be Rep. Dee Dakota (Republican)." in page
    assert "Yes, I live in SD" in page
    assert _radio_labels(page) == [] and 'type="radio"' not in page
    response = client.post(_url("campaign_district", campaign), {"district": "0"})
    assert "Rep. Dee Dakota" in client.get(response.url).text


def test_an_at_large_state_with_a_zip_the_table_does_not_know_is_placed(client, db):
    ZipDistrictFactory(zip_code="57501", state="SD", district=0)
    LegislatorFactory(state="SD", district=0, first_name="Dee", last_name="Dakota")
    campaign = CampaignFactory(targets=Campaign.Targets.HOUSE)

    response = _post_form(client, campaign, zip_code="57799", state="SD", city="Spearfish")

    assert response.url == _url("campaign_confirm", campaign)
    assert "Rep. Dee Dakota" in client.get(response.url).text


def test_a_senate_campaign_writes_to_the_senators_of_the_state_given(client, db):
    ZipDistrictFactory(zip_code="81120", state="NM", district=3)
    senators = [LegislatorFactory(senator=True, state="CO", senate_class=n, last_name=f"Colo{n}") for n in (2, 3)]
    campaign = CampaignFactory(targets=Campaign.Targets.SENATE)

    response = _post_form(client, campaign, zip_code="81120", state="CO", city="Antonito")

    assert response.url == _url("campaign_confirm", campaign)
    client.post(_url("campaign_confirm", campaign))
    assert {d.legislator for d in Letter.objects.get().deliveries.all()} == set(senators)


def test_the_title_has_no_default_and_skipping_it_says_why(client, seattle, campaign):
    page = client.get(campaign.get_absolute_url()).text
    select = re.search(r'<select name="prefix".*?</select>', page, re.S).group(0)
    options = re.findall(r"<option[^>]*>", select)
    assert options[0] == '<option value="" selected>'
    assert not any("selected" in option for option in options[1:])

    response = _post_form(client, campaign, prefix="")

    assert response.status_code == 200
    assert "Please choose a title: offices require Mr., Mrs., Miss, Ms. or Dr." in response.text
    assert not Letter.objects.exists()
