"""One set of rules, enforced where the supporter can fix a value: whatever the letter form accepts
becomes a message CWC accepts (issue 10, finding 4). The judge is `tests/fakes/cwc_rules.py`,
written from the reference notes, not from our builder or its validator."""

from datetime import date

import pytest
import requests
from django.contrib import admin
from django.core.exceptions import ValidationError
from django.db import IntegrityError, connection, transaction
from django.db.migrations.executor import MigrationExecutor
from django.forms.models import model_to_dict
from django.test import RequestFactory

from advocacy import letter_rules, services
from advocacy.delivery import PermanentDeliveryError, cwc
from advocacy.delivery import email as email_backend
from advocacy.forms import SignForm
from advocacy.models import Campaign, Delivery
from congress.lookup import lookup_by_district
from tests.fakes.cwc_rules import cwc_errors

from .conftest import SIGN_DATA
from .factories import CampaignFactory, CustomTargetFactory, DeliveryFactory, LegislatorFactory, LetterFactory

pytestmark = pytest.mark.django_db

FORM_DATA = SIGN_DATA  # what the form posts: the same fields signing takes


def form_for(campaign, **overrides) -> SignForm:
    return SignForm(data={**FORM_DATA, **overrides}, campaign=campaign)


def sign_through_form(campaign, **overrides) -> list[Delivery]:
    """The form's cleaned data, signed as the confirmation step does (district 7 of the state)."""
    form = form_for(campaign, **overrides)
    assert form.is_valid(), form.errors
    data = {key: value for key, value in form.cleaned_data.items() if key != "website"}
    lookup = lookup_by_district(state=data["state"], district=7)
    return services.campaign_sign(campaign=campaign, lookup=lookup, **data).new_deliveries


def cwc_errors_of(delivery) -> list[str]:
    delivery = Delivery.objects.select_related("letter__campaign", "letter__supporter").get(pk=delivery.pk)
    return cwc_errors(cwc.build_message(delivery, today=date(2026, 12, 2)))


# --- Characters -------------------------------------------------------------------------------------


def test_word_line_breaks_in_a_note_become_new_lines_and_the_letter_passes_cwc(seattle, campaign):
    note = "First line of my note\vsecond line\fthird line\r\nlast"
    form = form_for(campaign, own_words=note)
    assert form.is_valid(), form.errors
    assert form.cleaned_data["own_words"] == "First line of my note\nsecond line\nthird line\nlast"

    deliveries = sign_through_form(campaign, own_words=note)

    assert deliveries and all(cwc_errors_of(d) == [] for d in deliveries)


@pytest.mark.parametrize("field", ["first_name", "last_name", "street", "city", "own_words"])
@pytest.mark.parametrize("character", ["\x01", "\x08", "\x1b", "\ufffe"])
def test_characters_xml_cannot_carry_are_refused_on_their_field(campaign, field, character):
    value = {"own_words": "My own words about it"}.get(field, FORM_DATA[field])
    form = form_for(campaign, **{field: value[:3] + character + value[3:]})

    assert not form.is_valid()
    assert [error.code for error in form.errors.as_data()[field]] == ["forbidden_character"]
    assert f"U+{ord(character):04X}" in form.errors[field][0]


# --- Formats ----------------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("typed", "stored"),
    [
        ("981091234", "98109-1234"),
        (" 98109 1234 ", "98109-1234"),
        ("98109-1234", "98109-1234"),
        ("\uff19\uff18\uff11\uff10\uff19", "98109"),  # full-width digits, as an input method types them
    ],
)
def test_a_zip_is_stored_as_cwc_takes_it(seattle, campaign, typed, stored):
    (delivery, *_others) = sign_through_form(campaign, zip_code=typed)

    assert delivery.letter.zip_code == stored
    assert cwc_errors_of(delivery) == []


def test_a_phone_in_other_digits_is_stored_as_cwc_takes_it(campaign):
    form = form_for(campaign, phone="\u0662\u0660\u0666 555 0100")  # Arabic-Indic 206
    assert form.is_valid(), form.errors
    assert form.cleaned_data["phone"] == "206-555-0100"


def test_an_email_cwc_would_refuse_is_refused_at_the_form(campaign):
    form = form_for(campaign, email='"a@.b"@example.org')  # valid for Django, not for CWC's email_type
    assert not form.is_valid()
    assert "email" in form.errors


# --- Lengths ----------------------------------------------------------------------------------------


def test_a_two_letter_city_is_refused_at_the_form(campaign):
    form = form_for(campaign, city="Ai")
    assert not form.is_valid()
    assert form.errors["city"] == ["Please write the full name of your city (at least 3 letters)."]


