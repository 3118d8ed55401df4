"""Request ids are ours: a uuid4 made for each request, never the client's X-Request-ID. Finding 10:
a client-sent X-Request-ID went verbatim into every log line of its request."""

import logging
import re

import pytest
from log_request_id.filters import RequestIDFilter

FORGED = "0] ERROR django.security: forged line [x"


@pytest.mark.django_db
def test_the_request_id_in_log_lines_and_the_response_is_generated_not_the_clients(client, caplog):
    caplog.handler.addFilter(RequestIDFilter())
    with caplog.at_level(logging.WARNING, logger="django.request"):
        response = client.get("/no-such-page/", HTTP_X_REQUEST_ID=FORGED)
    assert response.status_code == 404
    ours = response["X-Request-ID"]
    assert re.fullmatch(r"[0-9a-f]{32}", ours)
    logged = [record.request_id for record in caplog.records if record.name == "django.request"]
    assert logged == [ours]
    assert FORGED not in caplog.text


@pytest.mark.django_db
def test_each_request_gets_its_own_id(client):
    ids = {client.get("/no-such-page/", HTTP_X_REQUEST_ID="same")["X-Request-ID"] for _ in range(3)}
    assert len(ids) == 3


@pytest.mark.django_db
def test_a_line_break_in_the_clients_request_id_breaks_nothing(client):
    response = client.get("/no-such-page/", HTTP_X_REQUEST_ID="a\r\nSet-Cookie: admin=1")
    assert response.status_code == 404
    assert "admin" not in response.cookies
