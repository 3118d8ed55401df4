"""Reading the public data files: congress-legislators (YAML or JSON) and zccd.csv.

Parsing only, no database: every record is checked before anything is written, so a malformed file
is refused whole, with the line (or record) it failed on, and the tables stay as they were.
"""

import csv
import io
import json
import re
from dataclasses import dataclass, field

import requests
import yaml
from django.conf import settings
from django.core.exceptions import ValidationError
from django.core.validators import URLValidator

from .models import Legislator
from .states import NON_STATE_CODES, STATE_BY_FIPS, STATE_CODES

ZCCD_COLUMNS = ("state_fips", "state_abbr", "zcta", "cd")
_url_validator = URLValidator(schemes=["http", "https"])


class DataFileError(Exception):
    """A data file that cannot be loaded; the message names the line or record and the problem."""


@dataclass
class LegislatorRow:
    """One member's current seat and contact details, as the loader writes them."""

    bioguide_id: str
    first_name: str
    last_name: str
    official_full_name: str
    chamber: str
    state: str
    district: int | None
    senate_class: int | None
    party: str
    phone: str
    office_address: str
    contact_form_url: str
    website_url: str
    cwc_office_code: str = field(init=False)

    def __post_init__(self):
        self.cwc_office_code = Legislator.office_code_for(
            chamber=self.chamber, state=self.state, district=self.district, senate_class=self.senate_class
        )


@dataclass
class ParsedLegislators:
    rows: list[LegislatorRow]
    warnings: list[str]


# --- Fetching -------------------------------------------------------------------------------------


def read_source(*, path: str | None = None, url: str | None = None) -> tuple[str, str]:
    """The text of a data file and a name for it, from a local path or an http(s) URL."""
    if path:
        try:
            with open(path, "rb") as handle:
                raw = handle.read()
        except OSError as exc:
            raise DataFileError(f"Cannot read {path}: {exc.strerror or exc}") from exc
        name = path
    else:
        try:
            response = requests.get(url, timeout=settings.CONGRESS_DATA_TIMEOUT)
            response.raise_for_status()
        except requests.RequestException as exc:
            raise DataFileError(f"Cannot download {url}: {exc}") from exc
        raw = response.content
        name = url
    try:
        return raw.decode("utf-8-sig"), name
    except UnicodeDecodeError as exc:
        line = raw[: exc.start].count(b"\n") + 1
        raise DataFileError(f"{name}: line {line}: not UTF-8 text") from exc


# --- congress-legislators -------------------------------------------------------------------------


def parse_legislators(text: str, *, name: str = "") -> ParsedLegislators:
    """Members from legislators-current in YAML or JSON: a list of people, each with id, name and
    terms; the current term is the last one in `terms`."""
    if text.lstrip().startswith("["):
        records, lines = _load_json(text, name)
    else:
        records, lines = _load_yaml(text, name)
    if not records:
        raise DataFileError(f"{name}: the file lists no legislators")
    if not isinstance(records, list):
        raise DataFileError(f"{name}: expected a list of legislators at the top level")

    rows: list[LegislatorRow] = []
    warnings: list[str] = []
    seen: dict[str, str] = {}
    for index, record in enumerate(records):
        where = f"{name}: record {index + 1}" + (f" (line {lines[index]})" if lines else "")
        row = _legislator_row(record, where, warnings)
        if row.bioguide_id in seen:
            raise DataFileError(f"{where}: bioguide id {row.bioguide_id} already given in {seen[row.bioguide_id]}")
        seen[row.bioguide_id] = where.removeprefix(f"{name}: ")
        rows.append(row)
    return ParsedLegislators(rows=rows, warnings=warnings)


# --- The Senate's list of offices that take CWC ----------------------------------------------------

_SENATE_OFFICE_CODE = re.compile(r"S[A-Z]{2}0[1-3]")


