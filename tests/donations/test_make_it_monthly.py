"""Issue 13: after a one-time gift, an invitation to make it monthly, a link the donate form honors."""

import re

import pytest
from django.urls import reverse
from django.utils import timezone

from donations import services

from .conftest import make_donation

pytestmark = pytest.mark.django_db


def thanks_html(client, donation) -> str:
    return client.get(reverse("donations:thanks", args=[donation.reference])).content.decode()


def invitation(html: str) -> str | None:
    found = re.search(r'<section[^>]*data-testid="make-it-monthly".*?</section>', html, re.S)
    return found.group(0) if found else None


def test_a_one_time_gift_is_invited_to_give_monthly_with_an_amount_preselected(client, appeal):
    donation = make_donation(appeal, amount_cents=10_000, status="succeeded", paid_at=timezone.now())

    block = invitation(thanks_html(client, donation))

    assert block and "Make it monthly" in block and "$50 a month" in block
    link = re.search(r'href="([^"]+)"', block).group(1).replace("&amp;", "&")
    assert link == f"{appeal.get_absolute_url()}?frequency=month&amount=5000"
    form = client.get(link).content.decode()
    assert re.search(r'value="month" id="id_frequency_1" checked', form)
    assert re.search(r'value="5000" id="id_amount_\d" checked', form)
    assert not re.search(r'value="2500" id="id_amount_\d" checked', form)


def test_a_monthly_gift_gets_no_invitation(client, appeal):
    donation = make_donation(appeal, amount_cents=10_000, frequency="month", status="succeeded",
                             paid_at=timezone.now())
    assert invitation(thanks_html(client, donation)) is None


def test_a_gift_not_yet_confirmed_gets_no_invitation(client, appeal):
    assert invitation(thanks_html(client, make_donation(appeal, amount_cents=10_000))) is None


def test_a_link_amount_outside_the_presets_goes_in_other_amount_and_a_bad_one_is_ignored(client, appeal):
    form = client.get(reverse("donations:donate") + "?frequency=month&amount=1234").content.decode()
    assert re.search(r'value="other" id="id_amount_\d" checked', form)
    assert re.search(r'name="custom_amount"[^>]*value="12.34"', form, re.S)

    form = client.get(reverse("donations:donate") + "?frequency=weekly&amount=-5").content.decode()
    assert re.search(r'value="once" id="id_frequency_0" checked', form)
    assert re.search(r'value="5000" id="id_amount_\d" checked', form)  # the appeal's own default


@pytest.mark.parametrize("gift, suggested", [(10_000, 5_000), (5_000, 2_500), (2_500, 2_500), (700, 700),
                                             (1_000_000, 10_000)])
def test_the_suggested_monthly_amount(gift, suggested):
    assert services.monthly_suggestion_cents(gift_cents=gift, presets=[2500, 5000, 10000]) == suggested
