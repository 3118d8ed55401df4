"""The private links' tokens (a letter's status page, an updates confirmation, a donor's one-time
portal link) are credentials: whoever reads one in a log could open that page. Django names the
path in its warnings (a failed CSRF check, a 404) and gunicorn's access log names every request's
path, so the redaction filter masks the token wherever such a line goes."""

import importlib.util
import logging

import pytest
from django.conf import settings
from django.test import Client
from django.urls import reverse
from django.utils import translation
from gunicorn.config import Config

from core.logging import RedactPersonalDataFilter

TOKEN = "Zq3xK9vLmN2pR7tYb4Wc8dEf"


class _Lines(logging.Handler):
    """Formats records as the stdout handler does (with the redaction filter) and keeps the lines."""

    def __init__(self):
        super().__init__()
        self.addFilter(RedactPersonalDataFilter())
        self.lines = []

    def emit(self, record):
        self.lines.append(self.format(record))


@pytest.fixture
def logged():
    handler = _Lines()
    loggers = [logging.getLogger(name) for name in ("django.security.csrf", "django.request")]
    for logger in loggers:
        logger.addHandler(handler)
    yield handler.lines
    for logger in loggers:
        logger.removeHandler(handler)


def _private_paths():
    paths = []
    for language in ("en", "es"):
        with translation.override(language):
            paths += [
                reverse("advocacy:letter_status", kwargs={"token": TOKEN}),
                reverse("advocacy:consent_confirm", kwargs={"token": TOKEN}),
                reverse("donations:manage_open", kwargs={"token": TOKEN}),
            ]
    return paths


@pytest.mark.django_db
@pytest.mark.parametrize("path", _private_paths())
def test_a_form_refused_by_its_csrf_check_logs_the_path_without_the_token(logged, path):
    response = Client(enforce_csrf_checks=True).post(path)
    assert response.status_code == 403
    assert logged and all(TOKEN not in line for line in logged), logged
    assert any("[token]" in line for line in logged)


@pytest.mark.django_db
@pytest.mark.parametrize("name", ["advocacy:letter_status", "advocacy:consent_confirm"])
def test_an_unknown_or_expired_link_logs_its_404_without_the_token(logged, name):
    assert Client().get(reverse(name, kwargs={"token": TOKEN})).status_code == 404
    assert logged and all(TOKEN not in line for line in logged), logged


@pytest.mark.parametrize("path", _private_paths())
def test_gunicorns_access_log_names_the_page_without_its_token(path):
    spec = importlib.util.spec_from_file_location("gunicorn_conf", settings.BASE_DIR / "config" / "gunicorn.py")
    gunicorn_conf = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(gunicorn_conf)
    cfg = Config()
    cfg.set("accesslog", "-")
    cfg.set("logger_class", gunicorn_conf.logger_class)
    logger = cfg.logger_class(cfg)
    line = f'127.0.0.1 - - [02/Dec/2026:19:00:00 +0000] "GET {path}?x=1 HTTP/1.1" 200 512 "-" "Mozilla/5.0"'
    record = logging.LogRecord("gunicorn.access", logging.INFO, __file__, 1, line, None, None)

    (handler,) = logger.access_log.handlers
    assert handler.filter(record)
    shown = handler.format(record)

    assert TOKEN not in shown and "[token]" in shown
    assert "Mozilla/5.0" in shown  # the rest of the line is kept
