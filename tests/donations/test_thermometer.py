"""One thermometer (issue 11, finding 10): every page that shows an appeal's progress renders the
same component with the same figure, a cached page included."""

import re

import pytest
from django.urls import reverse
from django.utils import timezone

from donations import services
from stories.caching import CACHE_HEADER
from tests.stories.factories import StoryFactory

from .conftest import make_donation, process_stored_events

pytestmark = pytest.mark.django_db

THERMOMETER = re.compile(r'<div class="thermometer[^"]*" data-testid="thermometer".*?</div>', re.S)


def thermometers(client, url) -> list[str]:
    html = client.get(url).content.decode()
    # The component may carry a spacing class of its page; the bar and the figure are the same.
    return [re.sub(r'<div class="thermometer[^"]*"', '<div class="thermometer"', block)
            for block in THERMOMETER.findall(html)]


def pages(appeal) -> list[str]:
    story = StoryFactory(cta_give=True)
    return [reverse("donations:donate"), appeal.get_absolute_url(), "/", story.get_absolute_url()]


def test_every_page_that_shows_progress_shows_the_same_thermometer(client, appeal):
    make_donation(appeal, amount_cents=22_690, status="succeeded", paid_at=timezone.now())
    urls = pages(appeal)

    shown = {url: thermometers(client, url) for url in urls}
    assert all(len(blocks) == 1 for blocks in shown.values()), shown
    assert len({blocks[0] for blocks in shown.values()}) == 1, shown
    block = shown[urls[0]][0]
    assert 'value="22"' in block and "$226.90 raised of $1,000 (22%)" in block


def test_an_empty_appeal_shows_an_empty_thermometer(client, appeal):
    for url in pages(appeal):
        (block,) = thermometers(client, url)
        assert 'value="0"' in block and "$0 raised of $1,000 (0%)" in block, url


def test_a_gift_paid_shows_at_once_on_cached_pages_too(client, appeal, demo_mode, django_capture_on_commit_callbacks):
    """Story pages and the home page are cached whole for visitors: the figure there must not lag
    behind /donate/'s."""
    urls = pages(appeal)[2:]
    for url in urls:
        assert "$0 raised" in thermometers(client, url)[0]
    assert client.get(urls[0])[CACHE_HEADER] == "hit"

    donation = make_donation(appeal, amount_cents=5000, is_demo=True)
    with django_capture_on_commit_callbacks(execute=True):
        services.demo_checkout_complete(donation=donation)
        process_stored_events()

    for url in urls:
        assert "$50 raised of $1,000 (5%)" in thermometers(client, url)[0], url
    assert thermometers(client, reverse("donations:donate")) == thermometers(client, urls[0])


def test_below_the_staff_threshold_no_page_shows_progress(client, appeal):
    """Issue 13: a counter stays quiet until it means something; "$0 raised of $1,000 (0%)" nowhere."""
    appeal.progress_shown_from_cents = 20_000
    appeal.save()
    make_donation(appeal, amount_cents=19_999, status="succeeded", paid_at=timezone.now())
    for url in pages(appeal):
        html = client.get(url).content.decode()
        assert 'data-testid="thermometer"' not in html and " raised of " not in html, url


def test_from_the_staff_threshold_every_page_shows_progress(client, appeal):
    appeal.progress_shown_from_cents = 20_000
    appeal.save()
    make_donation(appeal, amount_cents=20_000, status="succeeded", paid_at=timezone.now())
    for url in pages(appeal):
        (block,) = thermometers(client, url)
        assert "$200 raised of $1,000 (20%)" in block, url


def test_the_threshold_is_a_field_staff_edit_in_the_admin(admin_client, appeal):
    html = admin_client.get(reverse("admin:donations_appeal_change", args=[appeal.pk])).content.decode()
    assert 'name="progress_shown_from_cents"' in html
    assert "The thermometer stays hidden until this much is raised" in html


def test_the_demo_appeal_hides_its_empty_thermometer(client):
    import io

    from donations import demo

    demo.seed(stdout=io.StringIO())
    assert " raised of " not in client.get(reverse("donations:donate")).content.decode()
