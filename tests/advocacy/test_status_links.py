"""Private status links: a random token (stored only as a hash) that expires and can be revoked."""

import hashlib
import re
from datetime import timedelta

import pytest
from django.core import signing
from django.urls import reverse
from django.utils import timezone

from advocacy import services
from advocacy.models import Letter, StatusLink

from .conftest import sign

pytestmark = pytest.mark.django_db


def emailed_status_path(mailoutbox) -> str:
    return re.search(r"https?://[^/\s]+(/act/status/[^\s]+/)", mailoutbox[-1].body).group(1)


def test_the_emailed_link_carries_no_letter_id_and_only_its_hash_is_stored(client, seattle, campaign, mailoutbox):
    letter = sign(campaign).letter
    services.letter_confirmation_send(letter_id=letter.pk)
    path = emailed_status_path(mailoutbox)
    token = path.split("/")[-2]

    assert client.get(path).status_code == 200
    # The old link was the letter's id, signed: readable by anyone who saw the address.
    assert len(token) >= 40 and ":" not in token
    with pytest.raises(signing.BadSignature):
        signing.loads(token, salt="advocacy.letter-status")
    assert client.get(reverse("advocacy:letter_status", args=[signing.dumps(letter.pk, salt="x")])).status_code == 404
    (link,) = StatusLink.objects.filter(letter=letter)
    assert link.token_hash == hashlib.sha256(token.encode()).hexdigest()
    assert token not in str(list(StatusLink.objects.values()))


def test_a_link_of_the_old_signed_kind_opens_nothing(client, seattle, campaign):
    letter = sign(campaign).letter
    old = signing.dumps(letter.pk, salt="advocacy.letter-status")
    assert client.get(reverse("advocacy:letter_status", args=[old])).status_code == 404


def test_a_link_expires_after_the_setting(client, seattle, campaign, settings):
    settings.ADVOCACY_STATUS_LINK_DAYS = 30
    letter = sign(campaign).letter
    url = services.letter_status_url(letter)
    link = StatusLink.objects.get()
    assert timedelta(days=30) - timedelta(seconds=5) < link.expires_at - link.created_at <= timedelta(days=30)
    assert client.get(url).status_code == 200
    StatusLink.objects.update(expires_at=timezone.now() - timedelta(seconds=1))
    assert client.get(url).status_code == 404


def test_revoking_stops_every_link_of_the_letter_and_no_other(client, seattle, campaign):
    letter = sign(campaign).letter
    other = sign(campaign, email="ben@example.org").letter
    first, second, others = (
        services.letter_status_url(letter),
        services.letter_status_url(letter),
        (services.letter_status_url(other)),
    )

    assert services.letter_status_links_revoke(letter_ids=[letter.pk]) == 2

    assert client.get(first).status_code == client.get(second).status_code == 404
    assert client.get(others).status_code == 200


def test_staff_revoke_links_from_the_letter_list(admin_client, client, seattle, campaign):
    letter = sign(campaign).letter
    url = services.letter_status_url(letter)
    response = admin_client.post(
        reverse("admin:advocacy_letter_changelist"),
        {"action": "revoke_status_links", "_selected_action": [letter.pk]},
        follow=True,
    )
    assert "1 status links revoked." in response.text
    assert client.get(url).status_code == 404
    assert Letter.objects.filter(pk=letter.pk).exists()
