"""Demo content: the default appeal for migrating children. Running it again changes nothing."""

from core.demo import spanish_filled_in
from stories.demo import placeholder_image_filled_in

from .models import Appeal, Frequency, SuggestedAmount

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

# The buttons, each with what it helps pay for: illustrations staff can reword, not costings.
AMOUNTS = [
    (2500, "School supplies for a child starting class", "Útiles escolares para una niña o un niño que empieza clases"),
    (5000, "A week of safe shelter for one child", "Una semana de refugio seguro para una niña o un niño"),
    (10000, "Helps a child reach a lawyer before the hearing",
     "Ayuda a que una niña o un niño llegue a su audiencia con abogado"),
    (25000, "Care and counseling for a child who traveled alone",
     "Atención y acompañamiento para una niña o un niño que viajó solo"),
]


def _seed_amounts(appeal: Appeal) -> bool:
    """The four buttons on an appeal that has none. On one seeded earlier, whose buttons came from the
    old list of amounts without lines, the lines in both languages; staff's own words are kept.
    Returns whether anything changed."""
    if not appeal.suggested_amounts.exists():
        SuggestedAmount.objects.bulk_create([
            SuggestedAmount(appeal=appeal, amount_cents=cents, position=position, impact_line=english,
                            impact_line_en=english, impact_line_es=spanish)
            for position, (cents, english, spanish) in enumerate(AMOUNTS)
        ])
        return True
    spanish_of = {cents: (english, spanish) for cents, english, spanish in AMOUNTS}
    changed = False
    for amount in appeal.suggested_amounts.filter(amount_cents__in=spanish_of):
        english, spanish = spanish_of[amount.amount_cents]
        if not amount.impact_line_en and not amount.impact_line_es:
            amount.impact_line_en, amount.impact_line_es = english, spanish
            amount.save(update_fields=["impact_line", "impact_line_en", "impact_line_es"])
            changed = True
        elif amount.impact_line_en == english and spanish_filled_in(amount, {"impact_line": spanish}):
            amount.save(update_fields=["impact_line_es"])
            changed = True
    return changed


# Drawn like the demo stories' photos (stories/demo.py), and described as what they are.
IMAGE_ALT = "Demo placeholder illustration for the appeal “Stand with children on the move”."
IMAGE_ALT_ES = "Ilustración provisional de demostración para el llamado “Acompañe a la niñez migrante”."


def seed(*, stdout) -> None:
    appeal, created = Appeal.objects.get_or_create(
        slug="children-on-the-move",
        defaults={
            "title": "Stand with children on the move",
            "text": APPEAL_TEXT,
            "default_frequency": Frequency.ONCE,
            "goal_cents": 5_000_000,
            "progress_shown_from_cents": 500_000,  # no "$0 raised" on a fresh demo site
            "is_active": True,
            "is_default": not Appeal.objects.filter(is_default=True).exists(),
        },
    )
    image = placeholder_image_filled_in(appeal, seed=1, name=appeal.slug, alt_en=IMAGE_ALT, alt_es=IMAGE_ALT_ES)
    spanish = spanish_filled_in(appeal, {"title": TITLE_ES, "text": APPEAL_TEXT_ES})
    amounts_changed = _seed_amounts(appeal)
    if spanish or image or amounts_changed:  # created just now, or seeded before the site spoke Spanish
        # updated_at names the donate page's cached form: the new buttons show at once.
        appeal.save(update_fields=[*image, *spanish, "updated_at"])
    stdout.write(f"Donations: appeal '{appeal.slug}' {'created' if created else 'already there'}.")
