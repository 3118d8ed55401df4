"""/privacy/ tells supporters what is kept, for how long and how to have it erased, in the numbers
the site really uses, and every form that asks for personal data links it."""

import pytest
from django.urls import reverse

from donations.models import Appeal
from tests.advocacy.factories import CampaignFactory
from tests.staff.factories import with_amounts

pytestmark = pytest.mark.django_db
PRIVACY = reverse("core:privacy")


def test_the_page_states_the_policy_in_the_settings_numbers(client, settings):
    settings.RETENTION_LETTER_DAYS = 45
    settings.ADVOCACY_STATUS_LINK_DAYS = 20
    settings.DONATION_MANAGE_LINK_MAX_AGE = 2 * 3600
    settings.PRIVACY_CONTACT_EMAIL = "erase@camino.example.org"
    settings.SESSION_COOKIE_AGE = 6 * 3600
    response = client.get(PRIVACY)
    assert response.status_code == 200
    text = response.text
    assert "45 days after every one of your letters has been delivered" in text
    assert "street address, your phone number and your own words" in text
    assert "stops working after 20 days" in text
    assert "works once and only for 2 hours" in text
    assert 'href="mailto:erase@camino.example.org"' in text
    assert "never the address itself" in text
    assert "which ends 6 hours after you last used the form" in text
    # The call step's answers (advocacy.CallReport) hold the office and the outcome, nothing more.
    assert "which office you called and how it went, nothing else" in text


def test_the_footer_the_letter_form_and_the_donation_form_link_it(client):
    campaign = CampaignFactory()
    with_amounts(Appeal.objects.create(title="Winter", slug="winter", is_default=True), [5000])
    for url in ("/", campaign.get_absolute_url(), reverse("donations:donate")):
        response = client.get(url)
        assert f'href="{PRIVACY}"' in response.text, url  # the footer
    assert f'href="{PRIVACY}#letters"' in client.get(campaign.get_absolute_url()).text
    assert f'href="{PRIVACY}#gifts"' in client.get(reverse("donations:donate")).text
