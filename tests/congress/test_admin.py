"""Staff in the admin: the roster with filters and search, CWC switched per office through a service,
members added by hand get the office code of their seat, and impossible seats are refused."""

import pytest
from django.urls import reverse

from congress.models import Legislator, ZipDistrict

pytestmark = pytest.mark.django_db
CHANGELIST = reverse("admin:congress_legislator_changelist")
ADD_URL = reverse("admin:congress_legislator_add")


def test_roster_filters_and_search(admin_client, demo_roster):
    response = admin_client.get(CHANGELIST, {"chamber__exact": "senate", "is_active__exact": "1", "q": "Okafor"})

    assert response.status_code == 200
    shown = list(response.context["cl"].result_list)
    assert [member.bioguide_id for member in shown] == ["DEMO000002"]
    content = response.content.decode()
    assert "SWA03" in content
    for parameter in ("chamber__exact", "is_active__exact", "accepts_cwc__exact", "state__exact"):
        assert parameter in content  # the filters are offered

    by_office = admin_client.get(CHANGELIST, {"q": "HWY00"})
    assert [m.last_name for m in by_office.context["cl"].result_list] == ["Redwine"]


def test_actions_switch_cwc_for_the_selected_offices(admin_client, demo_roster):
    chosen = list(Legislator.objects.filter(state="WA").values_list("pk", flat=True))

    response = admin_client.post(CHANGELIST, {"action": "mark_not_accepts_cwc", "_selected_action": chosen},
                                 follow=True)

    assert response.status_code == 200
    assert "4 offices no longer take CWC." in response.content.decode()
    assert set(Legislator.objects.filter(accepts_cwc=False).values_list("state", flat=True)) == {"WA"}

    admin_client.post(CHANGELIST, {"action": "mark_accepts_cwc", "_selected_action": chosen[:1]})
    assert Legislator.objects.filter(accepts_cwc=False).count() == 3


def _member_form(**overrides):
    data = {
        "accepts_cwc": "on", "email": "", "is_active": "on", "bioguide_id": "X000001", "first_name": "Ana",
        "last_name": "Staffadd", "official_full_name": "", "party": "Democrat", "chamber": "house", "state": "NY",
        "district": "12", "senate_class": "", "phone": "", "office_address": "", "contact_form_url": "",
        "website_url": "",
    }
    data.update(overrides)
    return data


def test_member_added_by_hand_gets_the_office_code_of_the_seat(admin_client):
    response = admin_client.post(ADD_URL, _member_form())

    assert response.status_code == 302, response.context["adminform"].form.errors
    member = Legislator.objects.get(bioguide_id="X000001")
    assert member.cwc_office_code == "HNY12"

    member.district = 3
    member.save(update_fields=["district"])
    member.refresh_from_db()
    assert member.cwc_office_code == "HNY03"


@pytest.mark.parametrize(("overrides", "field", "message"), [
    ({"chamber": "senate", "state": "DC", "district": "", "senate_class": "1"}, "state", "no senators"),
    ({"chamber": "senate", "district": "", "senate_class": ""}, "senate_class", "needs its class"),
    ({"district": ""}, "district", "needs a district"),
    ({"state": "PR", "district": "2"}, "district", "one delegate"),
])
def test_impossible_seats_are_refused(admin_client, overrides, field, message):
    response = admin_client.post(ADD_URL, _member_form(**overrides))

    assert response.status_code == 200
    errors = response.context["adminform"].form.errors
    assert message in " ".join(errors[field])
    assert not Legislator.objects.filter(bioguide_id="X000001").exists()


def test_zip_table_search(admin_client, demo_roster):
    response = admin_client.get(reverse("admin:congress_zipdistrict_changelist"), {"q": "98101"})

    assert response.status_code == 200
    assert [(row.state, row.district) for row in response.context["cl"].result_list] == [("WA", 7), ("WA", 9)]
    assert ZipDistrict.objects.count() == 6
