"""Demo members of Congress and ZIP rows, so a new checkout can write to Congress with `make run`
without downloading the roster. The members are fictional (marked "demo" in their names and with
bioguide ids no real member has); the ZIP rows are real rows of zccd.csv.

The ZIPs to try on the site:

- 98109  one district (WA-7): two senators and a representative
- 98101  two districts (WA-7 and WA-9): the site asks for the street address, or for a choice
- 82001  an at-large state (WY): two senators and the at-large representative
- 20001  DC: the delegate only, no senators
- 98404  WA-10, a vacant House seat in the demo: the two senators, and the vacancy said plainly

After `manage.py load_legislators` the demo members are no longer in the roster and become inactive;
seeding again does not bring back a demo member whose seat a real member holds.
"""

from .models import Legislator, ZipDistrict

DEMO_SINGLE_DISTRICT_ZIP = "98109"
DEMO_MULTI_DISTRICT_ZIP = "98101"
DEMO_AT_LARGE_ZIP = "82001"
DEMO_DC_ZIP = "20001"
DEMO_VACANT_SEAT_ZIP = "98404"

DEMO_ZIP_ROWS = [
    (DEMO_SINGLE_DISTRICT_ZIP, "WA", 7),
    (DEMO_MULTI_DISTRICT_ZIP, "WA", 7),
    (DEMO_MULTI_DISTRICT_ZIP, "WA", 9),
    (DEMO_AT_LARGE_ZIP, "WY", 0),
    (DEMO_DC_ZIP, "DC", 0),
    (DEMO_VACANT_SEAT_ZIP, "WA", 10),
]

_SENATE, _HOUSE = Legislator.Chamber.SENATE, Legislator.Chamber.HOUSE

# bioguide id, first, last, party, chamber, state, district, Senate class, phone (555-01xx numbers are
# reserved for fiction).
DEMO_MEMBERS = [
    ("DEMO000001", "Avery", "Lindqvist", "Democrat", _SENATE, "WA", None, 1, "202-555-0101"),
    ("DEMO000002", "Rosa", "Okafor", "Democrat", _SENATE, "WA", None, 3, "202-555-0102"),
    ("DEMO000003", "Samuel", "Whitford", "Democrat", _HOUSE, "WA", 7, None, "202-555-0103"),
    ("DEMO000004", "Lena", "Marchetti", "Republican", _HOUSE, "WA", 9, None, "202-555-0104"),
    ("DEMO000005", "Hank", "Tolliver", "Republican", _SENATE, "WY", None, 1, "202-555-0105"),
    ("DEMO000006", "June", "Abernathy", "Republican", _SENATE, "WY", None, 2, "202-555-0106"),
    ("DEMO000007", "Cole", "Redwine", "Republican", _HOUSE, "WY", 0, None, "202-555-0107"),
    ("DEMO000008", "Dolores", "Kingsley", "Democrat", _HOUSE, "DC", 0, None, "202-555-0108"),
]


def _seat_taken_by_another(member: Legislator) -> bool:
    others = Legislator.objects.active().exclude(pk=member.pk).filter(chamber=member.chamber, state=member.state)
    if member.chamber == _HOUSE:
        return others.filter(district=member.district).exists()
    return others.filter(senate_class=member.senate_class).exists()


def seed(*, stdout) -> None:
    created_zips = 0
    for zip_code, state, district in DEMO_ZIP_ROWS:
        _row, created = ZipDistrict.objects.get_or_create(zip_code=zip_code, state=state, district=district)
        created_zips += created

    created_members = updated_members = 0
    for bioguide, first, last, party, chamber, state, district, senate_class, phone in DEMO_MEMBERS:
        office = "Senate" if chamber == _SENATE else "House"
        wanted = {
            "first_name": first,
            "last_name": last,
            "official_full_name": f"{first} {last} (demo)",
            "party": party,
            "chamber": chamber,
            "state": state,
            "district": district,
            "senate_class": senate_class,
            "phone": phone,
            "office_address": f"Demo {office} Office Building, Washington DC 20510",
            "website_url": "https://www.congress.gov/members",
        }
        member = Legislator.objects.filter(bioguide_id=bioguide).first()
        if member is None:
            member = Legislator(bioguide_id=bioguide, **wanted)
            member.is_active = not _seat_taken_by_another(member)
            member.full_clean()
            member.save()
            created_members += 1
            continue
        changed = [name for name, value in wanted.items() if getattr(member, name) != value]
        for name in changed:
            setattr(member, name, wanted[name])
        # A real member loaded since holds the seat: the demo one stays out of the way.
        active = not _seat_taken_by_another(member)
        if member.is_active != active:
            member.is_active = active
            changed.append("is_active")
        if changed:
            member.full_clean()
            member.save()
            updated_members += 1

    stdout.write(
        f"Congress demo: {len(DEMO_MEMBERS)} members ({created_members} created, {updated_members} updated), "
        f"{len(DEMO_ZIP_ROWS)} ZIP rows ({created_zips} created). Try ZIP {DEMO_SINGLE_DISTRICT_ZIP} "
        f"(one district), {DEMO_MULTI_DISTRICT_ZIP} (two), {DEMO_AT_LARGE_ZIP} (at-large), {DEMO_DC_ZIP} (DC), "
        f"{DEMO_VACANT_SEAT_ZIP} (vacant House seat).\n"
    )
