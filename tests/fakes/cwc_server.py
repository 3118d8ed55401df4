"""A local stand-in for Communicating with Congress (CWC): the House's API and the Senate's SOAPBox.

House: `POST /v2/message?apikey=KEY` (and `/v2/validate`) answers 200 with a short body when
accepted. Senate: `POST /api/testing-messages/?apikey=SENATE_KEY` answers 201 Created, 409 for a
DeliveryId it already has, 415 unless the body is sent as `application/xml`; `GET
/api/active_offices.json` lists the offices that take CWC. Both answer 400 with
`<Errors><Error>…</Error></Errors>` when the message is rejected (by the rules in `cwc_rules`,
written from the reference notes, not from Camino's builder) and 401 for a wrong key. Tests
queue answers with `respond(status, body)` (each used once, then the default) and read every
request from `requests` (path, query, headers, body, and the DeliveryId parsed from the XML).

The ways a real office's system misbehaves (b5: maintenance windows of hours, slow answers):
`go_down()` / `come_back()` close and reopen its port (connection refused, as a host in
maintenance); `in_maintenance = True` answers 503 to every message; `answer_after(seconds)`
saves each message and answers only after that long (a slow office: the message is there even
when the sender stopped waiting); `redirect(path, location)`
answers 301 to any request for a path (a URL configured without its trailing slash), and a GET of
an API path answers 200 with a page, as a browsable API does. `received` lists the DeliveryId of
every message an office saved: a copy each, the House keeping every one.
"""

import json
import threading
import time
import xml.etree.ElementTree as ET
from collections import deque
from dataclasses import dataclass
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from urllib.parse import parse_qs, urlparse

from .cwc_rules import cwc_errors

ACCEPTED = b"<?xml version='1.0' encoding='UTF-8'?><Response><Status>Accepted</Status></Response>"
HOUSE_PATHS = ("/v2/message", "/v2/validate")
SENATE_PATH = "/api/testing-messages/"
SENATE_OFFICES_PATH = "/api/active_offices.json"


def errors_body(*messages: str) -> bytes:
    errors = ET.Element("Errors")
    for message in messages:
        ET.SubElement(errors, "Error").text = message
    return ET.tostring(errors, encoding="UTF-8", xml_declaration=True)


@dataclass
class RecordedRequest:
    path: str
    query: dict[str, list[str]]
    headers: dict[str, str]
    body: bytes
    method: str = "POST"

    @property
    def xml(self) -> ET.Element:
        return ET.fromstring(self.body)  # noqa: S314 - the test's own XML

    @property
    def delivery_id(self) -> str | None:
        return self.xml.findtext("Delivery/DeliveryId")


