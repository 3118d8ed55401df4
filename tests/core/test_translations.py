"""The Spanish catalog is complete, and no template shows a string the catalog cannot hold.

Two rules keep issue 14's promise ("every user-facing string in a complete Spanish catalog"):

* `makemessages -l es`, run on a copy of the project, finds no entry without a Spanish translation
  and none marked fuzzy, and the committed `.mo` (what a fresh machine uses: it needs no msgfmt)
  holds exactly what the `.po` says.
* Every template's visible text (and the attributes people read: alt, title, placeholder,
  aria-label, a meta description) sits inside {% translate %} / {% blocktranslate %}: a string
  typed straight into HTML would be English on the Spanish site, and makemessages could never see it.
"""

import os
import re
import shutil
import subprocess
import sys
from html.parser import HTMLParser
from pathlib import Path

import polib
import pytest
from django.conf import settings
from django.template.base import Lexer, TokenType

from tests.conftest import require_service

ROOT = Path(settings.BASE_DIR)
CATALOG = ROOT / "locale" / "es" / "LC_MESSAGES" / "django.po"
COMPILED = CATALOG.with_suffix(".mo")
# What the extraction reads: the project's own code and templates, not the virtualenv, data or docs.
NOT_SOURCE = (".venv", "var", "staticfiles", "media", ".git", "node_modules", "tests", "bench", "docs", "__pycache__")


@pytest.fixture(scope="module")
def extracted_catalog(tmp_path_factory) -> polib.POFile:
    """The Spanish catalog as makemessages leaves it today, made in a copy so the tree is untouched."""
    require_service(shutil.which("xgettext") is not None, "xgettext (the Debian package gettext)")
    copy = tmp_path_factory.mktemp("catalog") / "project"
    shutil.copytree(ROOT, copy, ignore=shutil.ignore_patterns(*NOT_SOURCE), symlinks=True)
    env = {key: value for key, value in os.environ.items() if not key.startswith("PYTEST")}
    env["DJANGO_DEBUG"] = "true"
    subprocess.run(
        [sys.executable, "manage.py", "makemessages", "-l", "es", "--no-location"],
        cwd=copy, env=env, check=True, capture_output=True,
    )
    return polib.pofile(str(copy / "locale" / "es" / "LC_MESSAGES" / "django.po"))


def _describe(entries) -> str:
    return "\n".join(f"  {entry.msgid[:100]!r}" for entry in entries)


def test_every_string_has_a_spanish_translation(extracted_catalog):
    untranslated = [entry for entry in extracted_catalog.untranslated_entries() if not entry.obsolete]
    assert not untranslated, (
        f"{len(untranslated)} strings have no Spanish yet (translate them in {CATALOG.relative_to(ROOT)},"
        f" then compilemessages):\n{_describe(untranslated)}"
    )


def test_no_translation_is_fuzzy(extracted_catalog):
    fuzzy = [entry for entry in extracted_catalog.fuzzy_entries() if not entry.obsolete]
    assert not fuzzy, f"{len(fuzzy)} Spanish translations are marked fuzzy (check, then unmark):\n{_describe(fuzzy)}"


def test_the_compiled_catalog_is_the_committed_one():
    source = {(entry.msgctxt, entry.msgid): entry for entry in polib.pofile(str(CATALOG)) if entry.translated()}
    compiled = {(entry.msgctxt, entry.msgid): entry for entry in polib.mofile(str(COMPILED)) if entry.msgid}
    missing = [entry for key, entry in source.items() if key not in compiled]
    assert not missing, f"the .mo lacks {len(missing)} entries of the .po: run compilemessages\n{_describe(missing)}"
    stale = [
        entry for key, entry in source.items()
        if (entry.msgstr or entry.msgstr_plural) != (compiled[key].msgstr or compiled[key].msgstr_plural)
    ]
    assert not stale, f"the .mo differs from the .po for {len(stale)} entries: run compilemessages\n{_describe(stale)}"


# ---- Templates: visible text only inside translation tags ----------------------------------------

