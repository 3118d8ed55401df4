"""The call step on the thank-you page (issue 13): the writer says how each call went, with one
plain form button per office; only the writer, only for their own offices, once per office; staff
read the counts per office and outcome on the campaign's admin page."""

import io
import re

import pytest
from django.core.exceptions import ValidationError
from django.db import connection, transaction
from django.test import Client
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from django.utils import translation
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from advocacy import services
from advocacy.models import CallReport, Campaign, Letter
from staff.services import person_anonymize

from .factories import CallReportFactory, CampaignFactory, LegislatorFactory, LetterFactory
from .test_views import FORM, _post_form

pytestmark = pytest.mark.django_db

TALKED, VOICEMAIL, NO_ANSWER = CallReport.Outcome.TALKED, CallReport.Outcome.VOICEMAIL, CallReport.Outcome.NO_ANSWER


def _write(client, campaign):
    """The supporter writes through the form and lands on the thank-you page, as in the browser."""
    _post_form(client, campaign)
    client.post(reverse("advocacy:campaign_confirm", args=[campaign.slug]))
    return Letter.objects.get(campaign=campaign)


def _report(client, campaign, office, outcome, **extra):
    url = reverse("advocacy:campaign_call_report", args=[campaign.slug])
    return client.post(url, {"office": office, "outcome": outcome}, **extra)


# --- The service ------------------------------------------------------------------------------------


def test_call_report_record_counts_one_call_per_letter_and_office_and_keeps_the_last_answer():
    letter = LetterFactory()
    rep = LegislatorFactory()
    services.call_report_record(letter=letter, legislator_id=rep.pk, outcome=NO_ANSWER, offices=[rep.pk])
    report = services.call_report_record(letter=letter, legislator_id=rep.pk, outcome=TALKED, offices=[rep.pk])
    assert CallReport.objects.count() == 1
    assert (report.letter, report.legislator, report.outcome) == (letter, rep, TALKED)
    report.refresh_from_db()
    assert report.outcome == TALKED and report.updated_at >= report.created_at


@pytest.mark.parametrize(
    ("outcome", "in_offices", "code"),
    [
        ("", True, "unknown_outcome"),
        ("hung_up_on", True, "unknown_outcome"),
        (TALKED, False, "not_this_letters_office"),
    ],
)
def test_call_report_record_refuses_an_unknown_outcome_or_another_office(outcome, in_offices, code):
    letter = LetterFactory()
    rep, other = LegislatorFactory(), LegislatorFactory()
    offices = [rep.pk] if in_offices else [other.pk]
    with pytest.raises(ValidationError) as caught:
        services.call_report_record(letter=letter, legislator_id=rep.pk, outcome=outcome, offices=offices)
    assert caught.value.error_list[0].code == code
    assert not CallReport.objects.exists()


