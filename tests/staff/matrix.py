"""The role matrix, read from docs/staff.md ("Who may open what" and "Actions"): the page staff
read is the one table the tests compare the code with, so the two cannot drift apart."""

import re
from dataclasses import dataclass
from functools import cache
from pathlib import Path

from staff.roles import CAMPAIGN_MANAGERS, CONTENT_EDITORS, FINANCE

DOC = Path(__file__).resolve().parents[2] / "docs" / "staff.md"

SUPERUSER = "superuser"
NO_ROLE = "no role"
# Column heading -> the role a test user gets (None: staff without a group).
COLUMNS = {
    "Content editors": CONTENT_EDITORS,
    "Campaign managers": CAMPAIGN_MANAGERS,
    "Finance": FINANCE,
    "No role": NO_ROLE,
    "Superusers": SUPERUSER,
}
WORDS = {"view": "v", "add": "a", "change": "c", "delete": "d"}
MODEL_LABEL = re.compile(r"^[a-z_]+\.[a-z_]+$")


@dataclass(frozen=True)
class Matrix:
    # column -> model label -> rights as letters in "vacd" order ("" when none)
    models: dict[str, dict[str, str]]
    # column -> page names (URL names, "staff_export:<name>", "stories:story_detail") it may open
    pages: dict[str, set[str]]
    every_page: frozenset[str]
    # (action, model label or "*") -> the right it needs, as a letter
    actions: dict[tuple[str, str], str]

    def actions_for(self, label: str, rights: str) -> list[str]:
        return sorted(action for (action, on), need in self.actions.items() if on in (label, "*") and need in rights)

    def effective(self, column: str) -> dict[str, tuple[str, list[str]]]:
        """The shape tests/staff/test_roles.py reads from the admin: label -> (rights, actions)."""
        return {
            label: (rights, self.actions_for(label, rights)) for label, rights in self.models[column].items() if rights
        }


def _table_after(text: str, heading: str) -> list[list[str]]:
    section = text.split(heading, 1)[1]
    rows = []
    for line in section.splitlines()[1:]:
        line = line.strip()
        if not line.startswith("|"):
            if rows:
                break
            continue
        rows.append([cell.strip() for cell in line.strip("|").split("|")])
    return [row for row in rows if not set("".join(row)) <= set("-: ")]


def _rights(cell: str) -> str:
    if cell in ("–", "-", ""):
        return ""
    words = [word.strip() for word in cell.split(",")]
    unknown = [word for word in words if word not in WORDS]
    assert not unknown, f"docs/staff.md: unknown right(s) {unknown} in {cell!r}"
    return "".join(letter for word, letter in WORDS.items() if word in words)


@cache
def matrix() -> Matrix:
    text = DOC.read_text()
    header, *rows = _table_after(text, "### Who may open what")
    columns = header[1:]
    assert set(columns) == set(COLUMNS), columns
    models = {COLUMNS[c]: {} for c in columns}
    pages = {COLUMNS[c]: set() for c in columns}
    every_page = set()
    for row in rows:
        names = re.findall(r"`([^`]+)`", row[0])
        assert names, f"docs/staff.md: a matrix row names no page: {row[0]!r}"
        for column, cell in zip(columns, row[1:], strict=True):
            role = COLUMNS[column]
            if len(names) == 1 and MODEL_LABEL.match(names[0]):
                models[role][names[0]] = _rights(cell)
            else:
                assert cell in ("yes", "–"), f"docs/staff.md: {cell!r} for {names}: write yes or –"
                if cell == "yes":
                    pages[role].update(names)
        if not (len(names) == 1 and MODEL_LABEL.match(names[0])):
            every_page.update(names)

    _header, *action_rows = _table_after(text, "### Actions")
    actions = {}
    for names_cell, on_cell, need in action_rows:
        on = "*" if on_cell == "every model" else on_cell.strip("`")
        for action in re.findall(r"`([^`]+)`", names_cell):
            actions[(action, on)] = WORDS[need]
    return Matrix(models=models, pages=pages, every_page=frozenset(every_page), actions=actions)
