import logging

import pytest
from django.core.management import call_command
from django.test import RequestFactory
from django.urls import reverse

from core import errors
from core.logging import RedactPersonalDataFilter


@pytest.mark.django_db
def test_home_has_the_navigation_and_give_today(client):
    response = client.get("/")
    assert response.status_code == 200
    html = response.content.decode()
    for label in ["Stories", "Agenda for Action", "Tell Congress", "Give Today", "Skip to main content"]:
        assert label in html
    assert reverse("donations:donate") in html
    assert "/static/bootstrap/css/bootstrap.min.css" in html


@pytest.mark.django_db
def test_bootstrap_is_served_locally(client):
    response = client.get("/static/bootstrap/css/bootstrap.min.css")
    assert response.status_code == 200
    body = b"".join(response.streaming_content) if response.streaming else response.content
    assert b"Bootstrap" in body[:500]


@pytest.mark.django_db
def test_unknown_page_is_the_site_404(client):
    response = client.get("/no-such-page/")
    assert response.status_code == 404
    assert "find that page" in response.content.decode()
    assert "Give Today" in response.content.decode()


def test_server_error_page_renders_without_the_database():
    response = errors.server_error(RequestFactory().get("/"))
    assert response.status_code == 500
    assert "Something went wrong" in response.content.decode()


@pytest.mark.django_db
def test_responses_carry_a_request_id(client):
    response = client.get("/")
    assert len(response["X-Request-ID"]) >= 16


def test_log_lines_do_not_carry_email_addresses():
    record = logging.LogRecord("x", logging.INFO, __file__, 1, "sent to %s", ("ana@example.org",), None)
    RedactPersonalDataFilter().filter(record)
    assert record.getMessage() == "sent to [email]"


@pytest.mark.django_db
def test_seed_demo_twice_changes_nothing(settings):
    settings.DEBUG = True
    from django.apps import apps

    call_command("seed_demo")
    counts = {m._meta.label: m.objects.count() for m in apps.get_models()}
    call_command("seed_demo")
    assert counts == {m._meta.label: m.objects.count() for m in apps.get_models()}
    assert counts["accounts.User"] >= 1


@pytest.mark.django_db
def test_favicon_ico_points_at_the_site_icon(client):
    response = client.get("/favicon.ico")
    assert response.status_code == 301
    assert response["Location"].endswith("img/favicon.svg")


def test_a_spanish_browser_gets_one_language_not_a_mix(client, db):
    """No Spanish catalog yet: the page must say it is English and Django's own messages must be
    English too, not Spanish ones under English labels (and lang="es" on English text, which
    screen readers would read with Spanish pronunciation)."""
    from donations.models import Appeal

    Appeal.objects.create(title="Children on the move", slug="children", text="Why.", is_default=True)
    # The form's own messages are Camino's; an invalid email gets Django's stock message.
    response = client.post("/donate/", {"frequency": "once", "email": "not-an-address"},
                           HTTP_ACCEPT_LANGUAGE="es-MX,es;q=0.9")
    assert '<html lang="en">' in response.text
    assert "Enter a valid email address." in response.text
    assert "Introduzca una dirección de correo electrónico válida." not in response.text
