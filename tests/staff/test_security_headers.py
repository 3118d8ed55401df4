"""Content-Security-Policy and the other security headers, on public pages and in the admin."""

import re
from pathlib import Path

import pytest
from django.conf import settings
from django.urls import reverse

from tests.core.test_settings import PRODUCTION_ENV, run_django


def policy(response) -> dict[str, list[str]]:
    header = response["Content-Security-Policy"]
    directives = {}
    for part in header.split(";"):
        name, *values = part.split()
        directives[name] = values
    return directives


@pytest.mark.django_db
def test_public_pages_have_a_strict_content_security_policy(client):
    response = client.get("/")
    assert response.status_code == 200
    csp = policy(response)
    assert "'unsafe-inline'" not in response["Content-Security-Policy"]
    assert "'unsafe-eval'" not in response["Content-Security-Policy"]
    assert csp["default-src"] == ["'self'"]
    assert csp["script-src"][0] == "'self'"
    assert csp["style-src"] == ["'self'"]
    assert csp["object-src"] == ["'none'"]
    assert csp["frame-ancestors"] == ["'none'"]
    assert csp["base-uri"] == ["'self'"]


@pytest.mark.django_db
def test_public_pages_send_the_other_security_headers(client):
    response = client.get("/")
    assert response["Cross-Origin-Opener-Policy"] == "same-origin"
    assert response["X-Content-Type-Options"] == "nosniff"
    assert response["Referrer-Policy"] == "same-origin"
    assert response["X-Frame-Options"] == "DENY"
    permissions = response["Permissions-Policy"]
    for feature in ("camera=()", "microphone=()", "geolocation=()", "payment=()"):
        assert feature in permissions


@pytest.mark.django_db
def test_the_admin_relaxes_inline_styles_only(client, staffer):
    client.force_login(staffer)
    for url in (reverse("admin:login"), reverse("admin:index"), reverse("admin:two_factor_setup")):
        response = client.get(url, follow=True)
        csp = policy(response)
        assert csp["style-src"] == ["'self'", "'unsafe-inline'"], url
        assert csp["script-src"][0] == "'self'"
        assert "'unsafe-inline'" not in csp["script-src"], url
        assert csp["frame-ancestors"] == ["'none'"]


@pytest.mark.django_db
def test_an_unknown_admin_address_gets_the_admin_policy_and_a_public_404_the_strict_one(client, staffer):
    client.force_login(staffer)
    assert "'unsafe-inline'" in client.get("/admin/no-such-page/", follow=True)["Content-Security-Policy"]
    response = client.get("/no-such-page/")
    assert response.status_code == 404
    assert "'unsafe-inline'" not in response["Content-Security-Policy"]


def test_production_policy_upgrades_insecure_requests():
    code = "from django.conf import settings; print(settings.CONTENT_SECURITY_POLICY['DIRECTIVES'])"
    result = run_django(["shell", "-c", code], PRODUCTION_ENV)
    assert result.returncode == 0, result.stderr
    assert "'upgrade-insecure-requests': True" in result.stdout


INLINE = [
    (re.compile(r"<script(?![^>]*\bsrc=)[^>]*>", re.I), "an inline <script>"),
    (re.compile(r"<style\b", re.I), "a <style> element"),
    (re.compile(r"\sstyle\s*=", re.I), 'a style="" attribute'),
    (re.compile(r"\son[a-z]+\s*=", re.I), "an inline event handler"),
    (re.compile(r"javascript:", re.I), "a javascript: URL"),
]


def test_no_template_of_the_public_site_needs_unsafe_inline():
    """What the strict policy would block, found before a browser does. The admin's own templates
    run under the admin policy and are left out."""
    root = Path(settings.BASE_DIR)
    templates = [
        path for path in root.glob("**/templates/**/*.html")
        if ".venv" not in path.parts and "admin" not in path.relative_to(root).parts
    ]
    assert templates
    offenses = [
        f"{path.relative_to(root)}: {what}"
        for path in templates
        for pattern, what in INLINE
        if pattern.search(path.read_text())
    ]
    assert offenses == []


@pytest.mark.django_db
def test_the_policy_lists_only_what_pages_use(client):
    """No page loads Stripe.js or frames a Stripe page (Checkout and the portal are redirects), so
    no Stripe host may run scripts, be framed or be fetched; the redirects after a form post stay."""
    header = client.get("/")["Content-Security-Policy"]
    csp = policy(client.get("/"))
    assert "js.stripe.com" not in header and "hooks.stripe.com" not in header and "api.stripe.com" not in header
    assert csp["script-src"] == ["'self'"]
    assert csp["connect-src"] == ["'self'"]
    assert csp["frame-src"] == ["'none'"]
    assert "https://checkout.stripe.com" in csp["form-action"]


@pytest.mark.django_db
def test_forms_may_post_to_stripe_checkout_and_the_portal_by_default(client):
    csp = policy(client.get("/"))
    assert csp["form-action"] == ["'self'", "https://checkout.stripe.com", "https://billing.stripe.com"]


def test_the_checkout_domain_in_the_policy_comes_from_settings():
    """An account on Stripe's custom checkout domain: the redirect after the donate form must be
    allowed to reach it, and nothing else is added."""
    code = "from django.conf import settings; print(settings.CONTENT_SECURITY_POLICY['DIRECTIVES']['form-action'])"
    env = {**PRODUCTION_ENV, "STRIPE_CHECKOUT_DOMAINS": "pay.camino.example.org, https://billing.camino.example.org/"}
    result = run_django(["shell", "-c", code], env)
    assert result.returncode == 0, result.stderr
    assert result.stdout.strip().splitlines()[-1] == (
        "[\"'self'\", 'https://pay.camino.example.org', 'https://billing.camino.example.org']"
    )
