"""The donate form's small truths (issue 11, findings 1 and 10): the radio decides the amount and
the page never shows a preset beside a typed amount; one message per field, in the donor's words;
a tribute name is never dropped without a word."""

import re

import pytest
from django.core.exceptions import ValidationError
from django.urls import reverse
from hypothesis import given
from hypothesis import settings as hypothesis_settings
from hypothesis import strategies as st

from donations import services
from donations.forms import DonationForm
from donations.models import Appeal, Donation
from donations.services.amounts import amount_cents_from_text
from tests.staff.factories import with_amounts

from .test_checkout import FORM, give

pytestmark = pytest.mark.django_db

AMOUNT_FIELDS = ("amount", "custom_amount")


def _appeal_with_three_amounts() -> Appeal:
    # Made once: hypothesis runs every example inside the same test transaction.
    appeal, created = Appeal.objects.get_or_create(slug="a", defaults={"title": "A"})
    return with_amounts(appeal, [2500, 5000, 10000]) if created else appeal


def amount_errors(response) -> list[str]:
    errors = response.context["form"].errors
    return [message for field in AMOUNT_FIELDS for message in errors.get(field, [])]


@pytest.mark.parametrize(
    "typed, message",
    [
        ("-5", "Please type the amount as a number, such as 40.50."),
        ("abc", "Please type the amount as a number, such as 40.50."),
        ("40.555", "Please type the amount as a number, such as 40.50."),
        ("40,50", "Please type the amount as a number, such as 40.50."),  # a decimal comma is not $4,050
        ("1.00", "Please give between $5 and $25,000."),
        ("0", "Please give between $5 and $25,000."),
        ("90000", "Please give between $5 and $25,000."),
        ("", "Please type the amount you want to give."),
        ("   ", "Please type the amount you want to give."),
    ],
)
def test_a_bad_typed_amount_gets_one_message_in_the_donors_words(client, appeal, fake_stripe, typed, message):
    response = give(client, appeal, amount="other", custom_amount=typed)

    assert response.status_code == 200
    assert amount_errors(response) == [message]
    html = response.content.decode()
    # The error summary at the top (issue 13) repeats each field's message as a link: by the field, once.
    assert html.count(message) == 2
    fields_part = re.sub(r'<div class="error-summary".*?</ul>', "", html, flags=re.S)
    assert fields_part.count(message) == 1
    assert "greater than or equal" not in html and "Ensure" not in html
    assert not Donation.objects.exists() and fake_stripe.requests == []


@pytest.mark.parametrize(
    "changes, field, message",
    [
        ({"amount": "123"}, "amount", "Please choose one of the amounts shown, or type another amount."),
        ({"amount": ""}, "amount", "Please choose an amount."),
        ({"name": ""}, "name", "Please tell us your name."),
        ({"email": ""}, "email", "Please give your email address: your receipt goes there."),
    ],
)
def test_other_fields_get_one_message_in_the_donors_words(client, appeal, fake_stripe, changes, field, message):
    response = give(client, appeal, **changes)

    assert response.context["form"].errors[field] == [message]
    assert not Donation.objects.exists()


@pytest.mark.parametrize(
    "typed, cents", [("75", 7500), ("$75", 7500), ("1,250.50", 125_050), (" 40.5 ", 4050), ("$ 12,000", 1_200_000)]
)
def test_a_typed_amount_under_other_is_charged_exactly(client, appeal, fake_stripe, typed, cents):
    response = give(client, appeal, amount="other", custom_amount=typed)

    assert response.status_code == 302
    assert Donation.objects.get().amount_cents == cents
    assert fake_stripe.last("/v1/checkout/sessions")["params"]["line_items[0][price_data][unit_amount]"] == str(cents)


def test_a_typed_amount_with_no_radio_chosen_is_the_other_amount(client, appeal, fake_stripe):
    data = {key: value for key, value in FORM.items() if key != "amount"}
    response = client.post(reverse("donations:donate_appeal", args=[appeal.slug]), {**data, "custom_amount": "75"})

    assert response.status_code == 302
    assert Donation.objects.get().amount_cents == 7500


def test_the_radio_decides_and_a_page_shown_again_never_pairs_a_preset_with_a_typed_amount(client, appeal):
    """The box holds a typed amount only under "Other amount": the page a preset comes back on
    (here because the email is wrong) shows the preset and an empty box, as the server reads it."""
    response = give(client, appeal, amount="10000", custom_amount="75", email="not-an-email")

    form = response.context["form"]
    assert list(form.errors) == ["email"]
    assert form.cleaned_data["gift_cents"] == 10_000
    html = response.content.decode()
    box = re.search(r'<input type="text"[^>]*name="custom_amount"[^>]*>', html, re.S).group(0)
    assert 'value=""' in box
    assert re.search(r'value="10000"[^>]*checked', html) and not re.search(r'value="other"[^>]*checked', html)


def test_a_typed_amount_comes_back_under_other_when_another_field_is_wrong(client, appeal):
    response = give(client, appeal, amount="other", custom_amount="75", email="not-an-email")

    html = response.content.decode()
    assert re.search(r'value="other"[^>]*checked', html)
    assert re.search(r'<input type="text"[^>]*name="custom_amount"[^>]*value="75"', html, re.S)


