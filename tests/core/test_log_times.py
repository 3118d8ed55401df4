"""Every log line's time is UTC: Django's (and Celery's, through LOGGING) and gunicorn's."""

import importlib.util
import logging
import os
import time

import pytest
from django.conf import settings
from gunicorn.config import Config

from core.logging import UTCFormatter

NOON_UTC = 1767268800.0  # 2026-01-01 12:00:00 UTC, 07:00 in New York


@pytest.fixture
def new_york_tz():
    """What Django does with TIME_ZONE = "America/New_York": the process's local time moves."""
    before = os.environ.get("TZ")
    os.environ["TZ"] = "America/New_York"
    time.tzset()
    yield
    if before is None:
        del os.environ["TZ"]
    else:
        os.environ["TZ"] = before
    time.tzset()


def test_utc_formatter_writes_utc_even_when_the_process_is_in_new_york(new_york_tz):
    record = logging.LogRecord("camino", logging.INFO, __file__, 1, "hello", None, None)
    record.created, record.msecs = NOON_UTC, 5

    line = UTCFormatter("%(asctime)s %(message)s").format(record)

    assert line == "2026-01-01 12:00:00,005 +0000 hello"


def test_gunicorn_logs_and_access_log_times_are_utc(new_york_tz):
    spec = importlib.util.spec_from_file_location("gunicorn_conf", settings.BASE_DIR / "config" / "gunicorn.py")
    gunicorn_conf = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(gunicorn_conf)
    cfg = Config()
    cfg.set("accesslog", "-")
    cfg.set("logger_class", gunicorn_conf.logger_class)

    logger = cfg.logger_class(cfg)

    assert logger.now().endswith(" +0000]")
    for log in (logger.error_log, logger.access_log):
        for handler in log.handlers:
            assert handler.formatter.converter is time.gmtime
    error_handler = logger.error_log.handlers[0]
    record = logging.LogRecord("gunicorn.error", logging.INFO, __file__, 1, "Booting", None, None)
    record.created = NOON_UTC
    assert error_handler.formatter.format(record).startswith("[2026-01-01 12:00:00 +0000]")
