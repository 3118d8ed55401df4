"""A local stand-in for the US Census geocoder's `geographies/address` endpoint.

It answers GET /geocoder/geographies/address?street=&city=&state=&zip=&benchmark=&vintage=&format=json
in the Census JSON format: `result.input` echoing the request, `result.addressMatches[]` each with
`matchedAddress`, `coordinates`, `tigerLine`, `addressComponents` and `geographies`, where the
congressional district is in a layer named "<n>th Congressional Districts" with the fields the
Census sends (GEOID, STATE, CD<n>, BASENAME, NAME, CDSESSN...). An unknown address gets an empty
`addressMatches` list, as the real service answers; a missing street gets its 400 error body.

Tests register addresses with `add_address(...)`, make the server fail with `fail_with(500)`, or
make it take requests and never answer with `hang()` (a geocoder that is down behind a load
balancer that still accepts connections), or answer a byte at a time with `trickle()`; `stop()`
lets the held requests go. Every request is kept in `requests` (the parsed query string) so tests
can check what was sent.
"""

import json
import threading
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from urllib.parse import parse_qs, urlparse

PATH = "/geocoder/geographies/address"

_FIPS = {
    "AK": "02", "AL": "01", "AZ": "04", "CA": "06", "DC": "11", "NY": "36", "PR": "72", "TX": "48",
    "VT": "50", "WA": "53", "WY": "56", "MA": "25", "RI": "44", "CO": "08", "GU": "66",
}


def _key(street: str, zip_code: str) -> tuple[str, str]:
    return " ".join(street.upper().split()), zip_code.strip()[:5]


