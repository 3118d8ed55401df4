"""Signing a campaign: the supporter's draft between the steps (form → district → confirm), the
district decision, and `campaign_sign`, which stores the letter and queues its deliveries."""

import hashlib
import json
from collections.abc import MutableMapping
from dataclasses import dataclass, field
from typing import ClassVar

from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils.translation import get_language
from django.utils.translation import gettext as _

from congress.lookup import MemberLookup, lookup_by_district, lookup_by_state, lookup_by_zip
from core.language import active_language

from ..models import CONSENT_WORDING, Campaign, Consent, Delivery, Letter, Supporter
from .districts import supporter_place
from .letters import LetterPreview, letter_previews, letter_texts_check, own_words_check
from .recipients import Recipient, campaign_recipients

# --- The draft between the steps -----------------------------------------------------------------


class _KeptInSession:
    """Kept in the (server-side) session between requests, one per campaign."""

    session_prefix: ClassVar[str]

    @classmethod
    def session_key(cls, campaign: Campaign) -> str:
        return f"{cls.session_prefix}{campaign.slug}"

    @classmethod
    def load(cls, session: MutableMapping, *, campaign: Campaign):
        stored = session.get(cls.session_key(campaign))
        return cls.from_session(stored, campaign=campaign) if stored else None


@dataclass
class SignDraft(_KeptInSession):
    """The supporter's cleaned form data and where they are represented, kept in the (server-side)
    session between the form, the district choice and the confirmation, so the recipients on the
    confirmation page are the ones `campaign_sign` writes to. `district` is None until known;
    `candidates` are the (state, district) pairs of a ZIP the geocoder could not decide."""

    campaign: Campaign
    data: dict
    district: int | None = None
    candidates: list[tuple[str, int]] = field(default_factory=list)

    session_prefix: ClassVar[str] = "advocacy:draft:"

    @classmethod
    def from_session(cls, stored: dict, *, campaign: Campaign) -> "SignDraft":
        return cls(
            campaign=campaign,
            data=stored["data"],
            district=stored.get("district"),
            candidates=[tuple(pair) for pair in stored.get("candidates", [])],
        )

    def save(self, session: MutableMapping) -> None:
        session[self.session_key(self.campaign)] = {
            "data": self.data,
            "state": self.data["state"],
            "zip_code": self.data["zip_code"],
            "district": self.district,
            "candidates": [list(pair) for pair in self.candidates],
        }

    def discard(self, session: MutableMapping) -> None:
        session.pop(self.session_key(self.campaign), None)

    @property
    def email(self) -> str:
        return self.data.get("email", "")

    @property
    def needs_district_choice(self) -> bool:
        return self.district is None and bool(self.candidates)

    @property
    def is_placed(self) -> bool:
        """Whether the recipients are known: a Senate-only or custom campaign needs no district."""
        return not (
            self.campaign.writes_to_congress
            and self.district is None
            and self.campaign.targets != Campaign.Targets.SENATE
        )

    def lookup(self) -> MemberLookup | None:
        """The supporter's members: by the chosen or geocoded district, else by the ZIP alone."""
        if not self.campaign.writes_to_congress:
            return None
        if self.district is not None:
            return lookup_by_district(state=self.data["state"], district=self.district)
        # A Senate campaign needs no district: the senators of the state the supporter gave, also
        # when the ZIP table lists their ZIP elsewhere.
        by_zip = lookup_by_zip(self.data["zip_code"])
        return by_zip if by_zip.state == self.data["state"] else lookup_by_state(self.data["state"])

    def plan(self, lookup: MemberLookup | None) -> "SignPlan":
        """Who this submission would write to, and which of them this email has already written."""
        return sign_plan(campaign=self.campaign, lookup=lookup, email=self.email)

    @property
    def chose_district(self) -> bool:
        """The supporter picked the district themselves (a ZIP split between districts)."""
        return self.district is not None and bool(self.candidates)

    @property
    def fingerprint(self) -> str:
        """The draft the confirmation page was drawn from, in short. Every tab of a browser shares
        the one draft per campaign, so a page from one tab could otherwise send the name, address
        and words typed in another since; the page posts this back and `check_shown` compares."""
        shown = json.dumps({"data": self.data, "district": self.district}, sort_keys=True, default=str)
        return hashlib.sha256(shown.encode()).hexdigest()[:32]

    def check_shown(self, fingerprint: str | None) -> None:
        """Raise if the page posted was drawn from another draft than the one stored now (None: a
        post without the field, which only a client that never saw the page makes)."""
        if fingerprint is not None and fingerprint != self.fingerprint:
            raise letters_changed_error()

    def previews(self, plan: "SignPlan") -> list[LetterPreview]:
        """The letter each new recipient would get, for the supporter to check before sending."""
        sender = Letter(**{key: self.data[key] for key in ("first_name", "last_name", "city", "state")})
        return letter_previews(
            campaign=self.campaign, recipients=plan.new, sender=sender, own_words=self.data.get("own_words", "")
        )


