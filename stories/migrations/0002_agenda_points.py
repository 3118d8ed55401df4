"""The six points of the Agenda for Action, so every new database starts with them (editable)."""

from django.db import migrations

POINTS = [
    ("protect-children-from-exploitation-and-violence",
     "Protect Displaced Children from Exploitation and Violence",
     "Children traveling alone or with family are easy prey for traffickers and gangs. They need "
     "safe places to stay and people trained to protect them at every step."),
    ("end-child-detention",
     "End the Detention of Refugee and Migrant Children",
     "Locking children up harms their health for years. Community care and case management keep "
     "them safe while their claims are heard."),
    ("keep-children-learning-and-healthy",
     "Keep Refugee and Migrant Children Learning and Healthy",
     "Every child on the move should be able to see a doctor and stay in school, whatever their "
     "papers say."),
    ("keep-families-together",
     "Keep Families Together and Protect Unaccompanied Children",
     "Separating children from their parents causes lasting harm. Families belong together, and "
     "children who arrive alone need guardians and careful placement."),
    ("address-root-causes",
     "Address the Root Causes that Force Children from Home",
     "Violence, gang threats and deep poverty drive children out of Honduras, El Salvador and "
     "Guatemala. Safer communities mean fewer dangerous journeys."),
    ("combat-xenophobia-and-discrimination",
     "Combat Xenophobia and Discrimination",
     "Children who migrate face suspicion and hostility where they arrive. Every child deserves "
     "to be treated fairly and welcomed."),
]


def create_points(apps, schema_editor):
    AgendaPoint = apps.get_model("stories", "AgendaPoint")
    for position, (slug, title, summary) in enumerate(POINTS, start=1):
        AgendaPoint.objects.get_or_create(
            slug=slug, defaults={"title": title, "summary": summary, "position": position}
        )


def remove_points(apps, schema_editor):
    AgendaPoint = apps.get_model("stories", "AgendaPoint")
    AgendaPoint.objects.filter(slug__in=[slug for slug, _, _ in POINTS], primary_stories__isnull=True).delete()


class Migration(migrations.Migration):
    dependencies = [("stories", "0001_initial")]

    operations = [migrations.RunPython(create_points, remove_points)]
