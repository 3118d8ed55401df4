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

from core.demo import spanish_filled_in

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


# Each story in Spanish, by slug: (title, summary, body). Written for Spanish readers (Latin American
# Spanish), not word for word; the English above stays the story of record.
DEMO_NOTE_ES = "*Historia de demostración escrita para el contenido de muestra de Camino.*"
STORIES_ES = {
    "alexis-freight-train": (
        "Alexis se fue de casa a los dieciséis. Un tren de carga en México le quitó una pierna.",
        "La pobreza empujó al norte a un muchacho hondureño; una caída del tren en marcha le puso fin al viaje.",
        "Alexis tenía 16 años cuando salió de Honduras con un primo y casi nada en la mochila. Quería dejar "
        "atrás la pobreza que había conocido toda su vida.\n\n"
        "Como tantos jóvenes migrantes, cruzaron México en el techo de los trenes de carga, la Bestia, como "
        "le dicen en el camino. Alexis se cayó. Sobrevivió, pero perdió la pierna derecha.\n\n"
        "## Por qué importa su historia\n\n"
        "Los niños que viajan por esta ruta se arriesgan a secuestros, a la trata, a agresiones y a "
        "accidentes como el suyo. Protección en el camino, y un futuro por el que valiera la pena quedarse "
        "en casa, lo habrían cambiado todo para él.",
    ),
    "safe-shelter-on-the-route": (
        "Una cama, una puerta con llave y una trabajadora social que escucha",
        "Los albergues de la ruta migratoria mantienen a niñas y niños lejos de los tratantes.",
        "Para una niña que viaja sola, las horas más peligrosas son las de la noche. Un albergue con personal "
        "capacitado le da un lugar seguro donde dormir, un plato de comida y alguien que le explica cuáles "
        "son sus derechos.\n\n" + DEMO_NOTE_ES,
    ),
    "smugglers-debt": (
        "La deuda que persiguió a Mateo hasta su casa",
        "Lo deportaron después de que su familia le pagara a un coyote, y ahora lo buscan los prestamistas y "
        "las pandillas.",
        "Muchas familias se endeudan para pagar el viaje. Cuando deportan al niño, la deuda no desaparece, y "
        "las pandillas no tardan en sacarle provecho.\n\n" + DEMO_NOTE_ES,
    ),
    "alternatives-to-detention": (
        "En casa y acompañado, en lugar de una celda",
        "Los programas comunitarios demuestran que un niño puede estar a salvo sin estar encerrado.",
        "En 2018, más de 30,000 niñas y niños de Honduras, Guatemala y El Salvador pasaron por centros de "
        "detención en México, y más de 21,000 en los primeros meses de 2019.\n\n"
        "La detención les afecta la salud mucho tiempo después de salir. El cuidado en la comunidad, con una "
        "persona que da seguimiento a su caso, los mantiene seguros y al tanto de su proceso.\n\n"
        + DEMO_NOTE_ES,
    ),
    "deported-back-to-danger": (
        "Nueve de cada diez fueron devueltos",
        "De los niños detenidos en México entre 2016 y abril de 2018, el 91 % fue deportado.",
        "Entre 2016 y abril de 2018, México detuvo a más de 68,000 niñas y niños y devolvió al 91 % a "
        "Centroamérica. Muchos no tenían un hogar seguro al cual regresar, y algunos volvieron a salir a las "
        "pocas semanas.\n\n" + DEMO_NOTE_ES,
    ),
    "classroom-at-the-border": (
        "Un salón de clases bajo una carpa",
        "Mientras esperan su audiencia, los niños siguen aprendiendo en una escuelita improvisada.",
        "Las familias que esperan en México su audiencia de asilo pueden pasar meses sin saber qué va a "
        "pasar. Una maestra voluntaria da clases para que los niños no pierdan el año escolar.\n\n"
        + DEMO_NOTE_ES,
    ),
    "vaccines-on-the-move": (
        "Vacunas, controles de salud y una tabla de crecimiento",
        "Las clínicas móviles llegan a los niños que todavía no tienen dónde quedarse.",
        "Un niño en tránsito puede perderse todos sus controles médicos. Los equipos de salud móviles le "
        "ponen al día las vacunas y detectan la desnutrición antes de que deje secuelas.\n\n" + DEMO_NOTE_ES,
    ),
    "separated-may-2018": (
        "Cuatro semanas sin su mamá",
        "En mayo de 2018, más de 2,000 niños fueron separados de su familia en la frontera de Estados Unidos.",
        "La separación deja a los niños expuestos a la explotación y a un estrés tóxico que puede afectar su "
        "desarrollo durante años. Reunir pronto a las familias es el primer paso para sanar.\n\n"
        + DEMO_NOTE_ES,
    ),
    "a-sponsor-waiting": (
        "Una tía en Houston, y todo el papeleo de por medio",
        "Cuando el sistema de patrocinadores funciona, los niños que llegan solos quedan con alguien que "
        "puede cuidarlos.",
        "Un niño que cruza solo necesita a un adulto de confianza. Verificar y apoyar a los patrocinadores, "
        "que muchas veces son familiares, permite que salga pronto de la custodia y llegue a un hogar de "
        "manera segura.\n\n" + DEMO_NOTE_ES,
    ),
    "gangs-at-the-school-gate": (
        "La pandilla lo esperaba a la salida de la escuela",
        "Cuando los reclutadores amenazan a los niños camino a clases, quedarse en casa deja de ser seguro.",
        "En muchas colonias y barrios de Honduras, El Salvador y Guatemala, las pandillas reclutan a los "
        "muchachos y amenazan a las muchachas. Los programas que hacen seguras las escuelas les dan a las "
        "familias una razón para quedarse.\n\n" + DEMO_NOTE_ES,
    ),
    "a-harvest-that-failed": (
        "Se perdió la cosecha y la familia tuvo que irse",
        "La pobreza, tanto como la violencia, obliga a los niños a dejar su hogar.",
        "Cuando la milpa no da y no hay trabajo, las familias tienen que tomar decisiones imposibles. Apoyar "
        "el sustento de las familias y la escuela de los niños puede hacer que un niño nunca tenga que "
        "emprender el viaje.\n\n" + DEMO_NOTE_ES,
    ),
    "new-kid-in-class": (
        "El nuevo del salón",
        "Una escuela que recibe con los brazos abiertos a un niño que llegó sin nada lo cambia todo.",
        "A los niños que migran muchas veces los reciben con desconfianza. Las maestras, los maestros y los "
        "compañeros que les dan la bienvenida los ayudan a adaptarse, a aprender y a sentirse en casa.\n\n"
        + DEMO_NOTE_ES,
    ),
    "words-that-hurt": (
        "Palabras que duelen, y vecinos que alzaron la voz",
        "El rechazo a los migrantes también alcanza a los niños, y las comunidades pueden hacerle frente.",
        "Una familia que esperaba en una ciudad fronteriza recibía insultos en la calle, hasta que "
        "voluntarios del lugar organizaron una bienvenida. Todo niño merece que lo traten con justicia.\n\n"
        + DEMO_NOTE_ES,
    ),
}