class CensusGeocoderFake:
    def __init__(self, congress: int = 119):
        self.congress = congress
        self.addresses: dict[tuple[str, str], list[dict]] = {}
        self.requests: list[dict[str, str]] = []
        self.failure: tuple[int, str] | None = None
        self.hanging = False
        self.trickling = False
        self._release = threading.Event()
        self.server: ThreadingHTTPServer | None = None
        self.thread: threading.Thread | None = None

    # --- what tests configure -------------------------------------------------------------------

    def add_address(self, *, street: str, city: str, state: str, zip_code: str, district: str,
                    congress: int | None = None, extra_matches: list[dict] | None = None) -> None:
        """Register an address and its district code as the Census writes it ("07", "00" at-large,
        "98" for DC's delegate)."""
        match = self.match(street=street, city=city, state=state, zip_code=zip_code, district=district,
                           congress=congress or self.congress)
        self.addresses[_key(street, zip_code)] = [match, *(extra_matches or [])]

    def match(self, *, street: str, city: str, state: str, zip_code: str, district: str, congress: int) -> dict:
        fips = _FIPS[state]
        number = district if district.isdigit() else "ZZ"
        layer = {
            "GEOID": f"{fips}{number}",
            "CDSESSN": str(congress),
            "CENTLAT": "+47.6205063",
            "CENTLON": "-122.3492774",
            "INTPTLAT": "+47.6205063",
            "INTPTLON": "-122.3492774",
            "AREALAND": 284532117,
            "AREAWATER": 71386203,
            "BASENAME": "Delegate District (at Large)" if district == "98"
            else "Congressional District (at Large)" if district == "00" else str(int(district)),
            "NAME": f"Congressional District {int(district)}" if district not in ("00", "98")
            else "Congressional District (at Large)",
            "LSADC": "C2",
            "FUNCSTAT": "N",
            "MTFCC": "G5200",
            "OID": "2759040346431",
            "OBJECTID": 312,
            "STATE": fips,
            f"CD{congress}": district,
        }
        suffix = {1: "st", 2: "nd", 3: "rd"}.get(congress % 10 if congress % 100 not in (11, 12, 13) else 0, "th")
        return {
            "tigerLine": {"side": "L", "tigerLineId": "638630417"},
            "coordinates": {"x": -122.34927, "y": 47.62051},
            "addressComponents": {
                "zip": zip_code, "streetName": street.split(" ", 1)[-1].upper(), "preType": "", "city": city.upper(),
                "preDirection": "", "suffixDirection": "", "fromAddress": "400", "state": state, "suffixType": "",
                "toAddress": "498", "suffixQualifier": "", "preQualifier": "",
            },
            "matchedAddress": f"{street.upper()}, {city.upper()}, {state}, {zip_code}",
            "geographies": {
                "States": [{"STATE": fips, "STUSAB": state, "GEOID": fips, "NAME": state, "BASENAME": state}],
                "Counties": [{"STATE": fips, "COUNTY": "033", "GEOID": f"{fips}033", "NAME": "Demo County"}],
                f"{congress}{suffix} Congressional Districts": [layer],
            },
        }

    def fail_with(self, status: int, body: str = "<html><body>Service Unavailable</body></html>") -> None:
        self.failure = (status, body)

    def hang(self) -> None:
        """Accept every request and never answer it (until `stop()`)."""
        self.hanging = True

    def trickle(self) -> None:
        """Answer 200 with a JSON body that arrives one space every 0.1 s and never ends (until `stop()`)."""
        self.trickling = True

    # --- the server -----------------------------------------------------------------------------

    @property
    def url(self) -> str:
        host, port = self.server.server_address[:2]
        return f"http://{host}:{port}{PATH}"

    def start(self) -> None:
        fake = self

        class Handler(BaseHTTPRequestHandler):
            def log_message(self, *args):  # keep test output quiet
                pass

            def do_GET(self):  # noqa: N802 - http.server's hook name
                parsed = urlparse(self.path)
                query = {name: values[-1] for name, values in parse_qs(parsed.query).items()}
                fake.requests.append(query)
                if fake.hanging:
                    fake._release.wait()
                    return None
                if fake.trickling:
                    self.send_response(200)
                    self.send_header("Content-Type", "application/json;charset=utf-8")
                    self.send_header("Content-Length", "100000")
                    self.end_headers()
                    while not fake._release.wait(0.1):
                        try:
                            self.wfile.write(b" ")
                            self.wfile.flush()
                        except OSError:  # the client gave up
                            return None
                    return None
                if parsed.path != PATH:
                    return self._send(404, {"errors": ["Not found"], "status": "404"})
                if fake.failure is not None:
                    status, body = fake.failure
                    return self._send_raw(status, body.encode(), "text/html")
                missing = [name for name in ("street", "benchmark", "vintage") if not query.get(name)]
                if missing:
                    return self._send(400, {"errors": [f"{name} cannot be empty" for name in missing],
                                            "status": "400"})
                matches = fake.addresses.get(_key(query["street"], query.get("zip", "")), [])
                self._send(200, {
                    "result": {
                        "input": {
                            "address": {name: query.get(name, "") for name in ("street", "city", "state", "zip")},
                            "benchmark": {"isDefault": False, "benchmarkDescription": "Public Address Ranges - "
                                          "Current Benchmark", "id": "4", "benchmarkName": query["benchmark"]},
                            "vintage": {"isDefault": True, "vintageName": query["vintage"], "id": "4",
                                        "vintageDescription": "Current Vintage - Current Benchmark"},
                        },
                        "addressMatches": matches,
                    }
                })

            def _send(self, status: int, payload: dict) -> None:
                self._send_raw(status, json.dumps(payload).encode(), "application/json;charset=utf-8")

            def _send_raw(self, status: int, body: bytes, content_type: str) -> None:
                self.send_response(status)
                self.send_header("Content-Type", content_type)
                self.send_header("Content-Length", str(len(body)))
                self.end_headers()
                self.wfile.write(body)

        self.server = ThreadingHTTPServer(("127.0.0.1", 0), Handler)
        self.thread = threading.Thread(target=self.server.serve_forever, kwargs={"poll_interval": 0.05},
                                       daemon=True)
        self.thread.start()

    def stop(self) -> None:
        self._release.set()
        if self.server is not None:
            self.server.shutdown()
            self.server.server_close()
            self.server = None
