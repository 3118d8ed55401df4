"""The shared components in a real browser: the share block on a story page, with and without JavaScript."""

import pytest

from stories.models import Story
from tests.browser.test_accessibility import demo_content  # noqa: F401 - the shared seed_demo fixture

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


def test_share_block_copies_the_link_and_says_so(demo_content, browser, live_server):  # noqa: F811
    story = Story.objects.published().order_by("-publish_at").first()
    context = browser.new_context(base_url=live_server.url, viewport={"width": 390, "height": 844})
    context.grant_permissions(["clipboard-read", "clipboard-write"])
    page = context.new_page()
    try:
        page.goto(story.get_absolute_url())
        address = live_server.url + story.get_absolute_url()
        whatsapp = page.get_by_test_id("share-whatsapp").get_attribute("href")
        assert whatsapp.startswith("https://wa.me/?text=") and "%2Fstories%2F" in whatsapp
        assert page.locator("[data-share-link]").input_value() == address
        page.get_by_role("button", name="Copy link").click()
        page.locator("[data-share-status]").filter(has_text="Copied").wait_for()
        assert page.evaluate("navigator.clipboard.readText()") == address
    finally:
        context.close()


def test_without_javascript_the_link_is_there_and_the_script_buttons_are_not(demo_content, browser, live_server):  # noqa: F811
    story = Story.objects.published().order_by("-publish_at").first()
    context = browser.new_context(base_url=live_server.url, java_script_enabled=False)
    page = context.new_page()
    try:
        page.goto(story.get_absolute_url())
        assert page.locator("[data-share-link]").input_value() == live_server.url + story.get_absolute_url()
        assert page.get_by_test_id("share-sms").is_visible()
        assert not page.get_by_role("button", name="Copy link").is_visible()
        assert not page.get_by_role("button", name="More ways to share").is_visible()
    finally:
        context.close()
