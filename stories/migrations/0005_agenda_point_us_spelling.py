"""The first agenda point's summary as 0002 wrote it, in US spelling (issue 13: "US English
throughout"). Only a summary still exactly as seeded changes: staff's own wording is theirs."""

from django.db import migrations

SLUG = "protect-children-from-exploitation-and-violence"
BRITISH = (
    "Children travelling alone or with family are easy prey for traffickers and gangs. They need "
    "safe places to stay and people trained to protect them at every step."
)
US = BRITISH.replace("travelling", "traveling")


def _replace(apps, old: str, new: str) -> None:
    points = apps.get_model("stories", "AgendaPoint").objects.filter(slug=SLUG)
    # The original column and the English one (django-modeltranslation keeps both).
    for field in ("summary", "summary_en"):
        points.filter(**{field: old}).update(**{field: new})


def to_us(apps, schema_editor):
    _replace(apps, BRITISH, US)


def to_british(apps, schema_editor):
    _replace(apps, US, BRITISH)


class Migration(migrations.Migration):
    dependencies = [("stories", "0004_content_in_english_and_spanish")]

    operations = [migrations.RunPython(to_us, to_british)]
