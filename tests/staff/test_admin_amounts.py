"""The appeal's amount buttons in the admin: a table inside the appeal's page, each line in English
and Spanish side by side, held to the appeal's "no English-only text while active" rule."""

import re

import pytest
from django.test import Client
from django.urls import reverse

from donations.models import Appeal, SuggestedAmount
from tests.staff.factories import appeal as appeal_factory
from tests.staff.factories import with_amounts
from tests.staff.test_admin_urls import post_change_form

pytestmark = pytest.mark.django_db

ADD_URL = reverse("admin:donations_appeal_add")


def _appeal_form(rows=(), **overrides):
    data = {
        "title_en": "Winter appeal",
        "title_es": "Llamado de invierno",
        "slug": "winter",
        "text_en": "Why.",
        "text_es": "Por qué.",
        "default_frequency": "once",
        "is_active": "on",
        "progress_shown_from_cents": "0",
        "suggested_amounts-TOTAL_FORMS": str(len(rows)),
        "suggested_amounts-INITIAL_FORMS": "0",
    }
    for n, row in enumerate(rows):
        data.update({f"suggested_amounts-{n}-{name}": value for name, value in row.items()})
    data.update(overrides)
    return {key: value for key, value in data.items() if value is not None}


def test_the_appeal_page_has_a_table_of_buttons_with_english_and_spanish_columns(admin_client):
    page = admin_client.get(ADD_URL)

    assert page.status_code == 200
    (inline,) = page.context["inline_admin_formsets"]
    form = inline.formset.forms[0]
    assert {"amount_cents", "impact_line_en", "impact_line_es", "position"} <= set(form.fields)
    assert "impact_line" not in form.fields  # no third box writing whichever language is active
    assert not form.fields["impact_line_es"].required
    html = page.content.decode()
    assert re.search(
        r'<input[^>]*name="suggested_amounts-0-impact_line_es"[^>]*lang="es"|'
        r'<input[^>]*lang="es"[^>]*name="suggested_amounts-0-impact_line_es"',
        html,
    )
    assert "What it does [es]" in html or "what it does [es]" in html.lower()


def test_the_admin_saves_the_buttons_with_both_languages(admin_client):
    rows = [
        {
            "amount_cents": "5000",
            "impact_line_en": "A week of safe shelter for one child",
            "impact_line_es": "Una semana de refugio seguro para una niña o un niño",
            "position": "0",
        },
        {"amount_cents": "2500", "impact_line_en": "", "impact_line_es": "", "position": "1"},
    ]
    response = admin_client.post(ADD_URL, _appeal_form(rows))

    assert response.status_code == 302, response.context["inline_admin_formsets"][0].formset.errors
    appeal = Appeal.objects.get(slug="winter")
    assert [(a.amount_cents, a.impact_line_en or "", a.impact_line_es or "") for a in appeal.amounts()] == [
        (5000, "A week of safe shelter for one child", "Una semana de refugio seguro para una niña o un niño"),
        (2500, "", ""),
    ]


def test_the_same_amount_twice_is_refused(admin_client):
    rows = [{"amount_cents": "5000", "position": "0"}, {"amount_cents": "5000", "position": "1"}]
    response = admin_client.post(ADD_URL, _appeal_form(rows))

    assert response.status_code == 200
    assert not Appeal.objects.exists()
    assert response.context["inline_admin_formsets"][0].formset.non_form_errors()


def test_an_active_appeal_is_refused_with_a_line_only_in_english_and_an_inactive_one_waits(admin_client):
    rows = [{"amount_cents": "5000", "impact_line_en": "A week of safe shelter for one child", "position": "0"}]

    refused = admin_client.post(ADD_URL, _appeal_form(rows))

    assert refused.status_code == 200 and not Appeal.objects.exists()
    (row,) = refused.context["inline_admin_formsets"][0].formset.forms
    assert [error.code for error in row.errors.as_data()["impact_line_es"]] == ["spanish_required"]

    saved = admin_client.post(ADD_URL, _appeal_form(rows, is_active=None))
    assert saved.status_code == 302
    assert SuggestedAmount.objects.get().impact_line_es in ("", None)


