"""Writes to the Congress tables: loading the roster and the ZIP table, and staff switches.

Both loaders compare the file with what the database holds and write only the difference, in bulk
and in one transaction: a re-import of the same file changes nothing (not even `updated_at`), and a
failure half-way leaves the tables as they were.
"""

from collections.abc import Iterable
from dataclasses import astuple, dataclass, fields

from django.db import transaction
from django.utils import timezone

from .data_files import LegislatorRow
from .models import Legislator, ZipDistrict

# Loaded from the file; staff-maintained fields (accepts_cwc, email) are never overwritten.
LEGISLATOR_FILE_FIELDS = tuple(field.name for field in fields(LegislatorRow))
_BATCH_SIZE = 2000
# SQLite allows 32,766 query parameters; stay far below it when deleting by primary key.
_DELETE_CHUNK = 900


@dataclass(frozen=True)
class LoadSummary:
    in_file: int
    created: int
    updated: int
    unchanged: int
    deactivated: int = 0
    removed: int = 0


@transaction.atomic
def legislators_load(*, rows: Iterable[LegislatorRow]) -> LoadSummary:
    """Upsert members by bioguide id; members who are no longer in the file become inactive (their
    letters keep pointing at them), and members who come back become active again."""
    rows = list(rows)
    existing = {
        values[0]: values[1:]
        for values in Legislator.objects.values_list(*LEGISLATOR_FILE_FIELDS, "is_active")
    }
    now = timezone.now()
    to_write, created, updated = [], 0, 0
    for row in rows:
        values = astuple(row)
        previous = existing.get(row.bioguide_id)
        if previous is not None and previous == (*values[1:], True):
            continue
        if previous is None:
            created += 1
        else:
            updated += 1
        to_write.append(Legislator(**{name: getattr(row, name) for name in LEGISLATOR_FILE_FIELDS}, is_active=True))
    Legislator.objects.bulk_create(
        to_write,
        batch_size=_BATCH_SIZE,
        update_conflicts=True,
        unique_fields=["bioguide_id"],
        update_fields=[*LEGISLATOR_FILE_FIELDS[1:], "is_active", "updated_at"],
    )
    in_file = {row.bioguide_id for row in rows}
    gone = [bioguide for bioguide, values in existing.items() if values[-1] and bioguide not in in_file]
    deactivated = 0
    for start in range(0, len(gone), _DELETE_CHUNK):
        deactivated += Legislator.objects.filter(bioguide_id__in=gone[start : start + _DELETE_CHUNK]).update(
            is_active=False, updated_at=now
        )
    return LoadSummary(
        in_file=len(rows), created=created, updated=updated, unchanged=len(rows) - created - updated,
        deactivated=deactivated,
    )


@transaction.atomic
def zip_districts_load(*, rows: Iterable[tuple[str, str, int]]) -> LoadSummary:
    """Make the ZIP table equal to the file: add the new (ZIP, state, district) rows and remove rows
    the file no longer has (after redistricting a ZIP must not offer its old district)."""
    rows = list(dict.fromkeys(rows))
    existing = {
        (zip_code, state, district): pk
        for pk, zip_code, state, district in ZipDistrict.objects.values_list("pk", "zip_code", "state", "district")
    }
    wanted = set(rows)
    to_create = [
        ZipDistrict(zip_code=zip_code, state=state, district=district)
        for zip_code, state, district in rows
        if (zip_code, state, district) not in existing
    ]
    # Every column is part of the row's identity, so there is nothing to update on a conflict; a row
    # added meanwhile by a concurrent load is simply kept.
    ZipDistrict.objects.bulk_create(to_create, batch_size=_BATCH_SIZE, ignore_conflicts=True)
    stale = [pk for key, pk in existing.items() if key not in wanted]
    for start in range(0, len(stale), _DELETE_CHUNK):
        ZipDistrict.objects.filter(pk__in=stale[start : start + _DELETE_CHUNK]).delete()
    return LoadSummary(
        in_file=len(rows), created=len(to_create), updated=0, unchanged=len(rows) - len(to_create),
        removed=len(stale),
    )


def legislators_set_accepts_cwc(*, legislators, accepts: bool) -> int:
    """Staff switch for offices that do (not) take CWC messages; letters to the others go by email
    or the next backend. Returns how many members changed."""
    return legislators.exclude(accepts_cwc=accepts).update(accepts_cwc=accepts, updated_at=timezone.now())


@dataclass(frozen=True)
class SenateCwcSummary:
    in_file: int
    accepting: int
    not_accepting: int
    changed: int
    unknown_codes: tuple[str, ...]


@transaction.atomic
def senate_cwc_offices_apply(*, office_codes: Iterable[str]) -> SenateCwcSummary:
    """Mark which current senators take CWC messages, from the Senate's list of active offices:
    those listed take it, the others get their letters by email or the fallback backend. House
    offices are not touched (every House office takes CWC)."""
    codes = set(office_codes)
    senators = Legislator.objects.filter(chamber=Legislator.Chamber.SENATE, is_active=True)
    now = timezone.now()
    changed = senators.filter(cwc_office_code__in=codes, accepts_cwc=False).update(accepts_cwc=True, updated_at=now)
    changed += senators.exclude(cwc_office_code__in=codes).filter(accepts_cwc=True).update(
        accepts_cwc=False, updated_at=now
    )
    known = set(senators.values_list("cwc_office_code", flat=True))
    accepting = senators.filter(accepts_cwc=True).count()
    return SenateCwcSummary(
        in_file=len(codes),
        accepting=accepting,
        not_accepting=len(known) - accepting,
        changed=changed,
        unknown_codes=tuple(sorted(codes - known)),
    )
