"""The supporter's journey through the web pages, and what bad input does (nothing)."""

import re

import pytest
from django.core.cache import cache
from django.urls import reverse

from advocacy import services
from advocacy.models import Campaign, Delivery, Letter, Supporter
from advocacy.templatetags.advocacy_tags import act_module

from .conftest import sign
from .factories import CampaignFactory, LegislatorFactory, ZipDistrictFactory

pytestmark = pytest.mark.django_db

FORM = {
    "prefix": "Ms.",
    "first_name": "Maria",
    "last_name": "Lopez",
    "email": "Maria@Example.org",
    "street": "400 Broad St",
    "city": "Seattle",
    "state": "WA",
    "zip_code": "98109",
    "phone": "(206) 555-0100",
    "own_words": "I care about these children.",
    "consent": "on",
    "website": "",
}


def _post_form(client, campaign, **changes):
    return client.post(campaign.get_absolute_url(), {**FORM, **changes})


def test_campaign_list_shows_live_campaigns_only(client, campaign):
    CampaignFactory(status=Campaign.Status.DRAFT, title="Hidden draft")
    response = client.get(reverse("advocacy:campaign_list"))
    assert campaign.title in response.text and "Hidden draft" not in response.text


def test_draft_campaign_is_not_found(client):
    draft = CampaignFactory(status=Campaign.Status.DRAFT)
    assert client.get(draft.get_absolute_url()).status_code == 404


def test_supporter_writes_to_their_members_through_every_step(
    client, seattle, campaign, django_capture_on_commit_callbacks
):
    response = client.get(campaign.get_absolute_url())
    assert response.status_code == 200 and campaign.ask in response.text

    response = _post_form(client, campaign)
    assert response.status_code == 302 and response.url == reverse("advocacy:campaign_confirm", args=[campaign.slug])
    assert not Letter.objects.exists()  # nothing stored before the supporter confirms

    response = client.get(response.url)
    assert "Rep. Samuel Rep" in response.text and "Sen. Avery Senator" in response.text
    assert "Dear Sen. Rosa Senator," in response.text  # each office's own preview
    assert "I care about these children." in response.text

    with django_capture_on_commit_callbacks(execute=False) as callbacks:
        response = client.post(reverse("advocacy:campaign_confirm", args=[campaign.slug]))
    assert response.status_code == 302
    assert len(callbacks) == 4
    letter = Letter.objects.get()
    assert letter.supporter.email == "maria@example.org" and letter.phone == "206-555-0100"
    assert letter.deliveries.count() == 3

    response = client.get(response.url)
    assert "Thank you for writing" in response.text
    assert "202-555-0142" in response.text  # call-in numbers of the supporter's offices
    assert "twitter.com/intent/tweet" in response.text
    # The private link goes to the mailbox only (whoever typed an address sees this page).
    assert services.letter_status_url(letter) not in response.text and "/act/status/" not in response.text
    assert "We are emailing a confirmation" in response.text


def test_writing_twice_says_kindly_that_nothing_would_be_sent_again(client, seattle, campaign):
    sign(campaign, email="maria@example.org")
    _post_form(client, campaign)
    response = client.get(reverse("advocacy:campaign_confirm", args=[campaign.slug]))
    assert "Not sent again: Rep. Samuel Rep, Sen. Avery Senator, Sen. Rosa Senator" in response.text
    assert "nothing new to send" in response.text and "Send my letters" not in response.text
    response = client.post(reverse("advocacy:campaign_confirm", args=[campaign.slug]), follow=True)
    assert "nothing new to send" in response.text
    assert Delivery.objects.count() == 3 and Letter.objects.count() == 1


def test_a_zip_split_between_districts_lets_the_supporter_choose(client, seattle, campaign):
    ZipDistrictFactory(zip_code="98101", district=7)
    ZipDistrictFactory(zip_code="98101", district=9)
    LegislatorFactory(state="WA", district=9, first_name="Lena", last_name="Nine")
    response = _post_form(client, campaign, zip_code="98101")
    assert response.url == reverse("advocacy:campaign_district", args=[campaign.slug])
    page = client.get(response.url)
    assert "WA district 7" in page.text and "WA district 9" in page.text
    response = client.post(response.url, {"district": "9"})
    assert response.url == reverse("advocacy:campaign_confirm", args=[campaign.slug])
    assert "Rep. Lena Nine" in client.get(response.url).text
    client.post(reverse("advocacy:campaign_confirm", args=[campaign.slug]))
    assert Letter.objects.get().district == 9


def test_a_district_not_among_the_candidates_is_refused(client, seattle, campaign):
    ZipDistrictFactory(zip_code="98101", district=7)
    ZipDistrictFactory(zip_code="98101", district=9)
    url = _post_form(client, campaign, zip_code="98101").url
    response = client.post(url, {"district": "3"})
    assert response.status_code == 200 and "Select a valid choice" in response.text


