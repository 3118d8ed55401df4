"""Demo stories for `manage.py seed_demo`: a hero story and two stories per agenda point.

The stories are illustrative, written for Camino from the facts in the campaign brief. Their
photos are drawn here with Pillow (no download), and each carries a demo credit line. A story that
already exists (by slug) is left exactly as it is, so a second run changes nothing.
"""

import io
from datetime import timedelta

from django.core.files.base import ContentFile
from django.utils import timezone
from PIL import Image, ImageDraw

from . import services
from .models import AgendaPoint, Story

CREDIT = "© Camino/2026/Demo Photographer"
PALETTE = [(11, 61, 92), (242, 169, 0), (46, 125, 50), (142, 36, 170), (198, 40, 40), (0, 121, 107)]

# (slug, primary point slug, other point slugs, country, title, summary, body)
STORIES = [
    (
        "alexis-freight-train", "protect-children-from-exploitation-and-violence",
        ["address-root-causes"], "HN",
        "Alexis set out at sixteen. A freight train in Mexico took his leg.",
        "Poverty pushed a Honduran teenager north; a fall from a moving train ended the journey.",
        "Alexis was 16 when he and a cousin left Honduras with almost nothing, hoping to outrun the "
        "poverty he had known all his life.\n\n"
        "Like many young migrants, they rode on top of freight trains crossing Mexico. Alexis fell. "
        "He survived, but he lost his right leg.\n\n"
        "## Why his story matters\n\n"
        "Children who travel this route risk kidnapping, trafficking, assault and accidents like this "
        "one. Protection along the way, and a future worth staying for at home, would have changed "
        "everything for him.",
    ),
    (
        "safe-shelter-on-the-route", "protect-children-from-exploitation-and-violence", [], "MX",
        "A bed, a lock on the door and a social worker who listens",
        "Shelters along the migration route keep children out of the hands of traffickers.",
        "For a girl traveling alone, the most dangerous hours are the nights. A shelter with trained "
        "staff offers a safe place to sleep, a meal, and someone who explains her rights.\n\n"
        "*This is a demo story written for Camino's sample content.*",
    ),
    (
        "smugglers-debt", "protect-children-from-exploitation-and-violence", ["end-child-detention"], "GT",
        "The debt that followed Mateo home",
        "Sent back after paying a smuggler, a boy faces lenders and gangs who want their money.",
        "Families often borrow to pay for the journey. When a child is deported, the debt does not "
        "disappear, and gangs are quick to exploit it.\n\n"
        "*This is a demo story written for Camino's sample content.*",
    ),
    (
        "alternatives-to-detention", "end-child-detention", ["keep-families-together"], "MX",
        "Home with a caseworker instead of a cell",
        "Community programs show that children can be safe without being locked up.",
        "More than 30,000 children from Honduras, Guatemala and El Salvador passed through Mexican "
        "detention centers in 2018, and more than 21,000 in the first part of 2019.\n\n"
        "Detention damages children's health long after they leave. Community care with a caseworker "
        "keeps them safe and in touch with their case.\n\n"
        "*This is a demo story written for Camino's sample content.*",
    ),
    (
        "deported-back-to-danger", "end-child-detention", ["address-root-causes"], "SV",
        "Nine in ten were sent back",
        "Of the children detained in Mexico from 2016 to April 2018, 91 percent were deported.",
        "Over 68,000 children were detained in Mexico between 2016 and April 2018, and 91 percent "
        "of them were returned to Central America. Many had no safe home waiting, and some set out "
        "again within weeks.\n\n"
        "*This is a demo story written for Camino's sample content.*",
    ),
    (
        "classroom-at-the-border", "keep-children-learning-and-healthy", [], "MX",
        "A classroom in a tent",
        "While they wait for a hearing, children keep learning in a makeshift school.",
        "Families waiting in Mexico for their asylum hearings can spend months in limbo. A volunteer "
        "teacher runs lessons so the children do not lose a year of school.\n\n"
        "*This is a demo story written for Camino's sample content.*",
    ),
    (
        "vaccines-on-the-move", "keep-children-learning-and-healthy",
        ["protect-children-from-exploitation-and-violence"], "GT", "Vaccines, checkups and a growth chart",
        "Mobile clinics reach children who are between homes.",
        "A child on the move can miss every checkup. Mobile health teams catch up on vaccines and "
        "watch for malnutrition before it does lasting harm.\n\n"
        "*This is a demo story written for Camino's sample content.*",
    ),
    (
        "separated-may-2018", "keep-families-together", ["end-child-detention"], "US",
        "Four weeks without her mother",
        "In May 2018 more than 2,000 children were separated from their families at the U.S. border.",
        "Separation leaves children exposed to exploitation and to toxic stress that can harm their "
        "development for years. Reuniting families quickly is the first step to healing.\n\n"
        "*This is a demo story written for Camino's sample content.*",
    ),
    (
        "a-sponsor-waiting", "keep-families-together", [], "US",
        "An aunt in Houston, and the paperwork in between",
        "A well-run sponsor system places children who arrive alone with people who can care for them.",
        "Children who cross alone need a safe adult. Checking and supporting sponsors, often relatives, "
        "gets children out of custody and into a family quickly and safely.\n\n"
        "*This is a demo story written for Camino's sample content.*",
    ),
    (
        "gangs-at-the-school-gate", "address-root-causes", ["protect-children-from-exploitation-and-violence"],
        "HN", "The gang was waiting at the school gate",
        "When recruiters threaten children on the way to class, staying home stops being safe.",
        "Gangs recruit boys and threaten girls in many neighborhoods of Honduras, El Salvador and "
        "Guatemala. Programs that keep schools safe give families a reason to stay.\n\n"
        "*This is a demo story written for Camino's sample content.*",
    ),
    (
        "a-harvest-that-failed", "address-root-causes", [], "GT",
        "A harvest that failed, a family that left",
        "Poverty, as much as violence, forces children from home.",
        "When crops fail and work disappears, families make impossible choices. Support for "
        "livelihoods and schooling can mean a child never has to make the journey.\n\n"
        "*This is a demo story written for Camino's sample content.*",
    ),
    (
        "new-kid-in-class", "combat-xenophobia-and-discrimination", ["keep-children-learning-and-healthy"],
        "US", "The new kid in class",
        "A welcoming school makes the difference for a child who arrived with nothing.",
        "Children who migrate are often met with suspicion. Teachers and classmates who welcome them "
        "help them settle, learn and belong.\n\n"
        "*This is a demo story written for Camino's sample content.*",
    ),
    (
        "words-that-hurt", "combat-xenophobia-and-discrimination", [], "MX",
        "Words that hurt, and neighbors who spoke up",
        "Hostility toward migrants reaches children too; communities can push back.",
        "A family waiting in a border town faced insults in the street until local volunteers "
        "organized a welcome. Every child deserves to be treated fairly.\n\n"
        "*This is a demo story written for Camino's sample content.*",
    ),
]


