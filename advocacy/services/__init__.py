"""Every write with business meaning in Tell Congress, by sub-domain: who a supporter writes to
(recipients), the letter each gets (letters), signing (signing), sending each delivery (delivery),
the status page and confirmation email (status), consent to updates (consent), how the calls after
a letter went (calls), page views (funnel) and the campaign actions staff take (campaigns). Callers
import from here."""

from .calls import call_report_record
from .campaigns import campaign_close, campaign_duplicate, campaign_open
from .consent import consent_confirm, consent_confirm_url, consent_from_token
from .delivery import (
    deliveries_sweep,
    delivery_next_attempt_in,
    delivery_retry,
    delivery_retry_countdown,
    delivery_send,
)
from .districts import DistrictPage, Placement, district_page, supporter_place
from .funnel import campaign_view_record, campaign_views_flush
from .letters import LetterPreview, letter_previews, letter_texts, letter_texts_check, own_words_check
from .recipients import Recipient, backend_for, campaign_recipients, campaign_recipients_in_state, member_recipient
from .signing import SignDraft, SignPlan, SignResult, SignThanks, campaign_sign, sign_draft_create, sign_plan
from .status import (
    letter_confirmation_send,
    letter_confirmations_sweep,
    letter_from_status_token,
    letter_status_link_create,
    letter_status_links_revoke,
    letter_status_url,
)

__all__ = [
    "DistrictPage",
    "Placement",
    "district_page",
    "supporter_place",
    "LetterPreview",
    "Recipient",
    "SignDraft",
    "SignPlan",
    "SignResult",
    "SignThanks",
    "backend_for",
    "call_report_record",
    "campaign_close",
    "campaign_duplicate",
    "campaign_open",
    "campaign_recipients",
    "campaign_recipients_in_state",
    "campaign_sign",
    "campaign_view_record",
    "consent_confirm",
    "consent_confirm_url",
    "consent_from_token",
    "campaign_views_flush",
    "deliveries_sweep",
    "delivery_next_attempt_in",
    "delivery_retry",
    "delivery_retry_countdown",
    "delivery_send",
    "letter_confirmation_send",
    "letter_confirmations_sweep",
    "letter_from_status_token",
    "letter_previews",
    "letter_status_link_create",
    "letter_status_links_revoke",
    "letter_status_url",
    "letter_texts",
    "letter_texts_check",
    "member_recipient",
    "own_words_check",
    "sign_draft_create",
    "sign_plan",
]
