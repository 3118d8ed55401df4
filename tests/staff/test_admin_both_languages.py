"""The admin edits content in English and Spanish side by side (core/admin_languages.py)."""

import pytest
from django.urls import reverse

from advocacy.models import Campaign
from core.models import Statistic
from donations.models import Appeal
from stories.models import AgendaPoint, Story

pytestmark = pytest.mark.django_db


@pytest.mark.parametrize(
    ("model", "fields"),
    [
        (Story, ["title", "summary", "body", "image_alt"]),
        (AgendaPoint, ["title", "summary", "body", "image_alt"]),
        (Campaign, ["title", "summary", "ask", "thank_you_text", "share_text", "call_script", "image_alt"]),
        (Appeal, ["title", "text", "image_alt"]),
        (Statistic, ["label", "source_name"]),
    ],
    ids=["story", "agenda-point", "campaign", "appeal", "statistic"],
)
def test_the_add_form_shows_each_text_in_english_and_spanish_on_one_line(admin_client, model, fields):
    opts = model._meta
    page = admin_client.get(reverse(f"admin:{opts.app_label}_{opts.model_name}_add"))
    assert page.status_code == 200
    form = page.context["adminform"].form
    lines = [tuple(line.fields) for fieldset in page.context["adminform"] for line in fieldset]
    html = page.content.decode()
    for name in fields:
        assert f"{name}_en" in form.fields and f"{name}_es" in form.fields
        assert name not in form.fields  # no third box writing whichever language is active
        assert (f"{name}_en", f"{name}_es") in lines, name
        assert f'name="{name}_es"' in html
    # English is required where the field is; Spanish never is (it falls back to English).
    assert not any(form.fields[f"{name}_es"].required for name in fields)
    assert 'lang="es"' in html and 'lang="en"' in html


def test_the_campaign_letter_to_offices_is_english_only(admin_client):
    form = admin_client.get(reverse("admin:advocacy_campaign_add")).context["adminform"].form
    assert "subject_template" in form.fields and "body_template" in form.fields
    assert "body_template_es" not in form.fields


def test_a_story_edited_in_both_languages_keeps_both(admin_client):
    from tests.stories.factories import ensure_agenda_points

    points = ensure_agenda_points()
    story = Story.objects.create(title="Four weeks without her mother", slug="four-weeks", summary="Separated.",
                                 body="Words.", primary_point=points[0], status=Story.Status.PUBLISHED)
    url = reverse("admin:stories_story_change", args=[story.pk])
    form = admin_client.get(url).context["adminform"].form
    assert form["title_en"].value() == "Four weeks without her mother"
    assert not form["title_es"].value()

    from tests.staff.test_admin_urls import post_change_form

    post_change_form(admin_client, story, title_es="Cuatro semanas sin su mamá", summary_es="Separada en la frontera.")
    story.refresh_from_db()
    assert (story.title_en, story.title_es) == ("Four weeks without her mother", "Cuatro semanas sin su mamá")
    assert story.summary_es == "Separada en la frontera."
    record = story.history.first()
    assert record.title_es == "Cuatro semanas sin su mamá"  # the history keeps both languages too


def test_a_campaign_cannot_go_live_without_its_spanish():
    from django.core.exceptions import ValidationError

    from advocacy.services.campaigns import campaign_open
    from tests.advocacy.factories import CampaignFactory

    campaign = CampaignFactory(status=Campaign.Status.DRAFT, ask_es="")
    with pytest.raises(ValidationError) as refused:
        campaign_open(campaign=campaign)
    assert list(refused.value.message_dict) == ["ask_es"]
    campaign.refresh_from_db()
    assert campaign.status == Campaign.Status.DRAFT

    campaign.ask_es = "Todo niño merece un abogado."
    campaign.save()
    assert campaign_open(campaign=campaign).status == Campaign.Status.LIVE


def test_an_active_appeal_needs_its_spanish_title_and_text(admin_client):
    from django.core.exceptions import ValidationError

    appeal = Appeal(title_en="Winter", slug="winter", text_en="Why.", title_es="Invierno", is_active=True)
    with pytest.raises(ValidationError) as refused:
        appeal.full_clean()
    assert list(refused.value.message_dict) == ["text_es"]
    appeal.is_active = False
    appeal.full_clean()  # an inactive appeal takes no gifts: its Spanish may wait


def test_lists_mark_and_filter_rows_missing_spanish(admin_client):
    from tests.staff.factories import appeal

    done = appeal(title_en="Done", title_es="Listo")
    missing = appeal(title_en="Missing", title_es="", is_active=False)
    url = reverse("admin:donations_appeal_changelist")
    page = admin_client.get(url, {"spanish_missing": "yes"})
    rows = list(page.context["cl"].result_list)
    assert rows == [missing]
    assert list(admin_client.get(url, {"spanish_missing": "no"}).context["cl"].result_list) == [done]
    assert "Spanish missing" in page.content.decode()
