"""An appeal's amount buttons (issue 13, "Phone first"): each a SuggestedAmount row with the staff's
line for it, in English and Spanish (issue 14), edited as a table inside the appeal's admin page."""

import re

import pytest
from django.core.exceptions import ValidationError
from django.db import connection
from django.db.migrations.executor import MigrationExecutor
from django.template.loader import render_to_string
from django.test import Client
from django.urls import reverse
from django.utils import translation
from hypothesis import HealthCheck, given
from hypothesis import settings as hypothesis_settings
from hypothesis import strategies as st

from donations.forms import OTHER, DonationForm
from donations.models import Appeal, SuggestedAmount
from tests.staff.factories import with_amounts

from .test_checkout import FORM

pytestmark = pytest.mark.django_db

SHELTER = (5000, "A week of safe shelter for one child", "Una semana de refugio seguro para una niña o un niño")
LAWYER = (10000, "Helps a child reach a lawyer", "Ayuda a que una niña o un niño tenga abogado")


def _labels(html: str) -> dict[str, str]:
    """Each amount radio's value -> the text of its label, tags removed (what a screen reader reads)."""
    labels = {}
    for value, radio_id in re.findall(r'<input type="radio"[^>]*name="amount"[^>]*value="([^"]+)" id="([^"]+)"', html):
        label = re.search(rf'<label for="{radio_id}"[^>]*>(.*?)</label>', html, re.S).group(1)
        labels[value] = " ".join(re.sub(r"<[^>]+>", " ", label).split())
    return labels


def test_the_buttons_follow_the_staff_order_and_the_second_is_preselected(appeal):
    appeal.suggested_amounts.all().delete()
    with_amounts(appeal, [10000, 2500, 5000])

    form = DonationForm(appeal=appeal)

    assert [value for value, _label in form.fields["amount"].choices] == ["10000", "2500", "5000", OTHER]
    assert form["amount"].value() == "2500"


def test_an_appeal_without_buttons_starts_on_other_amount(appeal):
    appeal.suggested_amounts.all().delete()
    form = DonationForm(appeal=appeal)
    assert form["amount"].value() == OTHER
    assert [value for value, _label in form.fields["amount"].choices] == [OTHER]


def test_a_link_to_a_button_amount_chooses_the_button_and_another_amount_goes_in_the_box(appeal):
    button = DonationForm.initial_from_query({"amount": "5000", "frequency": "month"}, appeal=appeal)
    other = DonationForm.initial_from_query({"amount": "4200"}, appeal=appeal)
    assert button == {"frequency": "month", "amount": "5000"}
    assert other == {"amount": OTHER, "custom_amount": "42.00"}


def test_the_donate_page_shows_each_line_inside_its_button_in_english_and_in_spanish(appeal):
    appeal.suggested_amounts.all().delete()
    with_amounts(appeal, [2500, SHELTER, LAWYER])

    english = Client().get(reverse("donations:donate")).text
    with translation.override("es"):
        spanish_url = reverse("donations:donate")
    spanish = Client().get(spanish_url).text

    assert spanish_url.startswith("/es/")
    assert _labels(english) == {
        "2500": "$25",
        "5000": "$50 A week of safe shelter for one child",
        "10000": "$100 Helps a child reach a lawyer",
        "other": "Other amount",
    }
    spanish_labels = _labels(spanish)
    assert spanish_labels["5000"].endswith("Una semana de refugio seguro para una niña o un niño")
    assert spanish_labels["10000"].endswith("Ayuda a que una niña o un niño tenga abogado")
    assert "safe shelter" not in spanish
    assert 'class="amount-grid amount-grid-lines"' in english


def test_monthly_uses_the_same_buttons_and_lines(client, appeal):
    appeal.suggested_amounts.all().delete()
    with_amounts(appeal, [SHELTER])

    html = client.get(reverse("donations:donate"), {"frequency": "month", "amount": "5000"}).text

    assert re.search(r'value="month"[^>]*checked', html)
    assert re.search(r'value="5000"[^>]*checked', html)
    assert _labels(html)["5000"] == "$50 A week of safe shelter for one child"


@pytest.mark.parametrize("count", [1, 6])
def test_the_donate_page_reads_all_its_buttons_in_one_query(settings, appeal, django_assert_num_queries, count):
    settings.STORIES_PAGE_CACHE_SECONDS = 0  # the form rendered every time, its buttons read every time
    appeal.suggested_amounts.all().delete()
    with_amounts(appeal, [(1000 * (n + 1), f"Line {n}", f"Línea {n}") for n in range(count)])

    # The appeal with its sum raised, then its buttons with their lines: two, however many buttons.
    with django_assert_num_queries(2):
        html = Client().get(reverse("donations:donate")).text

    assert len(re.findall(r'data-testid="amount-line"', html)) == count


def test_the_thank_you_page_still_invites_a_monthly_gift_of_a_button_amount(client, appeal):
    from .conftest import make_donation

    gift = make_donation(appeal, amount_cents=10000, paid_at="2026-01-01T00:00:00Z", status="succeeded")

    html = client.get(reverse("donations:thanks", kwargs={"reference": gift.reference})).text

    assert "?frequency=month&amp;amount=5000" in html  # the largest button at most half the gift
    assert "$50" in html