def test_a_note_shorter_than_cwc_takes_is_refused_and_no_note_is_fine(seattle, campaign):
    assert campaign.editing_policy == Campaign.EditingPolicy.NOTE and campaign.min_length == 0
    form = form_for(campaign, own_words="Yes!")
    assert not form.is_valid()
    assert [error.code for error in form.errors.as_data()["own_words"]] == ["too_short"]
    with pytest.raises(ValidationError):  # the service's own guard says the same
        services.own_words_check(campaign=campaign, own_words="Yes!")

    assert all(cwc_errors_of(d) == [] for d in sign_through_form(campaign, own_words=""))


def test_a_rewritten_letter_shorter_than_cwc_takes_is_refused(seattle, campaign):
    campaign.editing_policy = Campaign.EditingPolicy.EDITABLE
    campaign.save()
    assert "own_words" in form_for(campaign, own_words="Hi").errors
    # Six characters typed, three once {city} is filled in.
    assert "own_words" in form_for(campaign, own_words="{city}", city="Ada").errors


LONG_NAMES = {"first_name": "Maximiliana Josefina", "last_name": "Fitzgerald-Montgomery"}


def test_a_rewritten_letter_that_placeholders_expand_past_cwc_limit_is_refused(seattle, campaign):
    campaign.editing_policy = Campaign.EditingPolicy.EDITABLE
    campaign.max_length = 10_000
    campaign.save()
    words = "Dear {member_name}, {full_name} asks.\n" * 263  # 9,994 characters typed
    assert len(words.strip()) <= campaign.max_length

    form = form_for(campaign, own_words=words, **LONG_NAMES)

    assert not form.is_valid()
    (error,) = form.errors.as_data()["own_words"]
    assert error.code == "too_long_expanded"
    assert "at most 10000" in form.errors["own_words"][0]
    # The service refuses it too, for the offices actually written to.
    with pytest.raises(ValidationError) as refused:
        services.campaign_sign(
            campaign=campaign,
            lookup=lookup_by_district(state="WA", district=7),
            **{**FORM_DATA, **LONG_NAMES, "own_words": words.strip()},
        )
    assert refused.value.code == "too_long_expanded"
    # Shorter names fit: the same words are accepted, and every office's message passes.
    fitting = "Dear {member_name}, {full_name} asks.\n" * 200
    assert all(cwc_errors_of(d) == [] for d in sign_through_form(campaign, own_words=fitting))


# --- The campaign's limits, for staff ----------------------------------------------------------------


def _admin_form(campaign, user, **changes):
    request = RequestFactory().get("/")
    request.user = user
    model_admin = admin.site._registry[Campaign]
    form_class = model_admin.get_form(request, campaign)
    data = {key: value for key, value in model_to_dict(campaign).items() if value is not None}
    data["chosen_members"] = []
    data.update(changes)
    return form_class(data=data, instance=campaign)


def test_staff_cannot_set_a_maximum_above_cwc_limit(campaign, admin_user):
    form = _admin_form(campaign, admin_user, max_length=12_000)
    assert not form.is_valid()
    assert "CWC takes at most 10000 characters" in form.errors["max_length"][0]
    assert _admin_form(campaign, admin_user, max_length=10_000).is_valid()


def test_the_database_refuses_a_maximum_above_cwc_limit(campaign):
    with pytest.raises(IntegrityError), transaction.atomic():
        Campaign.objects.filter(pk=campaign.pk).update(max_length=10_001)


@pytest.mark.parametrize(
    ("field", "value", "message"),
    [
        ("subject_template", "{full_name} {full_name} {full_name}", "could reach 605"),
        ("subject_template", "{city}", "CWC needs at least 6"),
        ("subject_template", "Protect\nchildren", "one line"),
        ("subject_template", "Protect\x0bchildren", "U+000B"),
        ("body_template", "x" * 9_990 + "{member_name}", "could reach 10190"),
        ("body_template", "Hi {state}", "CWC needs at least 6"),
        ("body_template", "Dear {member_name},\x01 please", "U+0001"),
    ],
    ids=["subject-too-long", "subject-too-short", "subject-two-lines", "subject-vertical-tab", "body-too-long",
         "body-too-short", "body-control-character"],
)  # fmt: skip
def test_staff_are_told_when_a_template_could_break_cwc_limits(campaign, field, value, message):
    setattr(campaign, field, value)
    with pytest.raises(ValidationError) as refused:
        campaign.full_clean()
    assert any(message in text for text in refused.value.message_dict[field])


def test_a_word_line_break_in_the_campaign_text_becomes_a_new_line(campaign):
    campaign.body_template = "Dear {member_title} {member_name},\vPlease protect children."
    campaign.full_clean()
    assert campaign.body_template == "Dear {member_title} {member_name},\nPlease protect children."