# The six points of the Agenda for Action in Spanish, by slug: (English title as the migration wrote
# it, Spanish title, Spanish summary). A point whose English staff have reworded is left to them.
POINTS_ES = {
    "protect-children-from-exploitation-and-violence": (
        "Protect Displaced Children from Exploitation and Violence",
        "Proteger a la niñez desplazada de la explotación y la violencia",
        "Los niños que viajan solos o con su familia son presa fácil de tratantes y pandillas. Necesitan "
        "lugares seguros donde quedarse y personas preparadas para cuidarlos en cada tramo del camino.",
    ),
    "end-child-detention": (
        "End the Detention of Refugee and Migrant Children",
        "Poner fin a la detención de niñas y niños refugiados y migrantes",
        "Encerrar a un niño le daña la salud por años. El cuidado en la comunidad, con alguien que dé "
        "seguimiento a su caso, lo mantiene a salvo mientras se resuelve su solicitud.",
    ),
    "keep-children-learning-and-healthy": (
        "Keep Refugee and Migrant Children Learning and Healthy",
        "Que la niñez refugiada y migrante siga estudiando y esté sana",
        "Todo niño en tránsito debe poder ver a un médico y seguir en la escuela, tenga o no tenga papeles.",
    ),
    "keep-families-together": (
        "Keep Families Together and Protect Unaccompanied Children",
        "Mantener unidas a las familias y proteger a los niños que viajan solos",
        "Separar a los niños de sus padres deja heridas que duran. Las familias deben estar juntas, y quienes "
        "llegan sin compañía necesitan un tutor y un hogar elegido con cuidado.",
    ),
    "address-root-causes": (
        "Address the Root Causes that Force Children from Home",
        "Atender las causas que obligan a la niñez a dejar su hogar",
        "La violencia, las amenazas de las pandillas y la pobreza extrema expulsan a niñas y niños de "
        "Honduras, El Salvador y Guatemala. Con comunidades más seguras, menos familias tendrían que "
        "arriesgarse en el camino.",
    ),
    "combat-xenophobia-and-discrimination": (
        "Combat Xenophobia and Discrimination",
        "Combatir la xenofobia y la discriminación",
        "Los niños que migran se topan con desconfianza y rechazo en el lugar al que llegan. Todos merecen "
        "un trato justo y una buena bienvenida.",
    ),
}


