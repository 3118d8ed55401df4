"""For every input: whatever the letter form accepts, for any campaign staff can save, becomes a
message CWC accepts (judged by `tests/fakes/cwc_rules.py`, written from the reference notes), and
an email a mail server takes for custom targets. Inputs go through the real SignForm, the real
`campaign_sign` and the real builders."""

import email
import email.policy
from collections import Counter
from datetime import date

import pytest
from django.core.exceptions import ValidationError
from django.db import transaction
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from advocacy import services
from advocacy.delivery import cwc
from advocacy.delivery import email as email_backend
from advocacy.forms import STATE_CHOICES, SignForm
from advocacy.letter_rules import CWC_ZIP_RE, PLACEHOLDER_LENGTHS, expanded_length_range, normalize_zip
from advocacy.models import Campaign, Delivery
from advocacy.placeholders import render_template_text
from congress.lookup import lookup_by_district
from tests.fakes.cwc_rules import STATES, cwc_errors

from .factories import CampaignFactory, CustomTargetFactory

pytestmark = pytest.mark.django_db

# Characters a supporter can paste: Word's line and page breaks, other control characters XML
# refuses, the non-characters, and line separators.
AWKWARD = ["\v", "\f", "\r\n", "\r", "\x01", "\x08", "\x1b", "\x1f", "\x7f", "\x85", "\u2028", "\ufffe", "\t", "  "]


def mostly(good, bad, odds: int = 8):
    """`odds` parts plausible to one part anything, so that many whole inputs get through the form."""
    return st.sampled_from([True] * odds + [False]).flatmap(lambda plausible: good if plausible else bad)


def with_awkward(text_strategy):
    pieces = st.lists(st.one_of(text_strategy, st.sampled_from(AWKWARD)), max_size=4)
    return pieces.map("".join)


names = mostly(
    st.sampled_from(["Maria", "Ana María", "O'Brien", "Nguyễn", "Jean-Luc", "X", "A" * 100]),
    st.one_of(st.text(max_size=110), with_awkward(st.sampled_from(["Mar", "ia", " "]))),
)
streets = mostly(
    st.sampled_from(["400 Broad St", "1 A St", "PO Box 7", "12\u00a0Main St", "Apt 3, 400 Broad St"]),
    st.one_of(st.text(max_size=210), with_awkward(st.sampled_from(["40", "0 Br", "oad"]))),
)
cities = mostly(
    st.sampled_from(["Seattle", "Ada", "Walla Walla", "Coeur d'Alene", "Ai", "Sea   ttle"]),
    st.one_of(st.text(max_size=105), with_awkward(st.sampled_from(["Se", "a", "ttle"]))),
)
zips = mostly(
    st.sampled_from(["98109", "981091234", "98109-1234", "98109 1234", " 98109 ", "\uff19\uff18\uff11\uff10\uff19"]),
    st.one_of(st.text(alphabet="0123456789- \t\u0669\uff10", max_size=12), st.text(max_size=12)),
)
phones = mostly(
    st.sampled_from(["", "206-555-0100", "(206) 555 0100", "+1 206 555 0100", "2065550100"]),
    st.one_of(st.text(alphabet="0123456789-() +.x\u0662", max_size=20), st.text(max_size=20)),
)
emails = mostly(
    st.sampled_from(["maria@example.org", "m.lopez+act@mail.example.com"]),
    st.one_of(st.emails(), st.sampled_from(['"a@.b"@example.org', '"a\x01"@example.org', "x@y", "a@b.c"])),
)
word_pieces = st.sampled_from(
    ["Please", " protect", " children", ".", "Yes!", "{member_name}", "{member_title}", "{full_name}",
     "{city}", "{state}", "{unknown}", "{full_name} " * 60, "word " * 12, "x" * 3000, "<&]]>"]
)  # fmt: skip
own_words = st.lists(st.one_of(word_pieces, st.sampled_from(AWKWARD), st.text(max_size=8)), max_size=12).map("".join)

plausible_words = st.sampled_from(
    ["", "Please protect children.", "My niece came alone at nine.\vShe needed a lawyer.", "Dear {member_name}, help."]
)
campaigns = st.fixed_dictionaries(
    {
        "min_length": st.sampled_from([0, 0, 3, 6, 20]),
        "max_length": st.sampled_from([20, 60, 5000, 10_000, 10_000]),
        "targets": st.sampled_from([Campaign.Targets.BOTH, Campaign.Targets.HOUSE, Campaign.Targets.CUSTOM]),
        "subject_template": st.sampled_from(
            ["Protect children who arrive alone", "{full_name} asks you, {member_name}", "From {city}, {state}"]
        ),
        "body_template": st.sampled_from(
            [
                "Dear {member_title} {member_name},\n\nI live in {city}. Please protect children.",
                "Please protect children who arrive alone.",
                "{member_title} {member_name}: {first_name} {last_name} of {city} asks for a lawyer for every child.",
            ]
        ),
    }
)
form_inputs = st.fixed_dictionaries(
    {
        "prefix": mostly(st.sampled_from(["Mr.", "Mrs.", "Miss", "Ms.", "Dr."]), st.sampled_from(["", "Rev.", "mr."])),
        "first_name": names,
        "last_name": names,
        "email": emails,
        "street": streets,
        "city": cities,
        "state": mostly(st.just("WA"), st.sampled_from(["wa", "XX", ""])),
        "zip_code": zips,
        "phone": phones,
        "own_words": st.one_of(
            plausible_words,
            plausible_words,
            own_words,
            own_words,
            st.text(max_size=40),
        ),
    }
)


