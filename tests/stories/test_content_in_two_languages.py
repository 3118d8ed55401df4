"""Stories in English and Spanish (django-modeltranslation): /es/ reads the Spanish text, and a
story whose Spanish is still empty shows its English rather than an empty headline."""

import pytest
from django.utils import translation

from .factories import StoryFactory

pytestmark = pytest.mark.django_db


def test_the_spanish_page_reads_the_spanish_title_and_summary(client, points):
    story = StoryFactory(status="published", title_en="The debt that followed Mateo home",
                         title_es="La deuda que persiguió a Mateo hasta su casa",
                         summary_es="Lo deportaron después de pagarle a un coyote.")
    spanish = client.get(f"/es/stories/{story.slug}/").content.decode()
    english = client.get(f"/stories/{story.slug}/").content.decode()

    assert "La deuda que persiguió a Mateo hasta su casa" in spanish
    assert "Lo deportaron después de pagarle a un coyote." in spanish
    assert "The debt that followed Mateo home" in english
    assert "La deuda que persiguió" not in english


def test_an_untranslated_story_falls_back_to_english(client, points):
    story = StoryFactory(status="published", title_en="Home with a caseworker instead of a cell", title_es="")

    with translation.override("es"):
        assert story.title == "Home with a caseworker instead of a cell"
    page = client.get(f"/es/stories/{story.slug}/").content.decode()
    assert "Home with a caseworker instead of a cell" in page


def test_text_written_in_the_site_s_language_lands_in_its_column(points):
    # The services and the seed write `title`; with English active it is the English column.
    story = StoryFactory(title="A classroom in a tent")
    story.refresh_from_db()
    assert story.title_en == "A classroom in a tent"
    assert not story.title_es