class CWCServerFake:
    def __init__(self, api_key: str = "test-key", senate_api_key: str = "senate-key", senate_offices=()):
        self.api_key = api_key
        self.senate_api_key = senate_api_key
        # What GET /api/active_offices.json lists: the Senate's shape, a name with the bioguide id.
        self.senate_offices = [
            {"name": f"Senator [bioguide_id: {bioguide}]", "office_code": code} for code, bioguide in senate_offices
        ]
        self.senate_delivery_ids: set[str] = set()
        self.requests: list[RecordedRequest] = []
        self.answers: deque[tuple[int, bytes]] = deque()
        self.received: list[str] = []
        self.delay = 0.0
        self.delay_paths: tuple[str, ...] = ()
        self.redirects: dict[str, str] = {}
        self.in_maintenance = False  # answer 503 to every message, as during a maintenance window
        self._lock = threading.Lock()
        self.server: ThreadingHTTPServer | None = None
        self._port = 0

    def answer_after(self, seconds: float, *, paths: tuple[str, ...] = (*HOUSE_PATHS, SENATE_PATH)) -> None:
        """Answer requests for these paths (the House's and the Senate's by default) this late."""
        self.delay = seconds
        self.delay_paths = paths

    def redirect(self, path: str, location: str) -> None:
        self.redirects[path] = location

    def copies(self) -> dict[str, int]:
        """How many copies of each DeliveryId the offices hold."""
        counts: dict[str, int] = {}
        for delivery_id in self.received:
            counts[delivery_id] = counts.get(delivery_id, 0) + 1
        return counts

    def go_down(self) -> None:
        """Refuse connections (the port is closed) until come_back()."""
        self.stop()

    def come_back(self) -> None:
        self.start(port=self._port)

    @property
    def is_up(self) -> bool:
        return self.server is not None

    def respond(self, status: int, body: bytes = b"") -> None:
        """The next request gets this answer (then the next queued one, then 200)."""
        self.answers.append((status, body))

    @property
    def base_url(self) -> str:
        return f"http://127.0.0.1:{self._port}"  # the same while it is down

    @property
    def senate_url(self) -> str:
        return self.base_url + SENATE_PATH

    def _answer(self, handler: BaseHTTPRequestHandler) -> None:
        url = urlparse(handler.path)
        query = parse_qs(url.query)
        length = int(handler.headers.get("Content-Length") or 0)
        body = handler.rfile.read(length)
        with self._lock:
            request = RecordedRequest(url.path, query, dict(handler.headers.items()), body, handler.command)
            self.requests.append(request)
            if url.path in self.redirects:
                handler.send_response(301)
                handler.send_header("Location", self.redirects[url.path])
                handler.send_header("Content-Length", "0")
                handler.end_headers()
                return
            if handler.command == "GET" and url.path == SENATE_OFFICES_PATH:
                status, payload = 200, json.dumps(self.senate_offices).encode()
            elif handler.command == "GET" and url.path.rstrip("/") in (*HOUSE_PATHS, SENATE_PATH.rstrip("/")):
                # A browsable API's page: what a client that followed a redirect with a GET gets.
                status, payload = 200, b"<html><body>CWC API</body></html>"
            elif self.in_maintenance and url.path in (*HOUSE_PATHS, SENATE_PATH):
                status, payload = 503, b"Service Unavailable: scheduled maintenance"
            elif url.path in HOUSE_PATHS:
                status, payload = self._house_answer(query, request)
            elif url.path == SENATE_PATH:
                status, payload = self._senate_answer(query, request)
            else:
                status, payload = 404, b"Not Found"
            if 200 <= status < 300 and handler.command == "POST" and url.path in (HOUSE_PATHS[0], SENATE_PATH):
                self.received.append(request.delivery_id)
        if self.delay and url.path in self.delay_paths:
            time.sleep(self.delay)  # saved already: a sender that stops waiting still delivered it
        try:
            handler.send_response(status)
            is_json = url.path == SENATE_OFFICES_PATH
            handler.send_header("Content-Type", "application/json" if is_json else "application/xml")
            handler.send_header("Content-Length", str(len(payload)))
            handler.end_headers()
            handler.wfile.write(payload)
        except (BrokenPipeError, ConnectionResetError):
            pass  # the sender stopped waiting: the message is saved all the same

    def _house_answer(self, query, request: RecordedRequest) -> tuple[int, bytes]:
        if query.get("apikey") != [self.api_key]:
            return 401, errors_body("Invalid API key")
        if self.answers:
            return self.answers.popleft()
        if errors := cwc_errors(request.body):
            return 400, errors_body(*errors)
        return 200, ACCEPTED

    def _senate_answer(self, query, request: RecordedRequest) -> tuple[int, bytes]:
        if query.get("apikey") != [self.senate_api_key]:
            return 401, errors_body("Invalid API key")
        if request.headers.get("Content-Type") != "application/xml":
            return 415, b"Unsupported Media Type"
        if self.answers:
            return self.answers.popleft()
        if errors := cwc_errors(request.body):
            return 400, errors_body(*errors)
        if request.delivery_id in self.senate_delivery_ids:
            return 409, errors_body(f"Duplicate DeliveryId {request.delivery_id}")
        self.senate_delivery_ids.add(request.delivery_id)
        return 201, ACCEPTED

    def start(self, port: int = 0) -> None:
        fake = self

        class Handler(BaseHTTPRequestHandler):
            def do_POST(self):  # noqa: N802 - http.server's hook name
                fake._answer(self)

            def do_GET(self):  # noqa: N802 - http.server's hook name
                fake._answer(self)

            def log_message(self, *args):
                pass

        self.server = ThreadingHTTPServer(("127.0.0.1", port), Handler)
        self._port = self.server.server_address[1]
        threading.Thread(target=self.server.serve_forever, daemon=True).start()

    def stop(self) -> None:
        if self.server:
            self.server.shutdown()
            self.server.server_close()
            self.server = None