def letters_changed_error() -> ValidationError:
    return ValidationError(
        _(
            "Your letters changed since you checked them (perhaps you sent them from another window). "
            "Please check them again."
        ),
        code="plan_changed",
    )


def sign_draft_create(*, campaign: Campaign, data: dict) -> SignDraft:
    """The draft with the supporter's district, or with the districts to choose from (the decision
    is `districts.supporter_place`); raises ValidationError (by field) when nothing places it."""
    draft = SignDraft(campaign=campaign, data=data)
    if not campaign.writes_to_congress:
        return draft
    placement = supporter_place(campaign=campaign, data=data)
    draft.district, draft.candidates = placement.district, placement.candidates
    return draft


# --- Who a submission writes to ------------------------------------------------------------------


@dataclass(frozen=True)
class SignPlan:
    """The recipients of the address typed (`new`: they get this letter) and those of them this
    email address has already written to through the campaign (`already`: an office counts a
    constituent once, so they get nothing again). Only the submission's own recipients are looked
    up, so the plan tells whoever typed the email nothing the typed address does not: never the
    offices, address or letters of an earlier submission."""

    new: list[Recipient]
    already: list[Recipient]

    @property
    def new_keys(self) -> list[str]:
        return sorted(r.key for r in self.new)


def sign_plan(*, campaign: Campaign, lookup: MemberLookup | None, email: str) -> SignPlan:
    recipients = campaign_recipients(campaign=campaign, lookup=lookup)
    email = email.strip().lower()
    written = set(
        Delivery.objects.written_by(
            campaign=campaign, email=email, recipient_keys=[r.key for r in recipients]
        ).values_list("recipient_key", flat=True)
    )
    return SignPlan(
        new=[r for r in recipients if r.key not in written], already=[r for r in recipients if r.key in written]
    )


# --- What the thank-you page says ----------------------------------------------------------------


@dataclass
class SignThanks(_KeptInSession):
    """Which offices this submission wrote to, which of its offices had been written before, the
    members among them (to call), and whether it asked for updates."""

    letter_id: int
    new: list[str]
    already: list[str]
    members: list[int] = field(default_factory=list)
    asked_for_updates: bool = False

    session_prefix: ClassVar[str] = "advocacy:thanks:"

    @classmethod
    def from_session(cls, stored: dict, *, campaign: Campaign) -> "SignThanks":
        return cls(
            letter_id=stored["letter"],
            new=stored["new"],
            already=stored["already"],
            members=stored.get("members", []),
            asked_for_updates=stored.get("updates", False),
        )

    def save(self, session: MutableMapping, *, campaign: Campaign) -> None:
        session[self.session_key(campaign)] = {
            "letter": self.letter_id,
            "new": self.new,
            "already": self.already,
            "members": self.members,
            "updates": self.asked_for_updates,
        }


# --- Signing ---------------------------------------------------------------------------------------


@dataclass
class SignResult:
    letter: Letter
    new_deliveries: list[Delivery]
    already_written: list[Recipient]
    consent: Consent | None = None

    @property
    def thanks(self) -> SignThanks:
        members = [d.legislator_id for d in self.new_deliveries if d.legislator_id]
        members += [r.legislator.pk for r in self.already_written if r.legislator is not None]
        return SignThanks(
            letter_id=self.letter.pk,
            new=[d.recipient_name for d in self.new_deliveries],
            already=[r.label for r in self.already_written],
            members=members,
            asked_for_updates=self.consent is not None,
        )