def test_the_amount_is_one_control(client, appeal):
    """The presets, "Other amount" and its box are one fieldset: the stylesheet shows the box only
    while the fieldset's "Other amount" radio is chosen (:has), and the presets are buttons in a grid."""
    html = client.get(reverse("donations:donate")).content.decode()

    fieldset = re.search(r'<fieldset id="div_id_amount".*?</fieldset>', html, re.S).group(0)
    assert fieldset.count('type="radio"') == 4 and 'name="custom_amount"' in fieldset
    assert re.search(r'data-amount-other>\s*<label[^>]*><span[^>]*>Other amount</span></label>', fieldset)
    assert 'class="amount-grid"' in fieldset and '<div class="amount-other-box' in fieldset
    assert html.count('name="custom_amount"') == 1


def test_phones_get_the_right_keyboard_and_autofill(client, appeal):
    """Issue 13 (WCAG 1.3.5): autocomplete tokens on the donor's details, a number pad for the amount."""
    html = client.get(reverse("donations:donate")).content.decode()

    assert re.search(r'<input type="text"[^>]*name="name"[^>]*autocomplete="name"|'
                     r'<input type="text"[^>]*autocomplete="name"[^>]*name="name"', html)
    email = re.search(r'<input[^>]*name="email"[^>]*>', html).group(0)
    assert 'type="email"' in email and 'autocomplete="email"' in email
    custom = re.search(r'<input[^>]*name="custom_amount"[^>]*>', html, re.S).group(0)
    assert 'inputmode="decimal"' in custom


def test_one_time_or_monthly_is_a_pair_of_buttons_first_with_a_nudge(client, appeal):
    html = client.get(reverse("donations:donate")).content.decode()

    form = html[html.index('data-testid="donation-form"'):]
    assert form.index('id="div_id_frequency"') < form.index('id="div_id_amount"')
    fieldset = re.search(r'<fieldset id="div_id_frequency".*?</fieldset>', form, re.S).group(0)
    assert 'class="choice-pair"' in fieldset and fieldset.count('type="radio"') == 2
    assert re.search(r'value="once" id="id_frequency_0" checked', fieldset)
    assert "A monthly gift lets our partners plan ahead" in fieldset


def test_a_tribute_name_under_no_tribute_asks_which_tribute(client, appeal, fake_stripe):
    response = give(client, appeal, tribute_type="", tribute_name="Rosa")

    assert response.context["form"].errors["tribute_type"] == [
        "You typed a name: is this gift in honor of them or in memory of them? Please choose one."
    ]
    assert "tribute_name" not in response.context["form"].errors
    assert not Donation.objects.exists() and fake_stripe.requests == []


def test_a_tribute_with_its_name_is_kept(client, appeal, fake_stripe):
    give(client, appeal, tribute_type="honor", tribute_name=" Rosa ")

    assert Donation.objects.values_list("tribute_type", "tribute_name").get() == ("honor", "Rosa")


def test_the_checkout_service_refuses_a_tribute_name_without_a_type(appeal, fake_stripe):
    with pytest.raises(ValidationError) as refused:
        services.donation_checkout_start(
            appeal=appeal,
            frequency="once",
            gift_cents=5000,
            cover_fee=False,
            name="Ana",
            email="ana@example.org",
            tribute_type="",
            tribute_name="Rosa",
        )
    assert refused.value.code == "tribute_type_missing"
    assert not Donation.objects.exists()


@hypothesis_settings(max_examples=150, deadline=None)
@given(
    choice=st.sampled_from(["2500", "5000", "10000", "other", "", "7"]),
    typed=st.one_of(st.text(max_size=12), st.decimals(min_value=-10, max_value=40_000, places=2).map(str)),
)
def test_whatever_is_posted_the_amount_gets_at_most_one_message_and_the_charge_is_what_was_chosen(choice, typed):
    appeal = _appeal_with_three_amounts()
    form = DonationForm({**FORM, "amount": choice, "custom_amount": typed}, appeal=appeal)
    valid = form.is_valid()

    messages = [message for field in AMOUNT_FIELDS for message in form.errors.get(field, [])]
    assert len(messages) <= 1
    assert not any("Ensure" in message or "greater than" in message for message in messages)
    if valid:
        other = choice == "other" or (not choice and typed.strip())
        expected = amount_cents_from_text(typed, "usd") if other else int(choice)
        assert form.cleaned_data["gift_cents"] == expected and 500 <= expected <= 2_500_000
    else:
        assert len(messages) == 1


def test_the_form_shown_again_with_the_donors_name_and_email_is_never_cached(client, appeal):
    # Found by the issue 12 verification: a refused form came back holding the typed name and
    # email with no Cache-Control; the blank form stays cacheable.
    response = client.post(reverse("donations:donate_appeal", args=[appeal.slug]), {**FORM, "email": "ana@"})
    assert response.status_code == 200 and FORM["name"] in response.text
    assert "no-store" in response["Cache-Control"] and "private" in response["Cache-Control"]
    assert "no-store" not in client.get(reverse("donations:donate_appeal", args=[appeal.slug])).get("Cache-Control", "")