def placeholder_photo(seed: int, label: str) -> bytes:
    """A 1600×900 JPEG: a color wash with simple shapes and a label, clearly not a real photo."""
    base = PALETTE[seed % len(PALETTE)]
    image = Image.new("RGB", (1600, 900), base)
    draw = ImageDraw.Draw(image)
    for row in range(0, 900, 6):
        shade = tuple(min(255, c + row // 12) for c in base)
        draw.rectangle([0, row, 1600, row + 6], fill=shade)
    draw.ellipse([1100 - seed * 20, 120, 1400 - seed * 20, 420], fill=(250, 235, 200))
    draw.polygon([(0, 900), (500 + seed * 30, 480), (1000, 900)], fill=tuple(c // 2 for c in base))
    # Small and top-left: the hero crops the photo's bottom and sides on wide screens.
    draw.text((60, 60), "Camino demo placeholder", fill=(255, 255, 255), font_size=32)
    buffer = io.BytesIO()
    image.save(buffer, format="JPEG", quality=80)
    return buffer.getvalue()


def seed(*, stdout) -> None:
    points = {point.slug: point for point in AgendaPoint.objects.all()}
    now = timezone.now().replace(minute=0, second=0, microsecond=0)
    created = 0
    for index, (slug, point_slug, others, country, title, summary, body) in enumerate(STORIES):
        if Story.objects.filter(slug=slug).exists() or point_slug not in points:
            continue
        story = Story(
            slug=slug, title=title, summary=summary, body=body, country=country,
            primary_point=points[point_slug], status=Story.Status.PUBLISHED,
            publish_at=now - timedelta(days=index), featured=index == 0,
            image_alt=f"Demo placeholder illustration for the story “{title}”.", image_credit=CREDIT,
        )
        story.image.save(f"{slug}.jpg", ContentFile(placeholder_photo(index, title[:40])), save=False)
        services.story_save(story=story)
        story.other_points.set([points[s] for s in others if s in points])
        created += 1
    stdout.write(f"Stories: {created} demo stories created, {len(STORIES) - created} already there.")