def test_switching_an_appeal_on_checks_the_lines_already_stored(admin_client):
    appeal = appeal_factory(is_active=False, text="Why.", text_es="Por qué.", amounts=[(5000, "Shelter", "")])
    url = reverse("admin:donations_appeal_change", args=[appeal.pk])
    page = admin_client.get(url)
    data = _appeal_form(slug=appeal.slug, title_en=appeal.title_en, title_es=appeal.title_es)
    row = SuggestedAmount.objects.get()
    data.update(
        {
            "suggested_amounts-TOTAL_FORMS": "1",
            "suggested_amounts-INITIAL_FORMS": "1",
            "suggested_amounts-0-id": str(row.pk),
            "suggested_amounts-0-appeal": str(appeal.pk),
            "suggested_amounts-0-amount_cents": "5000",
            "suggested_amounts-0-impact_line_en": "Shelter",
            "suggested_amounts-0-position": "0",
        }
    )
    assert page.status_code == 200

    refused = admin_client.post(url, data)

    assert refused.status_code == 200
    appeal.refresh_from_db()
    assert not appeal.is_active
    (form,) = refused.context["inline_admin_formsets"][0].formset.forms
    assert "impact_line_es" in form.errors

    data["suggested_amounts-0-impact_line_es"] = "Refugio"
    assert admin_client.post(url, data).status_code == 302
    appeal.refresh_from_db()
    assert appeal.is_active


def test_the_list_marks_and_filters_appeals_whose_lines_miss_spanish(admin_client, django_assert_max_num_queries):
    done = appeal_factory(title_en="Done", amounts=[(5000, "Shelter", "Refugio")])
    missing = appeal_factory(title_en="Missing", is_active=False, amounts=[(5000, "Shelter", "")])
    url = reverse("admin:donations_appeal_changelist")

    assert list(admin_client.get(url, {"spanish_missing": "yes"}).context["cl"].result_list) == [missing]
    assert list(admin_client.get(url, {"spanish_missing": "no"}).context["cl"].result_list) == [done]
    page = admin_client.get(url)
    flags = {obj.pk: page.context["cl"].model_admin.spanish_missing(obj) for obj in page.context["cl"].result_list}
    assert flags == {done.pk: False, missing.pk: True}

    for n in range(5):  # the mark is one annotation, not one query per appeal
        appeal_factory(title_en=f"More {n}", is_active=False, amounts=[(5000, "Shelter", "")])
    with django_assert_max_num_queries(12):
        admin_client.get(url)


def test_a_line_edited_in_the_admin_shows_on_the_donate_page_at_once(admin_client):
    appeal = appeal_factory(is_default=True, text="Why.", text_es="Por qué.", amounts=[(5000, "Shelter", "Refugio")])
    row = SuggestedAmount.objects.get()
    assert "Shelter" in Client().get(reverse("donations:donate")).text  # the blank form is now cached

    post_change_form(
        admin_client,
        appeal,
        **{
            "suggested_amounts-0-impact_line_en": "A week of safe shelter",
            "suggested_amounts-0-impact_line_es": "Una semana de refugio seguro",
        },
    )

    row.refresh_from_db()
    assert row.impact_line_en == "A week of safe shelter"
    assert "A week of safe shelter" in Client().get(reverse("donations:donate")).text


def test_removing_a_button_in_the_admin(admin_client):
    appeal = with_amounts(appeal_factory(amounts=()), [2500, 5000])
    post_change_form(admin_client, appeal, **{"suggested_amounts-0-DELETE": "on"})
    assert [a.amount_cents for a in Appeal.objects.get(pk=appeal.pk).amounts()] == [5000]


def test_finance_adds_and_removes_buttons(client, make_staff):
    from staff.roles import FINANCE

    client.force_login(make_staff("fin", FINANCE))
    appeal = appeal_factory(amounts=[2500], text="Why.", text_es="Por qué.")

    post_change_form(
        client,
        appeal,
        **{
            "suggested_amounts-0-DELETE": "on",
            "suggested_amounts-1-amount_cents": "7500",
            "suggested_amounts-1-position": "1",
            "suggested_amounts-1-impact_line_en": "Books for a classroom",
            "suggested_amounts-1-impact_line_es": "Libros para un salón de clases",
        },
    )

    assert [(a.amount_cents, a.impact_line_es) for a in Appeal.objects.get(pk=appeal.pk).amounts()] == [
        (7500, "Libros para un salón de clases")
    ]