def test_every_state_the_form_offers_is_one_cwc_takes():
    assert {code for code, _label in STATE_CHOICES if code} <= STATES


def _check_email(delivery: Delivery) -> None:
    """What a mail server needs: a message that serializes, a one-line subject that reads back
    as written, and the supporter's address in Reply-To."""
    raw = email_backend.build_message(delivery).message().as_bytes()
    parsed = email.message_from_bytes(raw, policy=email.policy.default)
    # Folding a long header may move white space, never words.
    assert str(parsed["Subject"]).split() == delivery.subject.split()
    assert parsed["Reply-To"].addresses[0].addr_spec.lower() == delivery.letter.supporter.email


@pytest.mark.parametrize("editing_policy", Campaign.EditingPolicy.values)
def test_whatever_the_form_accepts_cwc_accepts(seattle, editing_policy):
    seen = Counter()

    @settings(
        max_examples=200,
        deadline=None,
        suppress_health_check=[HealthCheck.too_slow, HealthCheck.filter_too_much],
    )
    @given(campaign_fields=campaigns, custom_target=st.booleans(), data=form_inputs)
    def check(campaign_fields, custom_target, data):
        with transaction.atomic():
            campaign = CampaignFactory.build(editing_policy=editing_policy, **campaign_fields)
            try:
                campaign.full_clean()  # what the admin lets staff save
            except ValidationError:
                seen["campaign refused"] += 1
                return
            campaign.save()
            if custom_target or campaign.targets == Campaign.Targets.CUSTOM:
                CustomTargetFactory(campaign=campaign)
            form = SignForm(data=data, campaign=campaign)
            if not form.is_valid():
                seen["form refused"] += 1
                transaction.set_rollback(True)
                return
            cleaned = {key: value for key, value in form.cleaned_data.items() if key != "website"}
            # The form accepted it: signing must not refuse it where the supporter cannot fix it.
            result = services.campaign_sign(
                campaign=campaign, lookup=lookup_by_district(state="WA", district=7), **cleaned
            )
            seen["accepted"] += 1
            for delivery in Delivery.objects.select_related("letter__campaign", "letter__supporter").filter(
                pk__in=[d.pk for d in result.new_deliveries]
            ):
                if delivery.office_code:
                    xml = cwc.build_message(delivery, today=date(2026, 12, 2))
                    assert cwc_errors(xml) == [], (cwc_errors(xml), cleaned)
                    seen["cwc messages"] += 1
                else:
                    _check_email(delivery)
                    seen["emails"] += 1
            transaction.set_rollback(True)

    check()
    # The property says something only if many inputs got through, of every kind.
    assert seen["accepted"] >= 15 and seen["form refused"] >= 20, seen
    assert seen["cwc messages"] >= 15 and seen["emails"] >= 2, seen


def _value(low: int, high: int):
    """A filled-in value as the form and the recipients give them: no white space at its ends."""
    return st.text(alphabet="abcXYZ é.-", min_size=low, max_size=min(high, 30)).filter(
        lambda text: text == text.strip() and len(text) >= low
    )


@settings(max_examples=300, deadline=None)
@given(
    pieces=st.lists(
        st.one_of(st.sampled_from([f"{{{name}}}" for name in PLACEHOLDER_LENGTHS] + ["{other}"]), st.text(max_size=6))
    ),
    first=_value(1, 100),
    last=_value(1, 100),
    city=_value(3, 100),
    state=st.sampled_from(["WA", "DC"]),
    member=_value(1, 200),
    title=_value(0, 200),
)
def test_a_template_never_expands_outside_the_range_staff_are_shown(pieces, first, last, city, state, member, title):
    """Campaign.clean judges subject and letter by `expanded_length_range`: every real expansion
    must fall inside it, or staff could save a template CWC refuses."""
    template = "".join(pieces)
    values = {"first_name": first, "last_name": last, "full_name": f"{first} {last}", "city": city, "state": state}
    values |= {"member_name": member, "member_title": title}
    low, high = expanded_length_range(template)
    assert low <= len(render_template_text(template, values).strip()) <= high


@given(st.text(max_size=14))
def test_a_zip_the_rules_accept_is_one_cwc_takes(typed):
    stored = normalize_zip(typed)
    assert stored is None or CWC_ZIP_RE.fullmatch(stored)