@settings(max_examples=40, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(st.lists(st.tuples(st.integers(0, 2), st.sampled_from(CallReport.Outcome.values)), max_size=12))
def test_however_often_a_writer_answers_each_office_counts_once_with_its_last_answer(answers):
    with transaction.atomic():
        letter = LetterFactory()
        offices = [LegislatorFactory().pk for _n in range(3)]
        for index, outcome in answers:
            services.call_report_record(letter=letter, legislator_id=offices[index], outcome=outcome, offices=offices)
        last = {offices[index]: outcome for index, outcome in answers}
        assert dict(letter.call_reports.values_list("legislator_id", "outcome")) == last
        counts = CallReport.objects.office_counts(letter.campaign)
        assert sum(row["total"] for row in counts) == len(last)
        for row in counts:
            said = last[row["legislator"]]
            assert (row["talked"], row["voicemail"], row["no_answer"]) == (
                int(said == TALKED),
                int(said == VOICEMAIL),
                int(said == NO_ANSWER),
            )
        transaction.set_rollback(True)


def test_office_counts_adds_up_the_campaigns_calls_per_office_and_outcome():
    campaign, elsewhere = CampaignFactory(), CampaignFactory()
    rep, senator = LegislatorFactory(), LegislatorFactory(senator=True)
    for outcome in (TALKED, TALKED, VOICEMAIL):
        CallReportFactory(letter=LetterFactory(campaign=campaign), legislator=rep, outcome=outcome)
    CallReportFactory(letter=LetterFactory(campaign=campaign), legislator=senator, outcome=NO_ANSWER)
    CallReportFactory(letter=LetterFactory(campaign=elsewhere), legislator=rep, outcome=NO_ANSWER)
    rows = CallReport.objects.office_counts(campaign)
    assert [(r["legislator"], r["talked"], r["voicemail"], r["no_answer"], r["total"]) for r in rows] == [
        (rep.pk, 2, 1, 0, 3),
        (senator.pk, 0, 0, 1, 1),
    ]


# --- The thank-you page's buttons -------------------------------------------------------------------


def test_the_writer_taps_an_outcome_and_the_page_comes_back_counting_it(client, seattle):
    campaign = CampaignFactory()
    letter = _write(client, campaign)
    rep = seattle["rep"]
    html = client.get(reverse("advocacy:campaign_thanks", args=[campaign.slug])).text
    # One form per office, with a button per outcome and the CSRF token: no JavaScript needed.
    forms = re.findall(r'<form method="post" action="([^"]+)"[^>]*>(.*?)</form>', html, re.S)
    assert len(forms) == 3
    assert all('name="csrfmiddlewaretoken"' in body for _action, body in forms)
    assert all(body.count('name="outcome"') == 3 for _action, body in forms)

    response = _report(client, campaign, rep.pk, VOICEMAIL, follow=True)

    assert response.redirect_chain[-1][0].endswith(f"/act/{campaign.slug}/thanks/#call-{rep.pk}")
    assert CallReport.objects.get().letter == letter
    assert "We have counted how your call went" in response.text
    assert "You told us: Left a voicemail" in response.text
    _report(client, campaign, rep.pk, TALKED)
    assert list(CallReport.objects.values_list("legislator", "outcome")) == [(rep.pk, TALKED)]


def test_a_stranger_guessing_ids_gets_404_and_nothing_is_recorded(client, seattle):
    campaign = CampaignFactory()
    _write(client, campaign)
    stranger = Client()
    for office in (seattle["rep"].pk, seattle["senators"][0].pk, "1", "x", ""):
        assert _report(stranger, campaign, office, TALKED).status_code == 404
    # Another campaign's thank-you session does not open this one's either.
    assert _report(client, CampaignFactory(), seattle["rep"].pk, TALKED).status_code == 404
    assert not CallReport.objects.exists()


def test_the_writer_cannot_report_on_an_office_that_is_not_theirs(client, seattle):
    campaign = CampaignFactory()
    _write(client, campaign)
    someone_elses = LegislatorFactory(state="OR", district=3)
    assert _report(client, campaign, someone_elses.pk, TALKED).status_code == 404
    assert _report(client, campaign, seattle["rep"].pk, "hung_up").status_code == 400
    assert not CallReport.objects.exists()


def test_the_buttons_need_the_csrf_token_and_a_post(seattle):
    client = Client(enforce_csrf_checks=True)
    campaign = CampaignFactory()
    thanks = services.SignThanks(
        letter_id=LetterFactory(campaign=campaign).pk, new=[], already=[], members=[seattle["rep"].pk]
    )
    session = client.session
    thanks.save(session, campaign=campaign)
    session.save()
    assert _report(client, campaign, seattle["rep"].pk, TALKED).status_code == 403
    url = reverse("advocacy:campaign_call_report", args=[campaign.slug])
    assert client.get(url, {"office": seattle["rep"].pk, "outcome": TALKED}).status_code == 405
    assert not CallReport.objects.exists()


def test_answers_are_rate_limited_per_address(client, seattle, settings):
    settings.ADVOCACY_CALL_REPORT_RATE_IP = "2/h"
    campaign = CampaignFactory()
    _write(client, campaign)
    rep, senator, other = seattle["rep"], *seattle["senators"]
    assert _report(client, campaign, rep.pk, TALKED).status_code == 302
    assert _report(client, campaign, senator.pk, TALKED).status_code == 302
    response = _report(client, campaign, other.pk, TALKED)
    assert response.status_code == 429 and "Too many answers" in response.text
    assert CallReport.objects.count() == 2


# --- Staff's counts ---------------------------------------------------------------------------------


def test_the_campaign_admin_page_shows_calls_per_office_in_constant_queries(admin_client, django_assert_num_queries):
    campaign = CampaignFactory()
    rep = LegislatorFactory(first_name="Samuel", last_name="Rep")
    CallReportFactory(letter=LetterFactory(campaign=campaign), legislator=rep, outcome=TALKED)
    url = reverse("admin:advocacy_campaign_change", args=[campaign.pk])
    admin_client.get(url)  # warm the session and permission caches
    with CaptureQueriesContext(connection) as few:
        admin_client.get(url)
    for n in range(6):
        CallReportFactory(
            letter=LetterFactory(campaign=campaign),
            legislator=rep if n % 2 else LegislatorFactory(senator=True, first_name=f"Rosa{n}"),
            outcome=[TALKED, VOICEMAIL, NO_ANSWER][n % 3],
        )
    with django_assert_num_queries(len(few)):
        response = admin_client.get(url)
    rows = re.findall(r'<tr data-testid="calls-row">(.*?)</tr>', response.text, re.S)
    assert len(rows) == 4
    cells = re.findall(r"<td>(.*?)</td>", rows[0])
    assert cells == ["Rep. Samuel Rep (WA-7)", "2", "1", "1", "4"]


def test_the_campaign_admin_page_says_when_nobody_has_reported_a_call(admin_client):
    campaign = CampaignFactory()
    response = admin_client.get(reverse("admin:advocacy_campaign_change", args=[campaign.pk]))
    assert "No calls reported yet." in response.text


# --- Personal data ----------------------------------------------------------------------------------


def test_a_report_goes_with_its_letter_and_names_nobody_after_the_writer_is_anonymized():
    report = CallReportFactory()
    fields = {f.name for f in CallReport._meta.concrete_fields}
    assert fields == {"id", "letter", "legislator", "outcome", "created_at", "updated_at"}
    person_anonymize(email=report.letter.supporter.email)
    report.refresh_from_db()  # the count stays; the letter it points to names nobody any more
    assert (report.letter.first_name, report.letter.last_name, report.letter.city) == ("", "", "")
    report.letter.delete()
    assert not CallReport.objects.exists()


# --- The script in Spanish (issue 14) ---------------------------------------------------------------

SCRIPT_EN = "Hello, my name is [your name] and I live in [your town]. Please give every child a lawyer."
SCRIPT_ES = "Hola, me llamo [your name] y vivo en [your town]. Le pido que cada niño tenga un abogado."


@pytest.fixture
def spanish(settings):
    settings.LANGUAGES = [("en", "English"), ("es", "Español")]


def _spanish_thanks(client, campaign):
    with translation.override("es"):
        detail, thanks = campaign.get_absolute_url(), reverse("advocacy:campaign_thanks", args=[campaign.slug])
        confirm = reverse("advocacy:campaign_confirm", args=[campaign.slug])
    _post_form_to(client, detail)
    client.post(confirm)
    return client.get(thanks)


def _post_form_to(client, url):
    return client.post(url, FORM)


def _part(html, testid):
    found = re.search(rf'<div(?: lang="en")? data-testid="{testid}">(.*?)</div>', html, re.S)
    return found.group(1) if found else None


def test_a_spanish_page_guides_in_spanish_and_gives_the_english_lines_to_say(client, seattle, spanish):
    campaign = CampaignFactory(call_script=SCRIPT_EN, call_script_es=SCRIPT_ES)
    html = _spanish_thanks(client, campaign).text
    guide, lines = _part(html, "call-script-guide"), _part(html, "call-script")
    assert "Hola, me llamo Maria Lopez y vivo en Seattle." in guide
    assert "Dígalo así, en inglés:" in html and "En la oficina le contestarán en inglés" in html
    assert '<div lang="en" data-testid="call-script">' in html
    assert "Hello, my name is Maria Lopez and I live in Seattle." in lines and "Hola" not in lines
    assert (
        html.index('data-testid="call-script-guide"')
        < html.index("Dígalo así, en inglés:")
        < html.index('data-testid="call-script"')
    )
    # The buttons speak Spanish, and answering brings the Spanish page back.
    assert "Dejé un mensaje de voz" in html and "Después de llamar a Rep. Samuel Rep, ¿cómo le fue?" in html
    response = _report(client, campaign, seattle["rep"].pk, VOICEMAIL, follow=True)
    assert response.redirect_chain[-1][0].startswith("/es/act/")
    assert "Usted nos dijo: Dejé un mensaje de voz." in response.text


def test_the_default_script_is_guided_in_spanish_too(client, seattle, spanish):
    campaign = CampaignFactory(call_script="")
    html = _spanish_thanks(client, campaign).text
    assert "Hola, me llamo Maria Lopez" in _part(html, "call-script-guide")
    assert "Hello, my name is Maria Lopez and I am a constituent from Seattle." in _part(html, "call-script")


def test_without_a_spanish_script_the_english_lines_stand_alone(client, seattle, spanish):
    campaign = CampaignFactory(call_script=SCRIPT_EN, call_script_es="")
    html = _spanish_thanks(client, campaign).text
    assert _part(html, "call-script-guide") is None
    assert "Hello, my name is Maria Lopez and I live in Seattle." in _part(html, "call-script")


def test_an_english_page_shows_only_the_english_lines(client, seattle, spanish):
    campaign = CampaignFactory(call_script=SCRIPT_EN, call_script_es=SCRIPT_ES)
    _write(client, campaign)
    html = client.get(reverse("advocacy:campaign_thanks", args=[campaign.slug])).text
    assert _part(html, "call-script-guide") is None and "Say this in English:" not in html
    assert "Hello, my name is Maria Lopez and I live in Seattle." in _part(html, "call-script")


def test_call_script_guide_fills_the_spanish_script_only_on_a_spanish_page():
    letter = LetterFactory(campaign=CampaignFactory(call_script=SCRIPT_EN, call_script_es=SCRIPT_ES))
    with translation.override("es"):
        assert (
            letter.call_script_guide() == "Hola, me llamo Maria Lopez y vivo en Seattle. Le pido que cada niño "
            "tenga un abogado."
        )
        assert letter.call_script().startswith("Hello, my name is Maria Lopez")
    with translation.override("en"):
        assert letter.call_script_guide() == ""


def test_the_demo_campaign_guides_its_call_in_spanish_with_the_writers_name_and_town():
    from advocacy import demo

    demo.seed(stdout=io.StringIO())
    letter = LetterFactory(campaign=Campaign.objects.get(slug=demo.DEMO_SLUG), first_name="Ana", city="Yakima")
    with translation.override("es"):
        guide = letter.call_script_guide()
    assert guide.startswith("Hola, me llamo Ana Lopez y vivo en Yakima.")
    assert letter.call_script().startswith("Hello, my name is Ana Lopez and I live in Yakima.")