def parse_senate_cwc_offices(text: str, *, name: str = "") -> list[str]:
    """The office codes (e.g. SCA03) in SOAPBox's active_offices.json: a list of objects, each with
    `office_code` (and a `name`). Read with the YAML loader, which takes JSON and knows each item's
    line for error messages."""
    records, lines = _load_yaml(text, name)
    if not isinstance(records, list):
        raise DataFileError(f"{name}: expected a list of offices at the top level")
    if not records:
        # An empty answer would switch every Senate office off CWC: far likelier a broken download.
        raise DataFileError(f"{name}: the file lists no offices")
    codes: list[str] = []
    for index, record in enumerate(records):
        where = f"{name}: office {index + 1}" + (f" (line {lines[index]})" if lines else "")
        code = record.get("office_code") if isinstance(record, dict) else None
        if not isinstance(code, str) or not _SENATE_OFFICE_CODE.fullmatch(code.strip()):
            raise DataFileError(f"{where}: office_code must be a Senate office code such as SCA03, not {code!r}")
        codes.append(code.strip())
    return codes


def _load_json(text: str, name: str) -> tuple[object, list[int] | None]:
    try:
        return json.loads(text), None
    except json.JSONDecodeError as exc:
        raise DataFileError(f"{name}: line {exc.lineno}, column {exc.colno}: invalid JSON ({exc.msg})") from exc


def _load_yaml(text: str, name: str) -> tuple[object, list[int] | None]:
    # Compose the node tree first so each record's line number is known for error messages; the C
    # loader keeps the 1 MB file to about a second.
    loader_class = getattr(yaml, "CSafeLoader", yaml.SafeLoader)
    loader = loader_class(text)
    try:
        node = loader.get_single_node()
        data = loader.construct_document(node) if node is not None else None
    except yaml.MarkedYAMLError as exc:
        mark = exc.problem_mark or exc.context_mark
        where = f"line {mark.line + 1}, column {mark.column + 1}: " if mark else ""
        problem = exc.problem or exc.context
        if exc.problem and exc.context and exc.context_mark:
            # e.g. "did not find expected ',' or ']', while parsing a flow sequence begun on line 29"
            problem += f", {exc.context} begun on line {exc.context_mark.line + 1}"
        raise DataFileError(f"{name}: {where}invalid YAML ({problem})") from exc
    except yaml.YAMLError as exc:
        raise DataFileError(f"{name}: invalid YAML ({exc})") from exc
    finally:
        loader.dispose()
    lines = None
    if isinstance(node, yaml.SequenceNode):
        lines = [item.start_mark.line + 1 for item in node.value]
    return data, lines


def _text(value, where: str, what: str, max_length: int, *, required: bool = False) -> str:
    if value is None:
        value = ""
    if not isinstance(value, str | int):
        raise DataFileError(f"{where}: {what} must be text, not {type(value).__name__}")
    value = str(value).strip()
    if required and not value:
        raise DataFileError(f"{where}: {what} is missing")
    if len(value) > max_length:
        raise DataFileError(f"{where}: {what} is longer than {max_length} characters")
    return value


def _url(value, where: str, what: str, warnings: list[str]) -> str:
    value = _text(value, where, what, 500)
    if not value:
        return ""
    try:
        _url_validator(value)
    except ValidationError:
        # A bad link should not hold back a whole roster update: drop it and say so.
        warnings.append(f"{where}: {what} {value!r} is not a valid URL; left blank")
        return ""
    return value


