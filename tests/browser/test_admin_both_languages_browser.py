"""A content editor sees a story's English and Spanish boxes side by side in Chromium, under the
admin's Content-Security-Policy (no CDN script, nothing blocked)."""

import os

import pytest

from staff.roles import CONTENT_EDITORS
from tests.browser.test_staff_roles_browser import log_in, make_user, watch_csp
from tests.stories.factories import ensure_agenda_points

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


def test_story_form_shows_english_and_spanish_on_one_line(page):
    ensure_agenda_points()
    make_user("elena", CONTENT_EDITORS)
    violations = watch_csp(page)
    page.set_viewport_size({"width": 1366, "height": 900})
    log_in(page, "elena")
    page.goto("/admin/stories/story/add/")
    english, spanish = page.locator("#id_title_en"), page.locator("#id_title_es")
    assert english.get_attribute("lang") == "en" and spanish.get_attribute("lang") == "es"
    left, right = english.bounding_box(), spanish.bounding_box()
    assert abs(left["y"] - right["y"]) < 5 and right["x"] > left["x"] + left["width"]  # one line, Spanish right
    if os.environ.get("CAMINO_SCREENSHOTS"):
        page.screenshot(path=os.path.join(os.environ["CAMINO_SCREENSHOTS"], "admin-story-both-languages.png"))
    assert violations == []
