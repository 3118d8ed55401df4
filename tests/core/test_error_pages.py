"""The error pages (core/errors.py): the site's design on public addresses, in the visitor's
language, and the admin's look under /admin/ (issue 13: "the admin's 403 pages are unstyled").

pytest-django runs with DEBUG=False, so these are the pages production shows, not Django's debug ones.
"""

import pytest
from django.test import Client, RequestFactory
from django.utils import translation

from core import errors
from staff.roles import CONTENT_EDITORS
from tests.staff.conftest import make_staff  # noqa: F401 - the fixture

pytestmark = pytest.mark.urls("tests.core.error_urls")

SITE_CSS = "/static/css/camino.css"
ADMIN_CSS = "/static/admin/css/base.css"


def _templates(response) -> list[str]:
    return [template.name for template in response.templates]


def _html(response) -> str:
    return response.content.decode()


# ---- Public pages ---------------------------------------------------------------------------------


@pytest.mark.django_db
@pytest.mark.parametrize(
    ("prefix", "lang", "heading"),
    [("", "en", "find that page"), ("/es", "es", "No encontramos esa página")],
)
def test_a_missing_page_is_the_site_404_in_its_language(client, prefix, lang, heading):
    response = client.get(f"{prefix}/no-such-page/")
    assert response.status_code == 404
    assert "404.html" in _templates(response) and "base.html" in _templates(response)
    html = _html(response)
    assert f'<html lang="{lang}">' in html and heading in html and SITE_CSS in html


@pytest.mark.parametrize(
    ("prefix", "lang", "heading", "home"),
    [
        ("", "en", "Something went wrong on our side", 'href="/"'),
        ("/es", "es", "Algo salió mal de nuestro lado", 'href="/es/"'),
    ],
)
def test_a_failing_view_gives_the_site_500_in_its_language(db, prefix, lang, heading, home):
    response = Client(raise_request_exception=False).get(f"{prefix}/broken/")
    assert response.status_code == 500
    assert _templates(response) == ["500.html", "error_base.html"]
    html = _html(response)
    assert f'<html lang="{lang}">' in html and heading in html and SITE_CSS in html and home in html


@pytest.mark.parametrize("prefix", ["", "/es"])
def test_a_refused_request_gives_the_site_400(db, prefix):
    response = Client(raise_request_exception=False).get(f"{prefix}/suspicious/")
    assert response.status_code == 400
    assert _templates(response) == ["400.html", "error_base.html"]
    assert SITE_CSS in _html(response)


@pytest.mark.django_db
@pytest.mark.parametrize(("prefix", "heading"), [("", "This form has expired"), ("/es", "Este formulario caducó")])
def test_a_form_sent_without_its_csrf_cookie_gets_the_site_page_saying_what_to_do(prefix, heading):
    response = Client(enforce_csrf_checks=True).post(f"{prefix}/donate/", {"amount": "25"})
    assert response.status_code == 403
    assert "403_csrf.html" in _templates(response) and "base.html" in _templates(response)
    assert heading in _html(response) and SITE_CSS in _html(response)


@pytest.mark.parametrize("path", ["/", "/es/", "/admin/"])
def test_the_500_page_needs_no_database_and_no_request_context(path):
    """No db fixture: pytest-django refuses any query, so one would fail this test."""
    request = RequestFactory().get(f"{path}broken/")
    with translation.override("es" if path == "/es/" else "en"):
        response = errors.server_error(request)
    assert response.status_code == 500
    assert (ADMIN_CSS if path == "/admin/" else SITE_CSS) in _html(response)


# ---- The admin ------------------------------------------------------------------------------------


@pytest.mark.parametrize(("language", "title"), [("en", "Permission denied"), ("es", "Permiso denegado")])
def test_a_staff_user_refused_an_admin_page_gets_the_admin_403(client, make_staff, language, title):  # noqa: F811
    client.cookies["django_language"] = language
    client.force_login(make_staff("editor", CONTENT_EDITORS))  # editors never see money
    response = client.get("/admin/donations/donation/")
    assert response.status_code == 403
    assert _templates(response)[:3] == ["admin/403.html", "admin/base_site.html", "admin/base_site.html"]
    html = _html(response)
    assert f"<h1>{title}</h1>" in html and ADMIN_CSS in html and "/static/css/staff.css" in html
    assert 'href="/admin/stories/story/"' in html  # the sidebar: what this editor may open instead


def test_an_unknown_admin_address_gets_the_admin_404(client, make_staff):  # noqa: F811
    client.force_login(make_staff("editor", CONTENT_EDITORS))
    response = client.get("/admin/donations/")  # an app index this role has no model of
    assert response.status_code == 404
    assert "admin/404.html" in _templates(response)
    assert "<h1>Page not found</h1>" in _html(response) and ADMIN_CSS in _html(response)


def test_a_failing_admin_view_gets_the_admin_500(db):
    response = Client(raise_request_exception=False).get("/admin/broken/")
    assert response.status_code == 500
    assert _templates(response)[0] == "admin/500.html"
    assert "<h1>Server error</h1>" in _html(response) and ADMIN_CSS in _html(response)


def test_a_refused_admin_request_gets_the_admin_400(db):
    response = Client(raise_request_exception=False).get("/admin/suspicious/")
    assert response.status_code == 400
    assert _templates(response)[0] == "admin/400.html" and ADMIN_CSS in _html(response)


@pytest.mark.django_db
def test_an_admin_form_without_its_csrf_cookie_gets_the_admin_page():
    response = Client(enforce_csrf_checks=True).post("/admin/login/", {"username": "a", "password": "b"})
    assert response.status_code == 403
    assert _templates(response)[0] == "admin/403_csrf.html"
    assert "<h1>This form has expired</h1>" in _html(response) and ADMIN_CSS in _html(response)