def _legislator_row(record, where: str, warnings: list[str]) -> LegislatorRow:
    if not isinstance(record, dict):
        raise DataFileError(f"{where}: expected a legislator (a mapping), got {type(record).__name__}")
    ids, name, terms = record.get("id"), record.get("name"), record.get("terms")
    if not isinstance(ids, dict) or not ids.get("bioguide"):
        raise DataFileError(f"{where}: id.bioguide is missing")
    bioguide = _text(ids["bioguide"], where, "id.bioguide", 10, required=True)
    where = f"{where}, bioguide {bioguide}"
    if not isinstance(name, dict):
        raise DataFileError(f"{where}: name is missing")
    if not isinstance(terms, list) or not terms:
        raise DataFileError(f"{where}: terms is missing or empty")
    term = terms[-1]
    if not isinstance(term, dict):
        raise DataFileError(f"{where}: the last term is not a mapping")

    kind = term.get("type")
    if kind not in ("rep", "sen"):
        raise DataFileError(f"{where}: last term type must be 'rep' or 'sen', not {kind!r}")
    state = term.get("state")
    if state not in STATE_CODES:
        raise DataFileError(f"{where}: last term state {state!r} is not a US state, DC or territory")
    district = senate_class = None
    if kind == "rep":
        chamber = Legislator.Chamber.HOUSE
        district = term.get("district")
        if isinstance(district, bool) or not isinstance(district, int) or not 0 <= district <= 99:
            raise DataFileError(f"{where}: last term district must be a number from 0 to 99, not {district!r}")
        if state in NON_STATE_CODES and district != 0:
            raise DataFileError(f"{where}: {state} has one at-large delegate (district 0), not district {district}")
    else:
        chamber = Legislator.Chamber.SENATE
        if state in NON_STATE_CODES:
            raise DataFileError(f"{where}: {state} has no senators")
        senate_class = term.get("class")
        if senate_class not in (1, 2, 3) or isinstance(senate_class, bool):
            raise DataFileError(f"{where}: last term class must be 1, 2 or 3, not {senate_class!r}")

    return LegislatorRow(
        bioguide_id=bioguide,
        first_name=_text(name.get("first"), where, "name.first", 100, required=True),
        last_name=_text(name.get("last"), where, "name.last", 100, required=True),
        official_full_name=_text(name.get("official_full"), where, "name.official_full", 200),
        chamber=chamber,
        state=state,
        district=district,
        senate_class=senate_class,
        party=_text(term.get("party"), where, "party", 50),
        phone=_text(term.get("phone"), where, "phone", 30),
        office_address=_text(term.get("address"), where, "address", 300),
        contact_form_url=_url(term.get("contact_form"), where, "contact_form", warnings),
        website_url=_url(term.get("url"), where, "url", warnings),
    )


# --- zccd.csv -------------------------------------------------------------------------------------


def parse_zip_districts(text: str, *, name: str = "") -> list[tuple[str, str, int]]:
    """(zip_code, state, district) rows from zccd.csv (columns state_fips, state_abbr, zcta, cd),
    duplicates removed, in file order."""
    reader = csv.reader(io.StringIO(text, newline=""))
    try:
        header = next(reader)
    except StopIteration:
        raise DataFileError(f"{name}: the file is empty") from None
    except csv.Error as exc:
        raise DataFileError(f"{name}: line 1: {exc}") from exc
    header = [column.strip().lower() for column in header]
    missing = [column for column in ZCCD_COLUMNS if column not in header]
    if missing:
        raise DataFileError(
            f"{name}: line 1: the header must name the columns {', '.join(ZCCD_COLUMNS)}; missing {', '.join(missing)}"
        )
    fips_at, state_at, zcta_at, cd_at = (header.index(column) for column in ZCCD_COLUMNS)
    width = len(header)

    rows: list[tuple[str, str, int]] = []
    seen: set[tuple[str, str, int]] = set()
    try:
        for values in reader:
            line = reader.line_num
            if not values or values == [""]:
                continue
            if len(values) != width:
                raise DataFileError(f"{name}: line {line}: expected {width} columns, found {len(values)}")
            fips, state, zcta, cd = (values[i].strip() for i in (fips_at, state_at, zcta_at, cd_at))
            if len(zcta) != 5 or not zcta.isdigit():
                raise DataFileError(f"{name}: line {line}: zcta must be five digits, not {zcta!r}")
            if state not in STATE_CODES:
                raise DataFileError(f"{name}: line {line}: state_abbr {state!r} is not a US state, DC or territory")
            if STATE_BY_FIPS.get(fips) != state:
                raise DataFileError(f"{name}: line {line}: state_fips {fips!r} does not belong to {state}")
            if not cd.isdigit() or int(cd) > 99:
                raise DataFileError(f"{name}: line {line}: cd must be a district number from 0 to 99, not {cd!r}")
            row = (zcta, state, int(cd))
            if row not in seen:
                seen.add(row)
                rows.append(row)
    except csv.Error as exc:
        raise DataFileError(f"{name}: line {reader.line_num}: {exc}") from exc
    if not rows:
        raise DataFileError(f"{name}: the file has a header but no rows")
    return rows
