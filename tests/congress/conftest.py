"""Fixtures for the Congress tests: the real data files, a local file server for --url, the Census
geocoder stand-in, and small rosters built from the demo seed."""

import functools
import io
import threading
from http.server import SimpleHTTPRequestHandler, ThreadingHTTPServer
from pathlib import Path

import pytest

from tests.conftest import require_service
from tests.fakes.census_geocoder import CensusGeocoderFake

DATA_DIR = Path("/work/shared/data/congress")
REAL_FILES = ("legislators-current.yaml", "legislators-current.json", "zccd.csv")


@pytest.fixture
def congress_data() -> Path:
    """The real congress-legislators and zccd.csv files (skipped outside CI when absent)."""
    require_service(all((DATA_DIR / name).is_file() for name in REAL_FILES), f"the data files in {DATA_DIR}")
    return DATA_DIR


class _QuietHandler(SimpleHTTPRequestHandler):
    def log_message(self, *args):
        pass


@pytest.fixture
def file_server(tmp_path):
    """A local HTTP server for a folder: `file_server.url(name)`; put files in `file_server.root`."""
    root = tmp_path / "served"
    root.mkdir()
    server = ThreadingHTTPServer(("127.0.0.1", 0), functools.partial(_QuietHandler, directory=str(root)))
    thread = threading.Thread(target=server.serve_forever, kwargs={"poll_interval": 0.05}, daemon=True)
    thread.start()

    class Served:
        def __init__(self):
            self.root = root

        def url(self, name: str) -> str:
            return f"http://127.0.0.1:{server.server_address[1]}/{name}"

    yield Served()
    server.shutdown()
    server.server_close()


@pytest.fixture
def census_geocoder(settings):
    """The Census geocoder stand-in, with settings pointing at it."""
    fake = CensusGeocoderFake(congress=settings.CONGRESS_NUMBER)
    fake.start()
    settings.CENSUS_GEOCODER_URL = fake.url
    yield fake
    fake.stop()


@pytest.fixture
def demo_roster(db):
    """The demo members and ZIP rows: one-district, two-district, at-large, DC and vacant-seat ZIPs."""
    from congress import demo

    demo.seed(stdout=io.StringIO())
    return demo
