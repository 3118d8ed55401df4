"""The demo seed gives every demo object its Spanish (stories, agenda points, the campaign, the
appeal, the home figures), and /es/ pages read it."""

import io

import pytest
from django.core.management import call_command
from django.utils import translation

from advocacy.demo import DEMO_SLUG
from advocacy.models import Campaign
from core.models import Statistic
from donations.models import Appeal
from stories.models import AgendaPoint, Story
from tests.stories.factories import ensure_agenda_points

pytestmark = pytest.mark.django_db

TRANSLATED = {
    Story: ["title", "summary", "body", "image_alt"],
    AgendaPoint: ["title", "summary"],
    Campaign: ["title", "summary", "ask", "thank_you_text", "share_text", "call_script", "image_alt"],
    Appeal: ["title", "text", "image_alt"],
    Statistic: ["label", "source_name"],
}


@pytest.fixture
def seeded(settings, tmp_path):
    settings.MEDIA_ROOT = str(tmp_path / "media")
    ensure_agenda_points()
    if not Statistic.objects.exists():  # a transactional test before this one emptied the table
        import importlib

        from django.apps import apps

        importlib.import_module("core.migrations.0003_home_figures").add_figures(apps, None)
    call_command("seed_demo", stdout=io.StringIO())


def test_every_demo_object_has_its_spanish_and_keeps_its_english(seeded):
    for model, fields in TRANSLATED.items():
        objects = list(model.objects.all())
        assert objects, model
        for obj in objects:
            for field in fields:
                english, spanish = getattr(obj, f"{field}_en"), getattr(obj, f"{field}_es")
                assert english and spanish, (obj, field)
                assert spanish != english, (obj, field)
    assert Story.objects.count() == 13 and AgendaPoint.objects.count() == 6 and Statistic.objects.count() == 4


def test_the_spanish_pages_read_the_seeded_spanish(seeded, client):
    story = Story.objects.get(slug="smugglers-debt")
    page = client.get(f"/es/stories/{story.slug}/").content.decode()
    assert "La deuda que persiguió a Mateo hasta su casa" in page
    assert "The debt that followed Mateo home" not in page

    home = client.get("/es/").content.decode()
    assert "pasaron por centros de detención en México" in home
    assert "estadísticas del gobierno de México" in home

    campaign = client.get(f"/es/act/{DEMO_SLUG}/").content.decode()
    assert "Protejamos a los niños que llegan solos" in campaign
    donate = client.get("/es/donate/").content.decode()
    assert "Acompañe a la niñez migrante" in donate
    agenda = client.get("/es/agenda/").content.decode()
    assert "Poner fin a la detención de niñas y niños refugiados y migrantes" in agenda


def test_the_letter_to_offices_stays_english(seeded):
    campaign = Campaign.objects.get(slug=DEMO_SLUG)
    with translation.override("es"):
        assert campaign.body_template.startswith("Dear {member_title}")
        assert campaign.title == "Protejamos a los niños que llegan solos"


def test_a_second_seed_changes_nothing_and_keeps_staff_spanish(seeded):
    story = Story.objects.get(slug="new-kid-in-class")
    Story.objects.filter(pk=story.pk).update(title_es="El compañero nuevo")
    before = Story.history.count()
    call_command("seed_demo", stdout=io.StringIO())
    assert Story.objects.get(pk=story.pk).title_es == "El compañero nuevo"
    assert Story.history.count() == before


def test_a_demo_database_seeded_in_english_only_gets_its_spanish(seeded):
    Story.objects.update(title_es="", summary_es=None)
    Campaign.objects.update(ask_es="")
    call_command("seed_demo", stdout=io.StringIO())
    assert not Story.objects.filter(title_es="").exists()
    assert Campaign.objects.get(slug=DEMO_SLUG).ask_es.startswith("Muchos niños")