@pytest.mark.django_db(transaction=True)
def test_the_migration_brings_rows_from_before_the_rules_within_them():
    executor = MigrationExecutor(connection)
    (target,) = [key for key in executor.loader.graph.nodes if key[1].endswith("_campaign_max_length_cwc")]
    parent = [dep for dep in executor.loader.graph.node_map[target].parents if dep.key[0] == "advocacy"][0].key
    leaves = executor.loader.graph.leaf_nodes()
    executor.migrate([parent])
    old = executor.loader.project_state([parent]).apps
    campaign = old.get_model("advocacy", "Campaign").objects.create(
        title="Old",
        slug="old",
        summary="s",
        ask="a",
        subject_template="Protect children",
        body_template="Dear all,",
        max_length=20_000,
        min_length=12_000,
        cwc_campaign_id="c" * 32,
    )
    supporter = old.get_model("advocacy", "Supporter").objects.create(
        email="m@example.org", first_name="M", last_name="L"
    )
    letter = old.get_model("advocacy", "Letter").objects.create(
        campaign_id=campaign.pk,
        supporter_id=supporter.pk,
        prefix="Ms.",
        first_name="M",
        last_name="L",
        street="400 Broad St",
        city="Seattle",
        state="WA",
        zip_code="981091234",
    )

    executor = MigrationExecutor(connection)
    executor.migrate(leaves)

    assert Campaign.objects.values_list("min_length", "max_length").get(pk=campaign.pk) == (10_000, 10_000)
    from advocacy.models import Letter

    assert Letter.objects.get(pk=letter.pk).zip_code == "98109-1234"


@pytest.mark.parametrize(
    ("field", "value"),
    [("zip_code", "981091234"), ("city", "Ai"), ("street", "1A"), ("phone", "2065550100"), ("own_words", "a\x01b")],
)
def test_a_superuser_correcting_a_letter_is_held_to_the_same_rules(admin_user, field, value):
    from advocacy.models import Letter

    letter = LetterFactory(own_words="My own words about it.")
    request = RequestFactory().get("/")
    request.user = admin_user
    form_class = admin.site._registry[Letter].get_form(request, letter)
    data = {key: value for key, value in model_to_dict(letter).items() if value is not None}

    assert form_class(data=data, instance=letter).is_valid()
    form = form_class(data={**data, field: value}, instance=letter)
    assert not form.is_valid()
    assert list(form.errors) == [field]


# --- Letters stored before the rules ----------------------------------------------------------------


def test_a_letter_stored_before_the_rules_passes_on_a_staff_retry(seattle):
    letter = LetterFactory(zip_code="981091234")
    delivery = DeliveryFactory(letter=letter, legislator=seattle["rep"], personal="Written in Word\vwith a line break.")
    assert cwc_errors_of(delivery) == []


def test_the_stand_in_cwc_refuses_what_the_rules_refuse(seattle, cwc_server):
    delivery = DeliveryFactory(legislator=seattle["rep"], letter=LetterFactory(city="Ai"))
    xml = cwc.build_message(Delivery.objects.get(pk=delivery.pk))
    answer = requests.post(cwc_server.base_url + "/v2/message", params={"apikey": "test-key"}, data=xml, timeout=5)
    assert answer.status_code == 400
    assert "CWC/Constituent/City: shorter than 3" in cwc.parse_errors(answer.content)
    # Our own check refuses it before posting, with the same reason.
    with pytest.raises(PermanentDeliveryError, match="City"):
        cwc.send(Delivery.objects.get(pk=delivery.pk))


# --- The email backend (custom targets) ---------------------------------------------------------------


def test_a_custom_target_email_is_one_a_mail_server_takes(seattle, settings):
    settings.DELIVERY_BACKEND_CUSTOM = "email"
    campaign = CampaignFactory(targets=Campaign.Targets.CUSTOM)
    CustomTargetFactory(campaign=campaign)
    (delivery,) = sign_through_form(campaign, own_words="Line one\vline two of my note")
    raw = email_backend.build_message(delivery).message().as_bytes()
    assert b"Subject: Protect children who arrive alone" in raw
    assert letter_rules.forbidden_characters(raw.decode()) == []


# --- The settings every CWC message carries -----------------------------------------------------------


def test_a_cwc_setting_cwc_refuses_stops_start_up(settings):
    from advocacy.checks import cwc_settings_check

    settings.DELIVERY_BACKEND_CONGRESS = "cwc"
    assert cwc_settings_check(None) == []
    settings.CWC_DELIVERY_AGENT_CONTACT_PHONE = "(202) 555 0100"
    settings.CWC_DELIVERY_AGENT_CONTACT_NAME = "Team"
    errors = cwc_settings_check(None)
    assert {error.id for error in errors} == {"advocacy.E002"}
    assert any("DeliveryAgentContactPhone" in error.msg for error in errors)
    assert any("DeliveryAgentContactName: at least 6" in error.msg for error in errors)
    # The stand-in CWC, written from the reference notes, refuses such a message too.
    letter = LetterFactory()
    delivery = DeliveryFactory(letter=letter, legislator=LegislatorFactory())
    assert any("DeliveryAgentContactPhone" in error for error in cwc_errors_of(delivery))