def test_an_active_appeal_cannot_show_a_line_written_only_in_english(appeal):
    line = SuggestedAmount(appeal=appeal, amount_cents=7500, impact_line_en="Books for a classroom")
    with pytest.raises(ValidationError) as refused:
        line.full_clean()
    assert [error.code for error in refused.value.error_dict["impact_line_es"]] == ["spanish_required"]

    line.impact_line_es = "Libros para un salón de clases"
    line.full_clean()
    appeal.is_active = False
    SuggestedAmount(appeal=appeal, amount_cents=7500, impact_line_en="Books for a classroom").full_clean()


# --- Every amount ---------------------------------------------------------------------------------


@hypothesis_settings(max_examples=40, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(
    amounts=st.lists(st.integers(min_value=1, max_value=5_000_000), min_size=1, max_size=6, unique=True),
    line=st.text(alphabet=st.characters(codec="utf-8", categories=("L", "N", "Zs")), min_size=1, max_size=40),
)
def test_every_button_shows_its_line_and_charges_its_amount_within_the_limits(appeal, settings, amounts, line):
    appeal.suggested_amounts.all().delete()
    line = line.strip() or "Care"
    with_amounts(appeal, [(cents, f"{line} {cents}", f"{line} {cents} es") for cents in amounts])
    appeal = Appeal.objects.get(pk=appeal.pk)  # a fresh instance: the buttons as stored

    html = render_to_string("donations/includes/amount_field.html", {"form": DonationForm(appeal=appeal)})
    labels = _labels(html)
    assert list(labels) == [*map(str, amounts), OTHER]
    for cents in amounts:
        assert labels[str(cents)].endswith(" ".join(f"{line} {cents}".split()))

    for cents in amounts:
        form = DonationForm({**FORM, "amount": str(cents), "custom_amount": ""}, appeal=appeal)
        if settings.DONATION_MIN_CENTS <= cents <= settings.DONATION_MAX_CENTS:
            assert form.is_valid(), form.errors
            assert form.cleaned_data["gift_cents"] == cents
        else:
            assert not form.is_valid()
            assert [error.code for error in form.errors.as_data()["amount"]] == ["amount_out_of_range"]


# --- The migration --------------------------------------------------------------------------------


@pytest.mark.django_db(transaction=True)
def test_the_migration_moves_each_appeals_presets_into_buttons_and_back():
    executor = MigrationExecutor(connection)
    before = ("donations", "0010_status_tribute_labels_us_spelling")  # the last before the buttons
    leaves = executor.loader.graph.leaf_nodes()
    executor.migrate([before])
    old = executor.loader.project_state([before]).apps.get_model("donations", "Appeal")
    # Repeats and what was never a whole positive amount were ignored by the old form: skipped.
    winter = old.objects.create(title="Winter", slug="winter", preset_amounts=[10000, 2500, 10000, "50", 0, True])
    empty = old.objects.create(title="Empty", slug="empty", preset_amounts=[])

    executor = MigrationExecutor(connection)
    executor.migrate(leaves)

    rows = SuggestedAmount.objects.filter(appeal_id=winter.pk).values_list("amount_cents", "position", "impact_line")
    assert list(rows) == [(10000, 0, ""), (2500, 1, "")]  # no line yet: staff write them
    assert not SuggestedAmount.objects.filter(appeal_id=empty.pk).exists()
    assert [a.amount_cents for a in Appeal.objects.get(pk=winter.pk).amounts()] == [10000, 2500]

    executor = MigrationExecutor(connection)
    executor.migrate([before])
    old = executor.loader.project_state([before]).apps.get_model("donations", "Appeal")
    assert old.objects.get(pk=winter.pk).preset_amounts == [10000, 2500]
    assert old.objects.get(pk=empty.pk).preset_amounts == []

    executor = MigrationExecutor(connection)
    executor.migrate(leaves)


@pytest.mark.django_db(transaction=True)
def test_the_migration_skips_a_preset_too_large_for_the_buttons_column():
    """The old JSON list took any whole number; a button's amount is an integer column, which on
    PostgreSQL ends at 2,147,483,647 cents. A typo such as 2500000000000 used to show a button no
    gift could use (it is over DONATION_MAX_CENTS); it must not stop the migration on PostgreSQL."""
    executor = MigrationExecutor(connection)
    before = ("donations", "0010_status_tribute_labels_us_spelling")
    leaves = executor.loader.graph.leaf_nodes()
    executor.migrate([before])
    old = executor.loader.project_state([before]).apps.get_model("donations", "Appeal")
    typo = old.objects.create(title="Typo", slug="typo", preset_amounts=[2500, 2_500_000_000_000, 2_147_483_648])

    executor = MigrationExecutor(connection)
    executor.migrate(leaves)

    rows = SuggestedAmount.objects.filter(appeal_id=typo.pk).values_list("amount_cents", "position")
    assert list(rows) == [(2500, 0)]