@transaction.atomic
def campaign_sign(
    *,
    campaign: Campaign,
    lookup: MemberLookup | None,
    email: str,
    prefix: str,
    first_name: str,
    last_name: str,
    street: str,
    city: str,
    state: str,
    zip_code: str,
    phone: str = "",
    own_words: str = "",
    consent: bool = False,
    consent_wording: str = "",
    expected_recipients: list[str] | None = None,
) -> SignResult:
    """Store a new letter with what this submission typed (name, address, words) and one delivery
    per recipient of that address this email has not written to through the campaign yet, then
    (after commit) queue one send per delivery and the confirmation email to the address typed.
    Nothing stored about the email from earlier submissions is read back, except which of this
    submission's own recipients were written before. `expected_recipients` are the recipient keys
    the confirmation page showed as getting a letter: if that is no longer what would happen (the
    same email sent from another window meanwhile), nothing is stored. A request for updates is
    stored as a `Consent` that counts once the mailbox owner confirms it."""
    from ..tasks import delivery_send_task, letter_confirmation_send_task

    if not campaign.is_open:
        raise ValidationError(_("This campaign is not taking letters right now."), code="campaign_closed")
    needs_district = campaign.targets != Campaign.Targets.SENATE
    if campaign.writes_to_congress and (
        lookup is None or lookup.state != state.upper() or (needs_district and lookup.needs_address)
    ):
        raise ValidationError(_("We could not match your address to your members of Congress."), code="no_district")
    own_words_check(campaign=campaign, own_words=own_words)
    recipients = campaign_recipients(campaign=campaign, lookup=lookup)
    if not recipients:
        raise ValidationError(
            _("None of the offices this campaign writes to represent your address."), code="no_recipients"
        )
    # The form checked the words against every office of the state; this is the last guard, for
    # the offices actually written to.
    sender = Letter(first_name=first_name, last_name=last_name, city=city, state=state.upper())
    letter_texts_check(campaign=campaign, values=sender.template_values(), own_words=own_words, recipients=recipients)
    email = email.strip().lower()
    supporter, _created = Supporter.objects.get_or_create(
        email=email, defaults={"first_name": first_name, "last_name": last_name}
    )
    # One submission per email at a time (a row lock on PostgreSQL; SQLite's IMMEDIATE transactions
    # serialize writers anyway): two windows sending at once cannot both write to one office.
    Supporter.objects.select_for_update().get(pk=supporter.pk)
    plan = sign_plan(campaign=campaign, lookup=lookup, email=email)
    if expected_recipients is not None and sorted(expected_recipients) != plan.new_keys:
        raise letters_changed_error()
    if not plan.new:
        raise ValidationError(
            _("Every office for this address already has your letter through this campaign; nothing new to send."),
            code="nothing_new",
        )
    address = {
        "prefix": prefix,
        "first_name": first_name,
        "last_name": last_name,
        "street": street,
        "city": city,
        "state": state.upper(),
        "zip_code": zip_code,
        "phone": phone,
        "district": lookup.district if lookup is not None else None,
        "own_words": own_words.strip(),
    }
    letter = Letter.objects.create(campaign=campaign, supporter=supporter, language=active_language(), **address)
    previews = letter_previews(campaign=campaign, recipients=plan.new, sender=letter, own_words=own_words)
    deliveries = Delivery.objects.bulk_create(
        [
            Delivery(
                letter=letter,
                legislator=preview.recipient.legislator,
                custom_target=preview.recipient.custom_target,
                recipient_key=preview.recipient.key,
                recipient_name=preview.recipient.label,
                recipient_email=preview.recipient.email,
                office_code=preview.recipient.office_code,
                subject=preview.subject,
                statement=preview.statement,
                personal=preview.personal,
                backend=preview.backend,
            )
            for preview in previews
        ]
    )
    requested = None
    if consent:
        requested = Consent.objects.create(
            letter=letter, wording=consent_wording or str(CONSENT_WORDING), language=get_language() or ""
        )
    for delivery in deliveries:
        delivery_send_task.delay_on_commit(delivery.pk)
    letter_confirmation_send_task.delay_on_commit(letter.pk)
    return SignResult(letter=letter, new_deliveries=deliveries, already_written=plan.already, consent=requested)
