"""The rules a letter must meet to reach an office, in one place: characters, formats and lengths
as Communicating with Congress (CWC) takes them (docs/advocacy.md, "What CWC accepts").

The supporter's form enforces them where the supporter can fix a value (a message on the field),
the campaign's admin where staff can, and the CWC builder applies the same normalizations to what
older rows stored, so every letter the form accepts is one CWC accepts."""

import re
import unicodedata
from collections.abc import Iterable, Mapping

from django.core.exceptions import ValidationError
from django.utils.translation import gettext_lazy as _

from .placeholders import PLACEHOLDER_RE

# CWC's lengths (Senate schema, as transcribed by the implementations in the reference notes).
SUBJECT_MIN_LENGTH = 6
SUBJECT_MAX_LENGTH = 500
MESSAGE_MIN_LENGTH = 6  # OrganizationStatement and ConstituentMessage
MESSAGE_MAX_LENGTH = 10_000
STREET_MIN_LENGTH = 3  # Address1
CITY_MIN_LENGTH = 3

# XML 1.0 allows tab, newline, carriage return and everything from U+0020 on, except the
# surrogates and U+FFFE/U+FFFF. A message holding anything else is not XML: CWC cannot parse it.
_XML_FORBIDDEN_RE = re.compile("[\x00-\x08\x0b\x0c\x0e-\x1f\ud800-\udfff\ufffe\uffff]")

# Line and page breaks that are not XML's (Word's manual line break is a vertical tab, its page
# break a form feed) become plain new lines: what the supporter meant, and what XML can carry.
_LINE_BREAKS = {"\r\n": "\n", "\r": "\n", "\v": "\n", "\f": "\n", "\x85": "\n", "\u2028": "\n", "\u2029": "\n"}
_LINE_BREAK_RE = re.compile("|".join(re.escape(key) for key in _LINE_BREAKS))

_ZIP_RE = re.compile(r"([0-9]{5})(?:[-\s]?([0-9]{4}))?")
CWC_ZIP_RE = re.compile(r"[0-9]{5}(-[0-9]{4})?")
# CWC's email_type; Django's EmailField allows quoted local parts this can refuse ("a@.b"@c.org).
CWC_EMAIL_RE = re.compile(r"[^@]+@[^.]+\..+")


def normalize_line_breaks(value: str) -> str:
    """Every kind of line break as "\\n"."""
    return _LINE_BREAK_RE.sub(lambda match: _LINE_BREAKS[match.group(0)], value or "")


def forbidden_characters(value: str) -> list[str]:
    """The characters of `value` XML 1.0 cannot carry, once each, in order."""
    return list(dict.fromkeys(_XML_FORBIDDEN_RE.findall(value or "")))


def _character_names(characters: Iterable[str]) -> str:
    return ", ".join(f"U+{ord(c):04X}" for c in characters)


def check_characters(value: str) -> None:
    """Raise a ValidationError naming the characters XML forbids (control characters a copy and
    paste can bring along): offices could not receive the letter."""
    bad = forbidden_characters(value)
    if bad:
        raise ValidationError(
            _(
                "This contains a character offices cannot receive (%(characters)s), often an invisible one "
                "pasted from another program. Please delete it or type the text again."
            ),
            code="forbidden_character",
            params={"characters": _character_names(bad)},
        )


def check_single_line(value: str) -> None:
    """A subject travels in an email header and a one-line CWC element: no line breaks."""
    if normalize_line_breaks(value) != value or "\n" in value:
        raise ValidationError(_("Please keep this on one line."), code="line_break")


def ascii_digits(value: str) -> str:
    """Digits from any script (e.g. full-width ones an input method types) as ASCII digits."""
    return "".join(str(unicodedata.decimal(c)) if c.isdecimal() and not c.isascii() else c for c in value or "")


def normalize_zip(value: str) -> str | None:
    """A ZIP as CWC takes it, "NNNNN" or "NNNNN-NNNN", from "98109", "981091234", "98109 1234" or
    "98109-1234"; None when it is not a ZIP code."""
    match = _ZIP_RE.fullmatch(ascii_digits(value).strip())
    if match is None:
        return None
    zip5, plus4 = match.groups()
    return f"{zip5}-{plus4}" if plus4 else zip5


def check_min_length(value: str, minimum: int) -> None:
    if len(value) < minimum:
        raise ValidationError(
            _("Please write at least %(count)d characters: offices do not accept shorter ones."),
            code="too_short",
            params={"count": minimum},
        )


# --- Lengths once the placeholders are filled in ----------------------------------------------------

# The fewest and the most characters each placeholder can become, from the form's limits (names
# 1-100, city 3-100) and the recipients' (a member's or custom target's name and title, each at
# most 200; a custom target may have no title).
PLACEHOLDER_LENGTHS: Mapping[str, tuple[int, int]] = {
    "first_name": (1, 100),
    "last_name": (1, 100),
    "full_name": (3, 201),
    "city": (CITY_MIN_LENGTH, 100),
    "state": (2, 2),
    "member_name": (1, 200),
    "member_title": (0, 200),
}


def expanded_length_range(template: str) -> tuple[int, int]:
    """The shortest and the longest `template` can become once its placeholders are filled in and
    its ends stripped, for any supporter and recipient. Unknown names in braces stay as written.

    The shortest counts the written text without its ends' white space: a filled-in value never
    starts or ends with a space, so stripping removes no more than that."""
    low = high = 0
    literal = PLACEHOLDER_RE.sub(lambda m: "" if m.group(1) in PLACEHOLDER_LENGTHS else m.group(0), template or "")
    for name in PLACEHOLDER_RE.findall(template or ""):
        if name in PLACEHOLDER_LENGTHS:
            low += PLACEHOLDER_LENGTHS[name][0]
            high += PLACEHOLDER_LENGTHS[name][1]
    return low + len(literal.strip()), high + len(literal)


def message_length_error(text: str, *, what: str = "") -> ValidationError | None:
    """Why one OrganizationStatement or ConstituentMessage, as it will be sent, is too short or too
    long for CWC (None when it fits). `what` names the recipient in the message."""
    length = len(text.strip())
    if length < MESSAGE_MIN_LENGTH:
        return ValidationError(
            _("Please write at least %(count)d characters: offices do not accept shorter letters."),
            code="too_short",
            params={"count": MESSAGE_MIN_LENGTH},
        )
    if length > MESSAGE_MAX_LENGTH:
        return ValidationError(
            _(
                "With the names filled in, your letter to %(recipient)s has %(length)d characters; offices "
                "take at most %(count)d. Please shorten it by %(over)d."
            ),
            code="too_long_expanded",
            params={
                "recipient": what,
                "length": length,
                "count": MESSAGE_MAX_LENGTH,
                "over": length - MESSAGE_MAX_LENGTH,
            },
        )
    return None
