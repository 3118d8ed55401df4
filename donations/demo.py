"""Demo content: the default appeal for migrating children. Running it again changes nothing."""

from core.demo import spanish_filled_in

from .models import Appeal, Frequency

APPEAL_TEXT = """Every month, children from Honduras, El Salvador and Guatemala reach the border alone or with \
a parent, after weeks on the road. Many have left behind gangs, threats and hunger.

Your gift pays for a safe bed, a lawyer at their hearing and a seat in a classroom while their case is heard. \
A monthly gift lets our partners plan ahead instead of waiting for the next emergency."""

# In Spanish, written for Spanish readers (not word for word).
TITLE_ES = "Acompañe a la niñez migrante"
APPEAL_TEXT_ES = """Cada mes, niñas y niños de Honduras, El Salvador y Guatemala llegan a la frontera solos o con \
su mamá o su papá, después de semanas de camino. Muchos dejaron atrás pandillas, amenazas y hambre.

Su donación paga una cama segura, un abogado en la audiencia y un lugar en el salón de clases mientras se \
resuelve su caso. Una donación mensual permite que nuestras organizaciones aliadas planifiquen con tiempo, en \
lugar de esperar la próxima emergencia."""


def seed(*, stdout) -> None:
    appeal, created = Appeal.objects.get_or_create(
        slug="children-on-the-move",
        defaults={
            "title": "Stand with children on the move",
            "text": APPEAL_TEXT,
            "preset_amounts": [2500, 5000, 10000, 25000],
            "default_frequency": Frequency.ONCE,
            "goal_cents": 5_000_000,
            "progress_shown_from_cents": 500_000,  # no "$0 raised" on a fresh demo site
            "is_active": True,
            "is_default": not Appeal.objects.filter(is_default=True).exists(),
        },
    )
    spanish = spanish_filled_in(appeal, {"title": TITLE_ES, "text": APPEAL_TEXT_ES})
    if spanish:  # created just now, or seeded before the site spoke Spanish
        appeal.save(update_fields=[*spanish, "updated_at"])
    stdout.write(f"Donations: appeal '{appeal.slug}' {'created' if created else 'already there'}.")
