"""The donate page's blank form is rendered once and then taken from the cache; the CSRF token,
the thermometer and a submitted form are rendered for each visitor."""

import re

import pytest
from django.core.cache import cache
from django.core.cache.utils import make_template_fragment_key
from django.test import Client
from django.urls import reverse
from django.utils import translation

from donations.forms import DonationForm
from tests.staff.factories import with_amounts

from .conftest import make_donation

pytestmark = pytest.mark.django_db

TOKEN_RE = re.compile(r'name="csrfmiddlewaretoken" value="([^"]+)"')


def _fragment_key(appeal, language):
    with translation.override(language):
        return make_template_fragment_key("donation_form", [DonationForm(appeal=appeal).render_cache_key])


def test_second_visit_takes_the_form_from_the_cache_with_a_live_thermometer(appeal, django_assert_num_queries):
    url = reverse("donations:donate")
    first = Client().get(url)
    key = _fragment_key(appeal, first.wsgi_request.LANGUAGE_CODE)
    assert 'name="email"' in cache.get(key)
    cache.set(key, '<p id="from-cache">cached form</p>')  # proves the next page uses the cache
    make_donation(appeal, amount_cents=5000, paid_at="2026-01-01T00:00:00Z", status="succeeded")

    with django_assert_num_queries(1):
        second = Client().get(url)

    assert 'id="from-cache"' in second.text and 'name="email"' not in second.text
    assert "$50 raised of $1,000 (5%)" in second.text
    tokens = [TOKEN_RE.search(response.text).group(1) for response in (first, second)]
    assert tokens[0] != tokens[1]


def test_an_edit_to_the_appeal_shows_at_once(appeal):
    client = Client()
    client.get(reverse("donations:donate"))
    appeal.suggested_amounts.all().delete()
    with_amounts(appeal, [7700])
    appeal.save()  # as the admin does, saving the appeal with its buttons

    response = client.get(reverse("donations:donate"))

    assert 'value="7700"' in response.text and 'value="2500"' not in response.text


def test_a_form_with_errors_is_rendered_for_the_donor(appeal):
    client = Client()
    client.get(reverse("donations:donate"))

    response = client.post(reverse("donations:donate"), {"frequency": "once", "amount": "2500", "name": "Ana",
                                                         "email": "not-an-email"})

    assert response.status_code == 200
    assert 'value="Ana"' in response.text and "is-invalid" in response.text


def test_a_donor_served_the_cached_form_can_submit_it(appeal):
    """The cached fragment must hold no CSRF token: Django reads the last one in the form, and a
    token cached from the first visitor would make every later gift fail with 403."""
    url = reverse("donations:donate")
    Client().get(url)  # the first visitor renders and caches the form
    donor = Client(enforce_csrf_checks=True)
    page = donor.get(url)
    (token,) = TOKEN_RE.findall(page.text)  # one token, the donor's own

    response = donor.post(url, {"csrfmiddlewaretoken": token, "frequency": "once", "amount": "2500",
                                "name": "Ana", "email": "not-an-email"})

    assert response.status_code == 200  # the form's own answer, not CSRF's 403
    assert "Enter a valid email address." in response.text
