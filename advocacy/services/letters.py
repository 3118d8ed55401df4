"""The letter each recipient gets: the campaign's text and the supporter's own words, with the
placeholders filled in. One function builds the previews the supporter checks, the preview staff
see in the admin, and the deliveries `campaign_sign` stores, so all three say the same."""

from dataclasses import dataclass

from django.core.exceptions import ValidationError
from django.utils import translation
from django.utils.translation import gettext as _

from .. import letter_rules
from ..models import Campaign, Letter
from ..placeholders import render_template_text
from .recipients import Recipient, backend_for


def _is_edited(campaign: Campaign, own_words: str) -> bool:
    return " ".join(own_words.split()) != " ".join(campaign.body_template.split())


def letter_texts(*, campaign: Campaign, values: dict[str, str], own_words: str, recipient: Recipient):
    """(subject, campaign text, supporter's text) for one recipient. The campaign's text stays
    apart from the supporter's so CWC can tell a form letter from a personal one. Always the
    campaign's English text, whatever language the supporter reads the site in (translated
    campaign fields follow the active language): offices read English; the supporter's own words
    go exactly as written."""
    with translation.override("en"):
        return _letter_texts(campaign=campaign, values=values, own_words=own_words, recipient=recipient)


def _letter_texts(*, campaign: Campaign, values: dict[str, str], own_words: str, recipient: Recipient):
    values = {**values, "member_name": recipient.name, "member_title": recipient.title}
    subject = render_template_text(campaign.subject_template, values)
    statement = render_template_text(campaign.body_template, values)
    own_words = (own_words or "").strip()
    personal = ""
    if campaign.editing_policy == Campaign.EditingPolicy.NOTE:
        personal = own_words
    elif campaign.editing_policy == Campaign.EditingPolicy.EDITABLE and own_words and _is_edited(campaign, own_words):
        statement, personal = "", render_template_text(own_words, values)
    return subject, statement, personal


def own_words_check(*, campaign: Campaign, own_words: str) -> None:
    """The campaign's limits on what the supporter typed, and CWC's: a note or rewritten letter
    has at least 6 characters (letter_rules.MESSAGE_MIN_LENGTH), whatever the campaign allows."""
    if campaign.editing_policy == Campaign.EditingPolicy.LOCKED:
        return
    own_words = (own_words or "").strip()
    length = len(own_words)
    if campaign.editing_policy == Campaign.EditingPolicy.NOTE and length == 0 and campaign.min_length == 0:
        return
    minimum = campaign.min_length
    if own_words and (campaign.editing_policy == Campaign.EditingPolicy.NOTE or _is_edited(campaign, own_words)):
        minimum = max(minimum, letter_rules.MESSAGE_MIN_LENGTH)
    if length < minimum:
        raise ValidationError(
            _("Please write at least %(count)d characters in your own words.") % {"count": minimum},
            code="too_short",
        )
    if length > campaign.max_length:
        raise ValidationError(
            _("Please keep your words under %(count)d characters.") % {"count": campaign.max_length}, code="too_long"
        )


def letter_texts_check(
    *, campaign: Campaign, values: dict[str, str], own_words: str, recipients: list[Recipient]
) -> None:
    """Every recipient's letter, placeholders filled in, within CWC's lengths: a rewritten letter
    full of {member_name} can grow past 10,000 characters for an office with a long name."""
    for recipient in recipients:
        _subject, statement, personal = letter_texts(
            campaign=campaign, values=values, own_words=own_words, recipient=recipient
        )
        for text in (statement, personal):
            error = text and letter_rules.message_length_error(text, what=recipient.label)
            if error:
                raise error


@dataclass(frozen=True)
class LetterPreview:
    """One recipient's letter as it will be sent."""

    recipient: Recipient
    subject: str
    statement: str
    personal: str

    @property
    def member(self):
        return self.recipient.legislator

    @property
    def backend(self) -> str:
        return backend_for(self.recipient)


def letter_previews(
    *, campaign: Campaign, recipients: list[Recipient], sender: Letter, own_words: str
) -> list[LetterPreview]:
    """The letter each recipient gets from `sender` (a Letter, saved or not: its names, city and
    state fill the placeholders)."""
    values = sender.template_values()
    return [
        LetterPreview(r, *letter_texts(campaign=campaign, values=values, own_words=own_words, recipient=r))
        for r in recipients
    ]
