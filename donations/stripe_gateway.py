"""The only module that talks to Stripe (and imports `stripe`). Every create call carries an
idempotency key the caller derives from our own ids, so a retry never charges or refunds twice.
Stripe's errors become `PaymentProviderError`; a bad webhook becomes `InvalidWebhook`."""

import json
from dataclasses import dataclass

import stripe
from django.conf import settings


class PaymentProviderError(Exception):
    """Stripe refused or could not be reached; the message is safe to show staff."""


class InvalidWebhook(Exception):
    """The payload is not a Stripe event signed with our endpoint secret (or is too old)."""


@dataclass(frozen=True)
class CheckoutSession:
    id: str
    url: str


def _client() -> stripe.StripeClient:
    return stripe.StripeClient(
        settings.STRIPE_SECRET_KEY,
        base_addresses={"api": settings.STRIPE_API_BASE},
        # The version Camino's code reads (settings.STRIPE_API_VERSION), whatever the SDK's default:
        # upgrading the package must not change the shapes Stripe answers in.
        stripe_version=settings.STRIPE_API_VERSION,
        # Safe because every POST has our own idempotency key: a retried request is replayed.
        max_network_retries=2,
    )


def _call(fn, params: dict, idempotency_key: str):
    try:
        return fn(params, {"idempotency_key": idempotency_key})
    except stripe.StripeError as exc:
        raise PaymentProviderError(exc.user_message or str(exc) or exc.__class__.__name__) from exc


def checkout_session_create(
    *,
    reference: str,
    monthly: bool,
    gift_cents: int,
    fee_cover_cents: int,
    currency: str,
    email: str,
    locale: str,
    description: str,
    metadata: dict[str, str],
    success_url: str,
    cancel_url: str,
    idempotency_key: str,
) -> CheckoutSession:
    recurring = {"recurring": {"interval": "month"}} if monthly else {}
    line_items = [
        {
            "quantity": 1,
            "price_data": {
                "currency": currency,
                "unit_amount": gift_cents,
                "product_data": {"name": description},
                **recurring,
            },
        },
    ]
    if fee_cover_cents:
        # A second line makes the covered fee visible on Stripe's page and in the Dashboard.
        line_items.append(
            {
                "quantity": 1,
                "price_data": {
                    "currency": currency,
                    "unit_amount": fee_cover_cents,
                    "product_data": {"name": "Processing fee cover"},
                    **recurring,
                },
            },
        )
    params = {
        "mode": "subscription" if monthly else "payment",
        # Allowed in subscription mode since API 2024-11-20.acacia: the button says "Donate" for both.
        "submit_type": "donate",
        "line_items": line_items,
        "customer_email": email,
        # The language of the page the donor gave from ("auto" would follow the browser, so a
        # Spanish page could open an English Checkout and the other way round).
        "locale": locale,
        "client_reference_id": reference,
        "metadata": metadata,
        "success_url": success_url,
        "cancel_url": cancel_url,
    }
    if monthly:
        # Copied onto the subscription, so each invoice carries our reference under
        # parent.subscription_details.metadata.
        params["subscription_data"] = {"metadata": metadata, "description": description}
    else:
        params["payment_intent_data"] = {"metadata": metadata, "description": description}
    session = _call(_client().v1.checkout.sessions.create, params, idempotency_key)
    return CheckoutSession(id=session.id, url=session.url)


def checkout_session_expire(*, session_id: str, idempotency_key: str) -> str:
    """Close an open Checkout Session so it can no longer be paid (the donor went back); returns
    its status. Stripe refuses a session that is not open (paid, or already expired)."""
    session = _call(lambda params, options: _client().v1.checkout.sessions.expire(session_id, params, options),
                    {}, idempotency_key)
    return session.status


def billing_portal_session_create(*, customer_id: str, return_url: str, locale: str, idempotency_key: str) -> str:
    params = {"customer": customer_id, "return_url": return_url, "locale": locale}
    if settings.STRIPE_PORTAL_CONFIGURATION:
        params["configuration"] = settings.STRIPE_PORTAL_CONFIGURATION
    session = _call(_client().v1.billing_portal.sessions.create, params, idempotency_key)
    return session.url


def refund_create(*, payment_intent_id: str, amount_cents: int, metadata: dict[str, str], idempotency_key: str) -> str:
    params = {
        "payment_intent": payment_intent_id,
        "amount": amount_cents,
        "reason": "requested_by_customer",
        "metadata": metadata,
    }
    refund = _call(_client().v1.refunds.create, params, idempotency_key)
    return refund.id


def event_verify(*, payload: bytes, signature: str) -> dict:
    """Check the Stripe-Signature header (HMAC-SHA256 of "{t}.{payload}", 5-minute tolerance)
    and return the event as plain JSON data."""
    secret = settings.STRIPE_WEBHOOK_SECRET
    if not secret or not signature:
        raise InvalidWebhook("missing signature or endpoint secret")
    try:
        text = payload.decode("utf-8")
        stripe.WebhookSignature.verify_header(text, signature, secret, stripe.Webhook.DEFAULT_TOLERANCE)
        data = json.loads(text)
    except (stripe.SignatureVerificationError, UnicodeDecodeError, ValueError) as exc:
        raise InvalidWebhook(str(exc)) from exc
    if not isinstance(data, dict) or data.get("object") != "event" or not data.get("id") or not data.get("type"):
        raise InvalidWebhook("not an event")
    if not isinstance(data["id"], str) or not _is_unix_time(data.get("created")):
        # Signed but not in Stripe's shape (an id that is no string, a `created` that is no whole
        # number of seconds): refused here with a 400, rather than failing as a 500 when stored.
        raise InvalidWebhook("not an event: id must be a string and created an integer")
    return data


def _is_unix_time(value) -> bool:
    # bool is an int in Python, and JSON's true is no time; the column is a signed 64-bit integer.
    return isinstance(value, int) and not isinstance(value, bool) and 0 <= value < 2**63


def _read(fn, *args):
    try:
        return fn(*args)
    except stripe.StripeError as exc:
        raise PaymentProviderError(exc.user_message or str(exc) or exc.__class__.__name__) from exc


def subscription_retrieve(*, subscription_id: str) -> dict:
    """The subscription as Stripe holds it now, as plain JSON data (the webhook payload's shape)."""
    return _read(_client().v1.subscriptions.retrieve, subscription_id).to_dict()


def charge_refunds(*, charge_id: str) -> list[dict]:
    """Every refund of a charge as Stripe holds them now (id, amount, status, failure_reason)."""
    refunds = _read(_client().v1.refunds.list, {"charge": charge_id, "limit": 100})
    return [refund.to_dict() for refund in refunds.auto_paging_iter()]


def invoice_payment_intent_id(*, invoice_id: str) -> str:
    """The payment intent that paid an invoice (since API 2025-03-31 an invoice names its
    payments, not its charge; webhook payloads may leave the list out)."""
    try:
        payments = _client().v1.invoice_payments.list({"invoice": invoice_id, "limit": 10})
    except stripe.StripeError as exc:
        raise PaymentProviderError(exc.user_message or str(exc) or exc.__class__.__name__) from exc
    for item in payments.data:
        payment = item.payment
        if getattr(payment, "type", "") == "payment_intent" and getattr(payment, "payment_intent", None):
            intent = payment.payment_intent
            return intent if isinstance(intent, str) else intent.id
    return ""
