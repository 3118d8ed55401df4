"""Demo content: the home page figures in Spanish, and `spanish_filled_in`, which every app's demo
uses to give its demo objects their Spanish (django-modeltranslation's <field>_es columns).

The Spanish is written for Spanish readers (Latin American Spanish, "usted" as the catalog has
it), not translated word for word. It fills only what is still empty: a second run changes
nothing, and Spanish that staff wrote is kept."""

from . import services
from .models import Statistic

# Each figure's Spanish, by its English label as the migration wrote it (0003_home_figures): a
# figure staff have reworded keeps the Spanish they give it, not one written for the old words.
GOVERNMENT = "estadísticas del gobierno de México"
BRIEF = "el resumen de la campaña"
FIGURES_ES = {
    "children from Honduras, El Salvador and Guatemala held in Mexican detention centers": (
        "niñas y niños de Honduras, El Salvador y Guatemala pasaron por centros de detención en México",
        GOVERNMENT,
    ),
    "more children detained in Mexico in the first months of 2019": (
        "niñas y niños más fueron detenidos en México en los primeros meses de 2019",
        GOVERNMENT,
    ),
    "of the 68,000+ children detained in Mexico from 2016 to April 2018 were deported to Central America": (
        "de los más de 68,000 niños detenidos en México entre 2016 y abril de 2018 fueron deportados a Centroamérica",
        BRIEF,
    ),
    "children separated from their parents at the U.S. southern border in May 2018 alone": (
        "niñas y niños fueron separados de sus padres en la frontera sur de Estados Unidos solo en mayo de 2018",
        BRIEF,
    ),
}


def spanish_filled_in(obj, spanish: dict[str, str]) -> list[str]:
    """Set each `<field>_es` that is still empty; return the column names set (for save's
    update_fields). Nothing is saved here."""
    changed = []
    for field, text in spanish.items():
        column = f"{field}_es"
        if text and not getattr(obj, column):
            setattr(obj, column, text)
            changed.append(column)
    return changed


def seed(*, stdout) -> None:
    filled = 0
    for statistic in Statistic.objects.filter(label_en__in=FIGURES_ES):
        label, source = FIGURES_ES[statistic.label_en]
        changed = spanish_filled_in(statistic, {"label": label, "source_name": source})
        if changed:
            services.statistic_save(statistic=statistic)
            filled += 1
    stdout.write(f"Core: Spanish given to {filled} home page figures.")