MARK = "\u241f"  # stands for whatever a template tag or variable renders (never language we wrote)
WORDS = re.compile(r"[^\W\d_]{2,}")
READ_ATTRIBUTES = {"alt", "title", "placeholder", "aria-label", "aria-description", "label"}
# Meta tags whose content search results and link previews (WhatsApp, Facebook) show to people.
BUTTON_TYPES = {"submit", "button", "reset"}  # an <input> of these types shows its value as its label
SHOWN_META = {"description", "og:title", "og:description", "og:site_name", "twitter:title", "twitter:description"}
# Admin blocks whose content is CSS class names or markup for the head, not text anyone reads.
CODE_BLOCKS = {"bodyclass", "coltype", "extrastyle", "extrahead"}
# Text that is a name or a symbol in every language, so it stays as it is on the Spanish site.
NOT_LANGUAGE = {
    "Camino", "Stripe", "WhatsApp", "SMS", "CSV", "CWC", "EIN", "ZIP", "QR",
}


def _template_text(source: str) -> str:
    """The template with every tag, variable and translated block replaced by MARK."""
    parts, skipping = [], None
    for token in Lexer(source).tokenize():
        contents = token.contents.split()
        name = contents[0] if contents else ""
        if token.token_type == TokenType.BLOCK:
            if skipping:
                if name == f"end{skipping}":
                    skipping = None
                continue
            if name in {"blocktranslate", "blocktrans"}:
                skipping = name
            elif name == "comment":
                skipping = "comment"
            elif name == "block" and contents[1:2] and contents[1] in CODE_BLOCKS:
                skipping = "block"
            parts.append(MARK)
        elif skipping:
            continue
        elif token.token_type == TokenType.TEXT:
            parts.append(token.contents)
        else:
            parts.append(MARK)
    return "".join(parts)


class _VisibleText(HTMLParser):
    def __init__(self):
        super().__init__(convert_charrefs=True)
        self.found: list[str] = []
        self._hidden = 0

    def handle_starttag(self, tag, attrs):
        if tag in {"script", "style"}:
            self._hidden += 1
        attributes = dict(attrs)
        for name, value in attributes.items():
            meta_name = attributes.get("name") or attributes.get("property")
            is_description = tag == "meta" and name == "content" and meta_name in SHOWN_META
            is_button_label = tag == "input" and name == "value" and attributes.get("type") in BUTTON_TYPES
            # data-text-* holds the sentences static/js/*.js shows (the donate total, "Copied").
            if value and (name in READ_ATTRIBUTES or name.startswith("data-text") or is_description or is_button_label):
                self.found.append(value)

    def handle_endtag(self, tag):
        if tag in {"script", "style"} and self._hidden:
            self._hidden -= 1

    def handle_data(self, data):
        if not self._hidden:
            self.found.append(data)


def _untranslated_words(text: str) -> list[str]:
    words = [word for word in WORDS.findall(text.replace(MARK, " ")) if word not in NOT_LANGUAGE]
    return words


def _unmarked(path: Path) -> list[str]:
    text = _template_text(path.read_text())
    if path.suffix == ".txt":  # plain-text emails: everything outside tags is read
        pieces = [text]
    else:
        parser = _VisibleText()
        parser.feed(text)
        pieces = parser.found
    return [piece.strip() for piece in pieces if _untranslated_words(piece)]


def test_no_template_shows_a_string_outside_the_catalog():
    templates = sorted(p for p in (ROOT / "templates").rglob("*") if p.suffix in {".html", ".txt"})
    assert templates
    found = {str(path.relative_to(ROOT)): _unmarked(path) for path in templates}
    found = {path: pieces for path, pieces in found.items() if pieces}
    listing = "\n".join(f"{path}: {pieces!r}" for path, pieces in found.items())
    assert not found, f"visible text not inside {{% translate %}} / {{% blocktranslate %}}:\n{listing}"


def test_the_template_check_sees_an_unmarked_string(tmp_path):
    """The check itself: an English word typed into HTML or into an alt attribute is caught."""
    page = tmp_path / "page.html"
    page.write_text('{% load i18n %}<p>{% translate "Give" %}</p><p>Give today</p><img alt="A child" src="x">')
    assert _unmarked(page) == ["Give today", "A child"]
    page.write_text('<p data-text-copied="Copied" data-testid="share-status"></p>')
    assert _unmarked(page) == ["Copied"]
    page.write_text('<meta property="og:title" content="Their story"><meta property="og:type" content="article">'
                    '<input type="submit" value="Send it"><input type="hidden" name="step" value="confirm">')
    assert _unmarked(page) == ["Their story", "Send it"]
    page.write_text('{% load i18n %}<p>{% blocktranslate %}Hello {{ name }}{% endblocktranslate %} {{ name }}</p>')
    assert _unmarked(page) == []