def test_vacant_seat_is_said_plainly(client, db):
    ZipDistrictFactory(zip_code="98404", district=10)
    LegislatorFactory(senator=True, state="WA", senate_class=1)
    campaign = CampaignFactory()
    _post_form(client, campaign, zip_code="98404")
    response = client.get(reverse("advocacy:campaign_confirm", args=[campaign.slug]))
    assert "The seat for WA-10 is vacant" in response.text
    assert "The seat for WA is vacant" in response.text  # the second Senate seat


@pytest.mark.parametrize(
    ("changes", "field", "message"),
    [
        ({"email": "not-an-email"}, "email", "Enter a valid email address."),
        ({"email": ("x" * 250) + "@example.org"}, "email", "at most 254"),
        ({"zip_code": "ABCDE"}, "zip_code", "five-digit ZIP"),
        ({"phone": "12345"}, "phone", "ten-digit"),
        ({"first_name": "<b>Bot</b>"}, "first_name", "letters only"),
        ({"website": "http://spam.example"}, "website", "leave this field empty"),
        ({"state": "ZZ"}, "state", "Select a valid choice"),
        ({"zip_code": "98109", "state": "OR"}, "zip_code", "This ZIP code is in WA"),
        # Nothing known about the state at all (an unknown ZIP in a state with districts offers them).
        ({"zip_code": "00000", "state": "OR"}, None, "could not find the congressional district"),
    ],
)
def test_bad_input_shows_a_clear_message_and_changes_nothing(client, seattle, campaign, changes, field, message):
    response = _post_form(client, campaign, **changes)
    assert response.status_code == 200
    assert message.lower() in response.text.lower()
    assert not Supporter.objects.exists() and not Letter.objects.exists() and not Delivery.objects.exists()
    assert f"advocacy:draft:{campaign.slug}" not in client.session


def test_own_words_beyond_the_maximum_are_refused(client, seattle):
    campaign = CampaignFactory(max_length=10)
    response = _post_form(client, campaign, own_words="x" * 11)
    assert "under 10 characters" in response.text
    assert not Letter.objects.exists()


def test_closed_campaign_shows_no_form_and_takes_no_letter(client, seattle):
    campaign = CampaignFactory(status=Campaign.Status.CLOSED)
    response = _post_form(client, campaign)
    assert response.status_code == 200 and "This campaign has closed" in response.text
    assert not Letter.objects.exists()


def test_confirm_without_a_form_goes_back_to_the_campaign(client, campaign):
    response = client.post(reverse("advocacy:campaign_confirm", args=[campaign.slug]))
    assert response.status_code == 302 and response.url == campaign.get_absolute_url()
    assert not Letter.objects.exists()


def test_submissions_are_rate_limited_per_email(client, seattle, campaign, settings):
    settings.ADVOCACY_SIGN_RATE_EMAIL = "1/h"
    _post_form(client, campaign)
    client.post(reverse("advocacy:campaign_confirm", args=[campaign.slug]))
    _post_form(client, campaign)
    response = client.post(reverse("advocacy:campaign_confirm", args=[campaign.slug]))
    assert response.status_code == 429 and "Too many letters" in response.text


def test_submissions_are_rate_limited_per_ip(client, seattle, campaign, settings):
    settings.ADVOCACY_SIGN_RATE_IP = "1/h"
    _post_form(client, campaign)
    client.post(reverse("advocacy:campaign_confirm", args=[campaign.slug]))
    _post_form(client, campaign, email="someone-else@example.org")
    response = client.post(reverse("advocacy:campaign_confirm", args=[campaign.slug]))
    assert response.status_code == 429
    assert not Supporter.objects.filter(email="someone-else@example.org").exists()


def test_letter_text_is_escaped_everywhere(client, seattle, campaign):
    evil = "<script>alert('x')</script>"
    _post_form(client, campaign, own_words=evil)
    response = client.get(reverse("advocacy:campaign_confirm", args=[campaign.slug]))
    assert evil not in response.text and "&lt;script&gt;" in response.text
    client.post(reverse("advocacy:campaign_confirm", args=[campaign.slug]))
    status = client.get(services.letter_status_url(Letter.objects.get()))
    assert evil not in status.text


def test_status_page_shows_each_delivery_state_and_refuses_a_forged_link(client, seattle, campaign):
    letter = sign(campaign).letter
    delivery = letter.deliveries.first()
    Delivery.objects.filter(pk=delivery.pk).update(status=Delivery.Status.FAILED)
    response = client.get(services.letter_status_url(letter))
    assert response.status_code == 200 and response["X-Robots-Tag"] == "noindex"
    assert response.text.count('data-testid="delivery-row"') == 3
    assert "Failed" in response.text and "Queued" in response.text
    assert client.get(reverse("advocacy:letter_status", args=[f"{letter.pk}:forged"])).status_code == 404


