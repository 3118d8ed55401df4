"""A local stand-in for the few Stripe API endpoints Camino calls, driven by the real `stripe` SDK
(its base address pointed here).

It speaks Stripe's wire format: form-encoded POST bodies (`line_items[0][price_data][currency]=usd`)
with `Authorization: Bearer sk_...`, `Idempotency-Key` and `Stripe-Version` headers, and JSON objects
with `id` and `object` in the shapes of the API version the SDK pins. Like Stripe, a repeated
Idempotency-Key replays the first answer instead of creating a second object.

Endpoints: POST /v1/checkout/sessions, POST /v1/checkout/sessions/<id>/expire,
POST /v1/billing_portal/sessions, POST /v1/refunds,
GET /v1/refunds?charge=, GET /v1/subscriptions/<id>, GET /v1/invoice_payments. Anything else
answers Stripe's 404 error body. What Stripe "holds" is set by tests: `add_refund(...)` (and the
refunds POST /v1/refunds makes, on the charge `charges[payment_intent]` names),
`subscriptions[id] = {...}`.

Every request is kept in `requests` as a dict: method, path, params (flat form keys as sent),
idempotency_key, stripe_version, authorization. `fail_next(status, message)` makes the next request
fail with Stripe's error shape.
"""

import json
import secrets
import threading
import time
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from urllib.parse import parse_qsl, urlparse

# Some of the locales Stripe's Checkout and portal accept (an unknown one is a 400 there too).
STRIPE_LOCALES = {"auto", "en", "es", "es-419", "fr", "de", "pt", "pt-BR", "it", "ja", "zh"}

