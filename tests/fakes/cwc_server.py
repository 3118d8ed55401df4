"""A local stand-in for Communicating with Congress (CWC): the House's API and the Senate's SOAPBox.

House: `POST /v2/message?apikey=KEY` (and `/v2/validate`) answers 200 with a short body when
accepted. Senate: `POST /api/testing-messages/?apikey=SENATE_KEY` answers 201 Created, 409 for a
DeliveryId it already has, 415 unless the body is sent as `application/xml`; `GET
/api/active_offices.json` lists the offices that take CWC. Both answer 400 with
`<Errors><Error>…</Error></Errors>` when the message is rejected and 401 for a wrong key. Tests
queue answers with `respond(status, body)` (each used once, then the default) and read every
request from `requests` (path, query, headers, body, and the DeliveryId parsed from the XML).
"""

import json
import threading
import xml.etree.ElementTree as ET
from collections import deque
from dataclasses import dataclass
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from urllib.parse import parse_qs, urlparse

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
        self._lock = threading.Lock()
        self.server: ThreadingHTTPServer | None = None

    def respond(self, status: int, body: bytes = b"") -> None:
        """The next request gets this answer (then the next queued one, then 200)."""
        self.answers.append((status, body))

    @property
    def base_url(self) -> str:
        host, port = self.server.server_address[:2]
        return f"http://{host}:{port}"

    @property
    def senate_url(self) -> str:
        return self.base_url + SENATE_PATH

    def _answer(self, handler: BaseHTTPRequestHandler) -> None:
        url = urlparse(handler.path)
        query = parse_qs(url.query)
        length = int(handler.headers.get("Content-Length") or 0)
        body = handler.rfile.read(length)
        with self._lock:
            request = RecordedRequest(url.path, query, dict(handler.headers.items()), body)
            self.requests.append(request)
            if handler.command == "GET" and url.path == SENATE_OFFICES_PATH:
                status, payload = 200, json.dumps(self.senate_offices).encode()
            elif url.path in HOUSE_PATHS:
                status, payload = self._house_answer(query)
            elif url.path == SENATE_PATH:
                status, payload = self._senate_answer(query, request)
            else:
                status, payload = 404, b"Not Found"
        handler.send_response(status)
        is_json = url.path == SENATE_OFFICES_PATH
        handler.send_header("Content-Type", "application/json" if is_json else "application/xml")
        handler.send_header("Content-Length", str(len(payload)))
        handler.end_headers()
        handler.wfile.write(payload)

    def _house_answer(self, query) -> tuple[int, bytes]:
        if query.get("apikey") != [self.api_key]:
            return 401, errors_body("Invalid API key")
        if self.answers:
            return self.answers.popleft()
        return 200, ACCEPTED

    def _senate_answer(self, query, request: RecordedRequest) -> tuple[int, bytes]:
        if query.get("apikey") != [self.senate_api_key]:
            return 401, errors_body("Invalid API key")
        if request.headers.get("Content-Type") != "application/xml":
            return 415, b"Unsupported Media Type"
        if self.answers:
            return self.answers.popleft()
        if request.delivery_id in self.senate_delivery_ids:
            return 409, errors_body(f"Duplicate DeliveryId {request.delivery_id}")
        self.senate_delivery_ids.add(request.delivery_id)
        return 201, ACCEPTED

    def start(self) -> None:
        fake = self

        class Handler(BaseHTTPRequestHandler):
            def do_POST(self):  # noqa: N802 - http.server's hook name
                fake._answer(self)

            def do_GET(self):  # noqa: N802 - http.server's hook name
                fake._answer(self)

            def log_message(self, *args):
                pass

        self.server = ThreadingHTTPServer(("127.0.0.1", 0), Handler)
        threading.Thread(target=self.server.serve_forever, daemon=True).start()

    def stop(self) -> None:
        if self.server:
            self.server.shutdown()
            self.server.server_close()
