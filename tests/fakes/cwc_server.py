"""A local stand-in for the House's Communicating with Congress (CWC) API.

It answers `POST /v2/message?apikey=KEY` (and `/v2/validate`) as the CWC documents describe:
200 with a short body when accepted, 400 with `<Errors><Error>…</Error></Errors>` when the message
is rejected, 401 for a wrong key. Tests queue answers with `respond(status, body)` (each used once,
then the default 200) and read every request from `requests` (path, query, headers, body, and the
DeliveryId parsed from the XML).
"""

import threading
import xml.etree.ElementTree as ET
from collections import deque
from dataclasses import dataclass
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from urllib.parse import parse_qs, urlparse

ACCEPTED = b"<?xml version='1.0' encoding='UTF-8'?><Response><Status>Accepted</Status></Response>"


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
    def __init__(self, api_key: str = "test-key"):
        self.api_key = api_key
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

    def _answer(self, handler: BaseHTTPRequestHandler) -> None:
        url = urlparse(handler.path)
        length = int(handler.headers.get("Content-Length") or 0)
        body = handler.rfile.read(length)
        with self._lock:
            self.requests.append(RecordedRequest(url.path, parse_qs(url.query), dict(handler.headers.items()), body))
            if parse_qs(url.query).get("apikey") != [self.api_key]:
                status, payload = 401, errors_body("Invalid API key")
            elif url.path not in ("/v2/message", "/v2/validate"):
                status, payload = 404, b"Not Found"
            elif self.answers:
                status, payload = self.answers.popleft()
            else:
                status, payload = 200, ACCEPTED
        handler.send_response(status)
        handler.send_header("Content-Type", "application/xml")
        handler.send_header("Content-Length", str(len(payload)))
        handler.end_headers()
        handler.wfile.write(payload)

    def start(self) -> None:
        fake = self

        class Handler(BaseHTTPRequestHandler):
            def do_POST(self):  # noqa: N802 - http.server's hook name
                fake._answer(self)

            def log_message(self, *args):
                pass

        self.server = ThreadingHTTPServer(("127.0.0.1", 0), Handler)
        threading.Thread(target=self.server.serve_forever, daemon=True).start()

    def stop(self) -> None:
        if self.server:
            self.server.shutdown()
            self.server.server_close()