def test_a_failed_letter_offers_the_offices_own_contact_form_and_phone(
    client, seattle, campaign, django_assert_num_queries
):
    senator = seattle["senators"][0]
    senator.contact_form_url = "https://senator-one.example.gov/contact"
    senator.save()
    letter = sign(campaign).letter
    Delivery.objects.filter(letter=letter, legislator=senator).update(status=Delivery.Status.FAILED)
    url = services.letter_status_url(letter)

    with django_assert_num_queries(3):  # the letter with campaign and supporter, its deliveries, their members
        response = client.get(url)

    (fallback,) = re.findall(r'data-testid="office-fallback">(.*?)</span>', response.text, re.S)
    assert 'href="https://senator-one.example.gov/contact"' in fallback and senator.phone in fallback
    # Only where a letter failed: the others are on their way.
    assert response.text.count('data-testid="office-fallback"') == 1


def test_act_module_shows_the_live_campaign_in_one_query(seattle, campaign, django_assert_num_queries):
    sign(campaign)
    with django_assert_num_queries(1):
        context = act_module()
    assert context["campaign"] == campaign and context["campaign"].letter_count == 1
    assert context["percent"] == 1


def test_act_module_without_a_live_campaign_links_to_the_list(db, client, django_assert_num_queries):
    with django_assert_num_queries(1):
        assert act_module()["campaign"] is None


def test_a_stored_letter_gets_its_thank_you_page_when_the_session_cannot_be_saved(client, seattle, campaign):
    from django.db import OperationalError, connection

    def session_write_fails(execute, sql, params, many, context):
        # A database blip just after the letter's commit, as the session is written.
        if "django_session" in sql and sql.lstrip().upper().startswith(("UPDATE", "INSERT")):
            raise OperationalError("server closed the connection unexpectedly")
        return execute(sql, params, many, context)

    _post_form(client, campaign)
    with connection.execute_wrapper(session_write_fails):
        response = client.post(reverse("advocacy:campaign_confirm", args=[campaign.slug]))
    assert response.status_code == 200
    assert "Thank you for writing" in response.text
    letter = Letter.objects.get()
    assert "Your letter is on its way to" in response.text and letter.deliveries.count() == 3


def test_supporters_behind_a_trusted_proxy_are_limited_by_their_own_address(client, seattle, campaign, settings):
    settings.TRUSTED_PROXY_COUNT = 1  # DJANGO_TRUSTED_PROXY_COUNT=1: REMOTE_ADDR is the proxy
    settings.ADVOCACY_SIGN_RATE_IP = "1/h"
    confirm = reverse("advocacy:campaign_confirm", args=[campaign.slug])

    def write(email, forwarded_for):
        _post_form(client, campaign, email=email)
        return client.post(confirm, REMOTE_ADDR="10.0.0.1", HTTP_X_FORWARDED_FOR=forwarded_for)

    assert write("ana@example.org", "203.0.113.7").status_code == 302
    assert write("ben@example.org", "198.51.100.9").status_code == 302  # another supporter, same proxy
    assert write("cleo@example.org", "203.0.113.7").status_code == 429  # the first address, again
    assert set(Supporter.objects.values_list("email", flat=True)) == {"ana@example.org", "ben@example.org"}


@pytest.mark.parametrize("url", ["campaign", "list"])
def test_the_letter_counter_stays_quiet_below_the_staff_threshold(client, seattle, url):
    campaign = CampaignFactory(counter_shown_from=2, goal=5000)
    path = campaign.get_absolute_url() if url == "campaign" else reverse("advocacy:campaign_list")
    sign(campaign)
    response = client.get(path)
    assert 'data-testid="letter-count"' not in response.text and "toward our goal" not in response.text

    sign(campaign, email="ana@example.org")
    cache.clear()  # the counter is cached for an interval
    assert "2 letters sent toward our goal of 5,000" in client.get(path).text


def _thanks_after_writing(client, campaign):
    _post_form(client, campaign)
    client.post(reverse("advocacy:campaign_confirm", args=[campaign.slug]))
    return client.get(reverse("advocacy:campaign_thanks", args=[campaign.slug])).text


def _call_script(html):
    return re.search(r'<div lang="en" data-testid="call-script">(.*?)</div>', html, re.S).group(1)


@pytest.mark.parametrize("staff_script", ["", "Hello, my name is [your name] and I live in [your town]. Please act."])
def test_the_call_script_is_filled_with_the_writers_name_and_town_in_english(client, seattle, staff_script):
    campaign = CampaignFactory(call_script=staff_script)
    html = _thanks_after_writing(client, campaign)
    script = _call_script(html)
    assert "Maria Lopez" in script and "Seattle" in script
    assert "[your name]" not in html and "[your town]" not in html
    assert re.search(r'<a class="tel" href="tel:[^"]+">', html)


def test_the_campaign_page_puts_the_form_first_and_previews_the_letter_with_example_values(client, campaign):
    campaign.ask = "A long ask about lawyers for children."
    campaign.save()
    html = client.get(campaign.get_absolute_url()).text
    assert "{member_title}" not in html and "{member_name}" not in html and "{full_name}" not in html
    assert "Dear Representative [Your representative]" in html and "[Your city]" in html
    # The long ask waits behind "read more"; the form comes before the letter preview.
    assert re.search(r"<details[^>]*data-testid=\"ask-more\">\s*<summary>Read more</summary>\s*<p>A long ask", html)
    assert html.index('name="first_name"') < html.index('data-testid="letter-preview"')