class StripeFake:
    def __init__(self):
        self.requests: list[dict] = []
        self.objects: dict[str, dict] = {}
        self.invoice_payments: dict[str, str] = {}  # invoice id -> payment intent id
        self.refunds: dict[str, dict] = {}  # refund id -> refund, as Stripe holds it now
        self.charges: dict[str, str] = {}  # payment intent id -> its charge id
        self.subscriptions: dict[str, dict] = {}  # subscription id -> subscription, as Stripe holds it now
        self._replays: dict[str, tuple[int, dict]] = {}
        self._failure: tuple[int, str] | None = None
        self._lock = threading.Lock()
        self.server: ThreadingHTTPServer | None = None
        self.thread: threading.Thread | None = None

    # --- what tests use ---------------------------------------------------------------------------

    @property
    def url(self) -> str:
        host, port = self.server.server_address[:2]
        return f"http://{host}:{port}"

    def fail_next(self, status: int = 500, message: str = "Something went wrong on Stripe's end.") -> None:
        self._failure = (status, message)

    def last(self, path: str) -> dict:
        matching = [r for r in self.requests if r["path"] == path]
        assert matching, f"no request to {path}; got {[r['path'] for r in self.requests]}"
        return matching[-1]

    def add_refund(self, *, charge: str, payment_intent: str, amount: int, status: str = "succeeded",
                   refund_id: str | None = None, failure_reason: str | None = None) -> dict:
        """A refund as Stripe's Refund object (API 2025-03-31 and later), held for GET /v1/refunds."""
        refund = {
            "id": refund_id or self._id("re"), "object": "refund", "amount": amount, "charge": charge,
            "payment_intent": payment_intent, "currency": "usd", "status": status, "reason": "requested_by_customer",
            "failure_reason": failure_reason, "metadata": {}, "created": int(time.time()),
        }
        with self._lock:
            self.refunds[refund["id"]] = refund
            self.charges.setdefault(payment_intent, charge)
        return refund

    def start(self) -> "StripeFake":
        fake = self

        class Handler(BaseHTTPRequestHandler):
            def log_message(self, *args):  # quiet test output
                pass

            def do_GET(self):  # noqa: N802 - http.server's hook name
                fake._handle(self, "GET")

            def do_POST(self):  # noqa: N802
                fake._handle(self, "POST")

        self.server = ThreadingHTTPServer(("127.0.0.1", 0), Handler)
        self.thread = threading.Thread(target=self.server.serve_forever, daemon=True)
        self.thread.start()
        return self

    def stop(self) -> None:
        if self.server:
            self.server.shutdown()
            self.server.server_close()

    # --- the wire -----------------------------------------------------------------------------------

    def _handle(self, handler: BaseHTTPRequestHandler, method: str) -> None:
        parsed = urlparse(handler.path)
        length = int(handler.headers.get("Content-Length") or 0)
        body = handler.rfile.read(length).decode() if length else ""
        query = body if method == "POST" else parsed.query
        params = dict(parse_qsl(query, keep_blank_values=True))
        record = {
            "method": method,
            "path": parsed.path,
            "params": params,
            "idempotency_key": handler.headers.get("Idempotency-Key"),
            "stripe_version": handler.headers.get("Stripe-Version"),
            "authorization": handler.headers.get("Authorization"),
        }
        with self._lock:
            self.requests.append(record)
            status, answer = self._answer(method, parsed.path, params, record["idempotency_key"])
        data = json.dumps(answer).encode()
        handler.send_response(status)
        handler.send_header("Content-Type", "application/json")
        handler.send_header("Content-Length", str(len(data)))
        handler.send_header("Request-Id", f"req_{secrets.token_hex(7)}")
        if record["idempotency_key"] and method == "POST":
            handler.send_header("Idempotency-Key", record["idempotency_key"])
        handler.end_headers()
        handler.wfile.write(data)

    def _answer(self, method: str, path: str, params: dict, key: str | None) -> tuple[int, dict]:
        if key and method == "POST" and key in self._replays:
            return self._replays[key]  # Stripe replays the first result for a repeated key
        if self._failure:
            status, message = self._failure
            self._failure = None
            kind = "api_error" if status >= 500 else "invalid_request_error"
            result = (status, {"error": {"type": kind, "message": message}})
        else:
            route = {
                ("POST", "/v1/checkout/sessions"): self._checkout_session,
                ("POST", "/v1/billing_portal/sessions"): self._portal_session,
                ("POST", "/v1/refunds"): self._refund,
                ("GET", "/v1/invoice_payments"): self._invoice_payments,
                ("GET", "/v1/refunds"): self._refund_list,
            }.get((method, path))
            if route is None and method == "GET" and path.startswith("/v1/subscriptions/"):
                route = self._subscription_retrieve(path.rsplit("/", 1)[-1])
            if route is None and method == "POST" and path.startswith("/v1/checkout/sessions/") \
                    and path.endswith("/expire"):
                route = self._checkout_session_expire(path.split("/")[-2])
            if route is None:
                message = f"Unrecognized request URL ({method}: {path})."
                return 404, {"error": {"type": "invalid_request_error", "message": message}}
            result = route(params)
        if key and method == "POST":
            self._replays[key] = result
        return result

    @staticmethod
    def _id(prefix: str) -> str:
        return f"{prefix}_test_{secrets.token_hex(12)}"

    def _checkout_session(self, params: dict) -> tuple[int, dict]:
        if params.get("mode") not in {"payment", "subscription", "setup"}:
            return 400, {"error": {"type": "invalid_request_error", "param": "mode", "message": "Invalid mode"}}
        if params.get("locale", "auto") not in STRIPE_LOCALES:
            return 400, {"error": {"type": "invalid_request_error", "param": "locale", "message": "Invalid locale"}}
        session_id = self._id("cs")
        amount = sum(
            int(value) * int(params.get(key.replace("[price_data][unit_amount]", "[quantity]"), 1))
            for key, value in params.items() if key.endswith("[price_data][unit_amount]")
        )
        session = {
            "id": session_id,
            "object": "checkout.session",
            "mode": params["mode"],
            "status": "open",
            "payment_status": "unpaid",
            "submit_type": params.get("submit_type"),
            "locale": params.get("locale"),
            "amount_total": amount,
            "amount_subtotal": amount,
            "currency": params.get("line_items[0][price_data][currency]", "usd"),
            "client_reference_id": params.get("client_reference_id"),
            "customer": None,
            "customer_email": params.get("customer_email"),
            "metadata": {k[len("metadata["):-1]: v for k, v in params.items() if k.startswith("metadata[")},
            "payment_intent": None,
            "subscription": None,
            "invoice": None,
            "success_url": params.get("success_url"),
            "cancel_url": params.get("cancel_url"),
            "ui_mode": "hosted_page",
            "url": f"https://checkout.stripe.com/c/pay/{session_id}",
            "expires_at": int(time.time()) + 86400,
            "livemode": False,
        }
        self.objects[session_id] = session
        return 200, session

    def _checkout_session_expire(self, session_id: str):
        """POST /v1/checkout/sessions/<id>/expire: only an open session can be expired."""
        def expire(params: dict) -> tuple[int, dict]:
            session = self.objects.get(session_id)
            if session is None:
                return 404, {"error": {"type": "invalid_request_error", "code": "resource_missing",
                                       "message": f"No such checkout.session: '{session_id}'"}}
            if session["status"] != "open":
                return 400, {"error": {"type": "invalid_request_error", "message":
                                       'Only Checkout Sessions with a status in ["open"] can be expired.'}}
            session["status"] = "expired"
            return 200, session
        return expire

    def _portal_session(self, params: dict) -> tuple[int, dict]:
        if not params.get("customer"):
            return 400, {"error": {"type": "invalid_request_error", "param": "customer",
                                   "message": "Missing required param: customer."}}
        session_id = self._id("bps")
        return 200, {
            "id": session_id,
            "object": "billing_portal.session",
            "customer": params["customer"],
            "return_url": params.get("return_url"),
            "locale": params.get("locale"),
            "configuration": params.get("configuration", "bpc_test_default"),
            "created": int(time.time()),
            "livemode": False,
            "url": f"https://billing.stripe.com/p/session/{session_id}",
        }

    def _refund(self, params: dict) -> tuple[int, dict]:
        if not (params.get("payment_intent") or params.get("charge")):
            return 400, {"error": {"type": "invalid_request_error",
                                   "message": "You must pass either a charge or a payment intent."}}
        refund = {
            "id": self._id("re"),
            "object": "refund",
            "amount": int(params.get("amount", 0)),
            "payment_intent": params.get("payment_intent"),
            "charge": params.get("charge") or self.charges.get(params.get("payment_intent") or ""),
            "currency": "usd",
            "reason": params.get("reason"),
            "metadata": {k[len("metadata["):-1]: v for k, v in params.items() if k.startswith("metadata[")},
            "status": "succeeded",
            "created": int(time.time()),
        }
        self.refunds[refund["id"]] = refund
        return 200, refund

    def _refund_list(self, params: dict) -> tuple[int, dict]:
        charge = params.get("charge")
        data = [dict(r) for r in self.refunds.values() if not charge or r["charge"] == charge]
        return 200, {"object": "list", "data": data, "has_more": False, "url": "/v1/refunds"}

    def _subscription_retrieve(self, subscription_id: str):
        def answer(params: dict) -> tuple[int, dict]:
            if subscription_id not in self.subscriptions:
                return 404, {"error": {"type": "invalid_request_error", "code": "resource_missing",
                                       "message": f"No such subscription: '{subscription_id}'"}}
            return 200, self.subscriptions[subscription_id]
        return answer

    def _invoice_payments(self, params: dict) -> tuple[int, dict]:
        invoice = params.get("invoice", "")
        intent = self.invoice_payments.get(invoice)
        data = []
        if intent:
            data.append({"id": self._id("inpay"), "object": "invoice_payment", "invoice": invoice, "is_default": True,
                         "status": "paid", "payment": {"type": "payment_intent", "payment_intent": intent}})
        return 200, {"object": "list", "data": data, "has_more": False, "url": "/v1/invoice_payments"}
