"""Every write with business meaning for donations, by sub-domain. A donation's money state
changes only in webhooks/, and only from a Stripe event (or a demo event built in the same shape):
the success page, the admin and the refund action never mark anything paid or refunded themselves.

    amounts.py         fee cover, which processor (Stripe or the demo), absolute links
    checkout.py        donation_checkout_start, donation_checkout_cancel
    webhooks/          stripe_event_receive/store/process/reprocess; one module per event family
    receipts.py        donation_receipt_send
    refunds.py         donation_refund_request (an amount, after the admin's confirmation),
                       refund_notice_send: the donor's one email per refund that succeeded
    self_service.py    manage links and the Customer Portal
    demo_processor.py  the local stand-in for Stripe Checkout and the portal
    dunning.py         payment_failure_notice_send: one email when a renewal fails
    sweep.py           donations_sweep: re-queues whatever is still owed

Callers import from here (`from donations import services`), so modules can move freely."""

from .amounts import demo_mode_enabled, fee_cover_for, monthly_suggestion_cents, payments_are_demo
from .checkout import donation_checkout_cancel, donation_checkout_start
from .demo_processor import demo_checkout_cancel, demo_checkout_complete, demo_subscription_cancel
from .dunning import payment_failure_notice_send
from .receipts import donation_receipt_send
from .refunds import donation_refund_request, refund_notice_send, refund_refusal, refundable_cents
from .self_service import (
    PortalOpen,
    donor_manage_link_check,
    donor_manage_link_request,
    donor_manage_link_send,
    donor_manage_link_token_create,
    donor_portal_open,
)
from .sweep import donations_sweep
from .webhooks import (
    EventNotReady,
    stripe_event_process,
    stripe_event_receive,
    stripe_event_reprocess,
    stripe_event_store,
)

__all__ = [
    "EventNotReady", "PortalOpen", "demo_checkout_cancel", "demo_checkout_complete", "demo_mode_enabled",
    "demo_subscription_cancel",
    "donation_checkout_cancel", "donation_checkout_start", "donation_receipt_send", "donation_refund_request",
    "donations_sweep", "refund_notice_send", "refund_refusal", "refundable_cents",
    "donor_manage_link_check", "donor_manage_link_request", "donor_manage_link_send",
    "donor_manage_link_token_create", "donor_portal_open",
    "fee_cover_for",
    "monthly_suggestion_cents", "payment_failure_notice_send",
    "payments_are_demo", "stripe_event_process", "stripe_event_receive", "stripe_event_reprocess",
    "stripe_event_store",
]
