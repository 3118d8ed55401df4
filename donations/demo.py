"""Demo content: the default appeal for migrating children. Running it again changes nothing."""

from .models import Appeal, Frequency

APPEAL_TEXT = """Every month, children from Honduras, El Salvador and Guatemala reach the border alone or with \
a parent, after weeks on the road. Many have left behind gangs, threats and hunger.

Your gift pays for a safe bed, a lawyer at their hearing and a seat in a classroom while their case is heard. \
A monthly gift lets our partners plan ahead instead of waiting for the next emergency."""


def seed(*, stdout) -> None:
    appeal, created = Appeal.objects.get_or_create(
        slug="children-on-the-move",
        defaults={
            "title": "Stand with children on the move",
            "text": APPEAL_TEXT,
            "preset_amounts": [2500, 5000, 10000, 25000],
            "default_frequency": Frequency.ONCE,
            "goal_cents": 5_000_000,
            "is_active": True,
            "is_default": not Appeal.objects.filter(is_default=True).exists(),
        },
    )
    stdout.write(f"Donations: appeal '{appeal.slug}' {'created' if created else 'already there'}.")
