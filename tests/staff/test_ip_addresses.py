"""No client address is stored in the clear: django-axes keeps a keyed hash of it (a pseudonym in
fd00::/8, which PostgreSQL's inet column takes), and lockouts still count per address."""

import ipaddress

import pytest
from axes.models import AccessAttempt, AccessLog
from django.urls import reverse

from core.client_ip import ip_pseudonym

from .conftest import PASSWORD

LOGIN = reverse("admin:login")
INDEX = reverse("admin:index")
ADDRESS = "198.51.100.23"


def login(client, username, password):
    data = {"username": username, "password": password, "otp_token": "", "next": INDEX}
    return client.post(f"{LOGIN}?next={INDEX}", data, REMOTE_ADDR=ADDRESS)


def stored_addresses() -> list[str]:
    return [str(a) for model in (AccessAttempt, AccessLog) for a in model.objects.values_list("ip_address", flat=True)]


@pytest.mark.django_db
def test_failed_and_successful_logins_store_no_address_in_the_clear(client, staffer, settings):
    assert login(client, staffer.username, "wrong").status_code == 200
    assert login(client, staffer.username, PASSWORD).status_code == 302
    client.logout()
    login(client, staffer.username, "wrong")

    addresses = stored_addresses()
    assert AccessLog.objects.exists() and AccessAttempt.objects.exists()
    assert ADDRESS not in addresses
    assert set(addresses) == {ip_pseudonym(ADDRESS)}
    assert ipaddress.ip_address(ip_pseudonym(ADDRESS)) in ipaddress.ip_network("fd00::/8")


def test_the_pseudonym_is_keyed_and_tells_addresses_apart(settings):
    first = ip_pseudonym(ADDRESS)
    assert first == ip_pseudonym(ADDRESS) and first != ip_pseudonym("198.51.100.24")
    settings.SECRET_KEY = "another-" + "k" * 60
    assert ip_pseudonym(ADDRESS) != first  # without the key nobody can hash guesses to match
    assert ip_pseudonym("") == ""
