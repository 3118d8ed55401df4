"""US English in everything an English reader sees (issue 13: "US English throughout").

The English text people read lives in four places, and each is scanned for British spellings:

* the Spanish catalog's msgids: every translatable string of the code and templates (labels, help
  texts, choices, messages, emails). test_translations keeps the catalog in step with the code, so
  a string missing here fails there first;
* the templates' own text outside template tags (comments included: they are read by whoever edits
  the page, and copied into pages);
* the README and docs/, outside code (a `cancelled` in backticks is a stored value or an address,
  kept for the rows and links that already hold it);
* the help of Camino's management commands, which staff read in a terminal.
"""

import importlib
import re
from pathlib import Path

import polib
import pytest
from django.conf import settings
from django.core.management import get_commands, load_command_class
from django.template.base import Lexer, TokenType

ROOT = Path(settings.BASE_DIR)
CATALOG = ROOT / "locale" / "es" / "LC_MESSAGES" / "django.po"
OWN_APPS = ("accounts", "advocacy", "congress", "core", "donations", "staff", "stories")

# British forms and their US spelling: -our, -ise/-isation, -re, doubled l, and a few words.
# Listed as whole words, so "cancellation" (US too), "aria-labelledby" or "ticket" never match.
BRITISH = re.compile(
    r"\b("
    r"(dis)?(honour|colour|behaviour|favour|neighbour|labour|rumour|endeavour|harbour)(s|ed|ing|able|ite|ites|ful)?"
    r"|(un)?(organis|recognis|anonymis|authoris|apologis|normalis|serialis|summaris|sanitis|minimis|maximis"
    r"|prioritis|customis|categoris|utilis|finalis|initialis|optimis|standardis|visualis|localis|personalis"
    r"|realis|criticis|memoris|emphasis|characteris|familiaris|itemis|digitis|capitalis|centralis"
    r"|internationalis|pseudonymis|neutralis|vandalis|legalis|harmonis|mobilis|penalis|subsidis|unionis)"
    r"(e|es|ed|er|ers|ing|ation|ations)"
    r"|analys(e|ed|ing)|paralys(e|ed|ing)"
    r"|programmes?|cancell(ed|ing)|licences?|centres?|theatres?|metres?|litres?|fibres?"
    r"|(un)?tick(s|ed|ing)?|catalogues?|enrol(s|ment|ments)?|judgements?|whilst|amongst"
    r"|learnt|spelt|travell(ed|ing|er|ers)|modell(ed|ing)|labell(ed|ing)|signall(ed|ing)|fulfil(s|ment)?"
    r"|cheques?|defence|offences?|grey|practis(e|ed|ing)|post ?codes?|tyres?|kerbs?|storeys?|sceptic(al)?"
    r")\b",
    re.IGNORECASE,
)


def _british(text: str) -> list[str]:
    return sorted({match.group(0) for match in BRITISH.finditer(text)})


def test_the_pattern_finds_british_forms_and_leaves_us_ones():
    sample = "In honour of; Cancelled; Untick to hide; anonymise; organisation; enrolment; centre; labelled."
    assert _british(sample) == sorted(
        ["honour", "Cancelled", "Untick", "anonymise", "organisation", "enrolment", "centre", "labelled"]
    )
    us = "In honor of; Canceled; cancellation; uncheck; anonymize; organization; enrollment; center; labeled; "
    us += "aria-labelledby; ticket; sticky; analyses; raised; advertising"
    assert _british(us) == []


def test_translatable_strings_are_in_us_english():
    found = {}
    for entry in polib.pofile(str(CATALOG)):
        if entry.obsolete:
            continue
        words = _british(f"{entry.msgid} {entry.msgid_plural or ''}")
        if words:
            found[entry.msgid[:80]] = words
    assert not found, f"British spellings in the English strings (US English is the rule): {found}"


def _template_text(source: str) -> str:
    """The template's own words: everything but {% tags %} and {{ variables }} (translated text inside
    tags is in the catalog, checked above)."""
    own_words = (TokenType.TEXT, TokenType.COMMENT)
    return " ".join(token.contents for token in Lexer(source).tokenize() if token.token_type in own_words)


@pytest.mark.parametrize(
    "path",
    sorted(p.relative_to(ROOT).as_posix() for p in (ROOT / "templates").rglob("*") if p.is_file()),
)
def test_template_text_is_in_us_english(path):
    words = _british(_template_text((ROOT / path).read_text()))
    assert not words, f"{path}: British spellings {words}"


def _prose(markdown: str) -> str:
    """Markdown without its code and link targets: fenced blocks, `inline code` and (file names) hold
    commands, addresses, stored values and screenshot names."""
    markdown = re.sub(r"^```.*?^```", " ", markdown, flags=re.DOTALL | re.MULTILINE)
    markdown = re.sub(r"\]\([^)\s]*\)", "]", markdown)
    return re.sub(r"`[^`\n]*`", " ", markdown)


DOCS = ["README.md", *sorted(p.relative_to(ROOT).as_posix() for p in (ROOT / "docs").glob("*.md"))]


@pytest.mark.parametrize("path", DOCS)
def test_docs_are_in_us_english(path):
    words = _british(_prose((ROOT / path).read_text()))
    assert not words, f"{path}: British spellings {words}"


def test_management_command_help_is_in_us_english():
    found = {}
    own = {name: app for name, app in get_commands().items() if app in OWN_APPS}
    assert "anonymize_person" in own  # the scan reaches Camino's commands
    for name, app in own.items():
        parser = load_command_class(app, name).create_parser("manage.py", name)
        text = " ".join(filter(None, [parser.description, *(action.help for action in parser._actions)]))
        if words := _british(name.replace("_", " ") + " " + text):
            found[name] = words
    assert not found, f"British spellings in management commands: {found}"


# The content every new site starts with (the seeded agenda points, the demo content): staff may edit
# it, but what we ship is US English. Python sources read whole: their English is their strings.
SEEDED = [
    "stories/migrations/0002_agenda_points.py",
    *sorted(p.relative_to(ROOT).as_posix() for p in ROOT.glob("*/demo.py")),
]


@pytest.mark.parametrize("path", SEEDED)
def test_seeded_and_demo_content_is_in_us_english(path):
    words = _british((ROOT / path).read_text())
    assert not words, f"{path}: British spellings {words}"


@pytest.mark.django_db
def test_the_agenda_point_seeded_in_british_spelling_is_respelled_unless_staff_rewrote_it():
    from django.apps import apps

    from stories.models import AgendaPoint
    from tests.stories.factories import ensure_agenda_points

    migration = importlib.import_module("stories.migrations.0005_agenda_point_us_spelling")
    ensure_agenda_points()
    point = AgendaPoint.objects.get(slug=migration.SLUG)
    AgendaPoint.objects.filter(pk=point.pk).update(summary=migration.BRITISH, summary_en=migration.BRITISH)
    migration.to_us(apps, None)
    point.refresh_from_db()
    assert point.summary_en == migration.US and "traveling alone" in point.summary_en
    AgendaPoint.objects.filter(pk=point.pk).update(summary_en="Staff's own words, travelling.")
    migration.to_us(apps, None)
    point.refresh_from_db()
    assert point.summary_en == "Staff's own words, travelling."  # not the seeded text: left alone
