"""Settings for the test run (pytest's DJANGO_SETTINGS_MODULE) and every process it starts.

The test run keeps apart from a `make run` site on the same machine: its own database file, broker
folder, queue and cache, so a `make run` worker never takes a test's task and vice versa. These are
set as environment defaults before the base settings read them, so a worker or web server a test
starts (it inherits the environment) reads exactly the same values. Several test runs on one machine
(two checkouts, or parallel helpers) keep apart by setting CAMINO_TEST_ID.
"""

import os

_TEST_ID = os.environ.get("CAMINO_TEST_ID", "")
_SUFFIX = f"-{_TEST_ID}" if _TEST_ID else ""

# Tests run the local site's defaults (console delivery, the demo processor...); the production
# checks have tests of their own that start manage.py with DJANGO_DEBUG=false.
os.environ.setdefault("DJANGO_DEBUG", "true")
os.environ.setdefault("CELERY_QUEUE", f"camino-test{_SUFFIX}")
# No test reaches the internet: geocoder tests point this at tests/fakes/census_geocoder.py.
os.environ.setdefault("CENSUS_GEOCODER_URL", "")

from .environment import VAR_DIR  # noqa: E402

os.environ.setdefault("CELERY_BROKER_FOLDER", str(VAR_DIR / f"test-broker{_SUFFIX}"))
os.environ.setdefault("CACHE_URL", f"filecache://{VAR_DIR / f'test-cache{_SUFFIX}'}")

from .base import *  # noqa: E402, F403
from .base import DATABASES  # noqa: E402

if DATABASES["default"]["ENGINE"] == "django.db.backends.sqlite3":
    # A file, not memory: a Celery worker in another process must see what the tests commit.
    DATABASES["default"]["TEST"] = {"NAME": str(VAR_DIR / f"test_camino{_SUFFIX}.sqlite3")}
elif _TEST_ID:
    DATABASES["default"]["TEST"] = {"NAME": f"test_{DATABASES['default']['NAME']}_{_TEST_ID}"}

# Hashing with a fast algorithm keeps tests that create users quick; never used outside tests.
PASSWORD_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]
