"""The {placeholders} a campaign's subject and letter may use, filled in for each supporter and
recipient."""

import re

PLACEHOLDERS = ("first_name", "last_name", "full_name", "city", "state", "member_name", "member_title")
PLACEHOLDER_RE = re.compile(r"\{(\w+)\}")


def render_template_text(text: str, values: dict[str, str]) -> str:
    """Replace the known {placeholders}; anything else in braces is left as written (never
    `str.format`, which would let a template reach attributes)."""
    return PLACEHOLDER_RE.sub(lambda match: values.get(match.group(1), match.group(0)), text)


def unknown_placeholders(text: str) -> list[str]:
    return sorted({name for name in PLACEHOLDER_RE.findall(text) if name not in PLACEHOLDERS})