def image_alt_es(title_es: str) -> str:
    return f"Ilustración provisional de demostración para la historia “{title_es}”."


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


def placeholder_image_filled_in(obj, *, seed: int, name: str, alt_en: str, alt_es: str) -> list[str]:
    """Give a demo campaign or appeal without an image a placeholder photo and its description in both
    languages (a description staff wrote is kept); return the columns set, for save's update_fields.
    An object that has an image keeps it: a second run changes nothing. Nothing is saved here."""
    if obj.image:
        return []
    # 1600×900 like the stories' photos: the pages show sorl-thumbnail's smaller crops of it.
    obj.image.save(f"{name}.jpg", ContentFile(placeholder_photo(seed, name)), save=False)
    changed = ["image"]
    if not obj.image_alt_en:
        obj.image_alt_en = alt_en
        # The untranslated column holds the English too, and the database's image-needs-alt rule reads it.
        changed += ["image_alt_en", "image_alt"]
    if not obj.image_alt_es:
        obj.image_alt_es = alt_es
        changed.append("image_alt_es")
    return changed


def seed(*, stdout) -> None:
    points = {point.slug: point for point in AgendaPoint.objects.all()}
    now = timezone.now().replace(minute=0, second=0, microsecond=0)
    created = 0
    for index, (slug, point_slug, others, country, title, summary, body) in enumerate(STORIES):
        title_es, summary_es, body_es = STORIES_ES[slug]
        spanish = {"title": title_es, "summary": summary_es, "body": body_es, "image_alt": image_alt_es(title_es)}
        existing = Story.objects.filter(slug=slug).first()
        if existing is not None:
            # Left as it is, except Spanish it does not have yet (a demo database seeded before
            # the site spoke Spanish).
            if spanish_filled_in(existing, spanish):
                services.story_save(story=existing)
            continue
        if point_slug not in points:
            continue
        story = Story(
            slug=slug, title_en=title, summary_en=summary, body_en=body, country=country,
            primary_point=points[point_slug], status=Story.Status.PUBLISHED,
            publish_at=now - timedelta(days=index), featured=index == 0,
            image_alt_en=f"Demo placeholder illustration for the story “{title}”.", image_credit=CREDIT,
        )
        spanish_filled_in(story, spanish)
        story.image.save(f"{slug}.jpg", ContentFile(placeholder_photo(index, title[:40])), save=False)
        services.story_save(story=story)
        story.other_points.set([points[s] for s in others if s in points])
        created += 1
    stdout.write(f"Stories: {created} demo stories created, {len(STORIES) - created} already there.")

    for slug, (english_title, title_es, summary_es) in POINTS_ES.items():
        point = points.get(slug)
        if point is not None and point.title_en == english_title and spanish_filled_in(
            point, {"title": title_es, "summary": summary_es}
        ):
            services.agenda_point_save(point=point)
