"""Webhook events in the shapes of the API version the SDK pins, and Stripe's way of signing them."""

import json
import secrets
import time

import stripe
from stripe._api_version import _ApiVersion

API_VERSION = _ApiVersion.CURRENT
WEBHOOK_SECRET = "whsec_test_camino_0123456789abcdef"


def _id(prefix: str) -> str:
    return f"{prefix}_test_{secrets.token_hex(12)}"


def event(event_type: str, obj: dict, *, created: int | None = None, previous: dict | None = None,
          api_version: str = API_VERSION) -> dict:
    data = {"object": obj}
    if previous is not None:
        data["previous_attributes"] = previous
    return {
        "id": _id("evt"),
        "object": "event",
        "api_version": api_version,
        "created": created or int(time.time()),
        "data": data,
        "livemode": False,
        "pending_webhooks": 1,
        "request": {"id": _id("req"), "idempotency_key": None},
        "type": event_type,
    }


def checkout_session(donation, *, payment_status="paid", session_id=None, payment_intent=None, subscription=None,
                     invoice=None, customer=None) -> dict:
    monthly = donation.frequency == "month"
    return {
        "id": session_id or donation.stripe_checkout_session_id or _id("cs"),
        "object": "checkout.session",
        "mode": "subscription" if monthly else "payment",
        "status": "complete",
        "payment_status": payment_status,
        "submit_type": "donate",
        "amount_subtotal": donation.amount_cents,
        "amount_total": donation.amount_cents,
        "currency": donation.currency,
        "client_reference_id": str(donation.reference),
        "customer": customer or _id("cus"),
        "customer_details": {"email": donation.email, "name": donation.name, "address": None,
                             "phone": None, "tax_exempt": "none", "tax_ids": []},
        "customer_email": donation.email,
        "metadata": {"donation_id": str(donation.reference), "appeal": "test"},
        "payment_intent": None if monthly else (payment_intent or _id("pi")),
        "subscription": subscription if monthly else None,
        "invoice": invoice if monthly else None,
        "livemode": False,
        "ui_mode": "hosted_page",
        "url": None,
    }


def invoice(*, invoice_id, subscription, donation_reference=None, amount=2500, customer=None, email="",
            billing_reason="subscription_create", payment_intent=None, attempt_count=1) -> dict:
    payments = {"object": "list", "data": [], "has_more": False, "url": f"/v1/invoices/{invoice_id}/payments"}
    if payment_intent:
        payments["data"].append({"id": _id("inpay"), "object": "invoice_payment", "invoice": invoice_id,
                                 "is_default": True, "status": "paid", "amount_paid": amount,
                                 "payment": {"type": "payment_intent", "payment_intent": payment_intent}})
    return {
        "id": invoice_id,
        "object": "invoice",
        "amount_due": amount,
        "amount_paid": amount,
        "amount_remaining": 0,
        "attempt_count": attempt_count,
        "billing_reason": billing_reason,
        "currency": "usd",
        "customer": customer or _id("cus"),
        "customer_email": email,
        "hosted_invoice_url": f"https://invoice.stripe.com/i/{invoice_id}",
        "parent": {
            "type": "subscription_details",
            "quote_details": None,
            "subscription_details": {
                "subscription": subscription,
                "metadata": {"donation_id": str(donation_reference)} if donation_reference else {},
            },
        },
        "payments": payments,
        "status": "paid",
        "status_transitions": {"paid_at": int(time.time())},
    }


def invoice_before_basil(*, invoice_id, subscription, donation_reference=None, amount=2500, customer=None,
                         email="", billing_reason="subscription_cycle", payment_intent=None) -> dict:
    """An invoice as endpoints on API versions before 2025-03-31 receive it: `subscription`,
    `subscription_details.metadata`, `payment_intent` and `charge` on the invoice itself, no `parent`."""
    return {
        "id": invoice_id,
        "object": "invoice",
        "amount_due": amount,
        "amount_paid": amount,
        "amount_remaining": 0,
        "attempt_count": 1,
        "billing_reason": billing_reason,
        "charge": _id("ch"),
        "currency": "usd",
        "customer": customer or _id("cus"),
        "customer_email": email,
        "paid": True,
        "payment_intent": payment_intent,
        "status": "paid",
        "status_transitions": {"paid_at": int(time.time())},
        "subscription": subscription,
        "subscription_details": {
            "metadata": {"donation_id": str(donation_reference)} if donation_reference else {},
        },
    }


def refund(*, refund_id=None, charge_id, payment_intent, amount, status="succeeded", failure_reason=None) -> dict:
    return {
        "id": refund_id or _id("re"),
        "object": "refund",
        "amount": amount,
        "charge": charge_id,
        "currency": "usd",
        "payment_intent": payment_intent,
        "reason": "requested_by_customer",
        "status": status,
        "failure_reason": failure_reason,
        "metadata": {},
        "created": int(time.time()),
    }


def subscription(*, subscription_id, status="active", customer="cus_x", amount=2500, cancel_at_period_end=False,
                 canceled_at=None, donation_reference=None) -> dict:
    return {
        "id": subscription_id,
        "object": "subscription",
        "status": status,
        "customer": customer,
        "cancel_at_period_end": cancel_at_period_end,
        "canceled_at": canceled_at,
        "ended_at": canceled_at if status == "canceled" else None,
        "cancellation_details": {"comment": None, "feedback": None, "reason": None},
        "metadata": {"donation_id": str(donation_reference)} if donation_reference else {},
        "items": {"object": "list", "data": [{
            "id": _id("si"), "object": "subscription_item", "quantity": 1,
            "current_period_start": int(time.time()), "current_period_end": int(time.time()) + 30 * 86400,
            "price": {"id": _id("price"), "object": "price", "unit_amount": amount, "currency": "usd",
                      "recurring": {"interval": "month", "interval_count": 1}},
        }]},
    }


def charge(*, charge_id=None, payment_intent, amount, amount_refunded, refunded=False) -> dict:
    return {
        "id": charge_id or _id("ch"),
        "object": "charge",
        "amount": amount,
        "amount_captured": amount,
        "amount_refunded": amount_refunded,
        "refunded": refunded,
        "currency": "usd",
        "paid": True,
        "payment_intent": payment_intent,
        "status": "succeeded",
    }


def dispute(*, payment_intent, charge_id, amount, status="needs_response", reason="fraudulent",
            dispute_id=None) -> dict:
    return {
        "id": dispute_id or _id("du"),
        "object": "dispute",
        "amount": amount,
        "charge": charge_id,
        "payment_intent": payment_intent,
        "currency": "usd",
        "reason": reason,
        "status": status,
        "evidence_details": {"due_by": int(time.time()) + 7 * 86400, "has_evidence": False},
    }


def sign(payload: str, *, secret: str = WEBHOOK_SECRET, timestamp: int | None = None) -> str:
    """The Stripe-Signature header exactly as Stripe builds it: t=...,v1=HMAC-SHA256("{t}.{payload}")."""
    return stripe.WebhookSignature.generate_signature_header(payload, secret, timestamp=timestamp)


def post(client, data: dict, *, secret: str = WEBHOOK_SECRET, timestamp: int | None = None):
    payload = json.dumps(data)
    return client.post("/stripe/webhook/", data=payload, content_type="application/json",
                       HTTP_STRIPE_SIGNATURE=sign(payload, secret=secret, timestamp=timestamp))
