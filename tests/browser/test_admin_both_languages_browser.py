"""A content editor sees a story's English and Spanish boxes side by side in Chromium, under the
admin's Content-Security-Policy (no CDN script, nothing blocked)."""

import os

import pytest

from staff.roles import CAMPAIGN_MANAGERS, CONTENT_EDITORS
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


@pytest.mark.parametrize(
    ("role", "path", "fields"),
    [
        (CONTENT_EDITORS, "/admin/stories/story/add/", ["title", "summary", "body", "image_alt"]),
        (CAMPAIGN_MANAGERS, "/admin/advocacy/campaign/add/", ["title", "summary", "ask", "share_text", "call_script"]),
    ],
    ids=["story", "campaign"],
)
def test_long_help_texts_wrap_in_their_column_and_keep_both_languages_side_by_side(page, role, path, fields):
    """At 1366 px a long help text (or the body's wide textarea) pushed the Spanish box under the
    English one (issue 14); staff.css gives each language an equal column its help text wraps in."""
    ensure_agenda_points()
    make_user("staffer", role)
    page.set_viewport_size({"width": 1366, "height": 900})
    log_in(page, "staffer")
    page.goto(path)
    for name in fields:
        english, spanish = page.locator(f"#id_{name}_en").bounding_box(), page.locator(f"#id_{name}_es").bounding_box()
        assert abs(english["y"] - spanish["y"]) < 5, f"{name}: Spanish not beside the English"
        spanish_label = page.locator(f"label[for=id_{name}_es]").bounding_box()
        assert english["x"] + english["width"] <= spanish_label["x"], name
        help_text = page.locator(f"#id_{name}_en_helptext")
        if help_text.count():  # a campaign's title has none
            box = help_text.bounding_box()
            assert box["x"] + box["width"] <= spanish_label["x"], f"{name}: help text runs into the Spanish column"
    assert page.evaluate("document.documentElement.scrollWidth <= window.innerWidth")  # nothing sideways
    if os.environ.get("CAMINO_SCREENSHOTS"):
        shot = os.path.join(os.environ["CAMINO_SCREENSHOTS"], f"{path.strip('/').replace('/', '-')}-both-languages.png")
        page.screenshot(path=shot, full_page=True)


def test_finance_writes_an_amount_line_in_both_languages_and_the_donate_page_shows_it(page, settings):
    """The appeal's amount buttons are a table on its page: each line's English and Spanish boxes in
    one row, side by side; saved, the line shows on the button in each language."""
    from donations.models import Appeal
    from staff.roles import FINANCE
    from tests.staff.factories import with_amounts

    settings.STRIPE_SECRET_KEY = ""
    settings.DEBUG = True
    appeal = with_amounts(Appeal.objects.create(title_en="Winter", title_es="Invierno", slug="winter",
                                                text_en="Why.", text_es="Por qué.", is_default=True), [2500])
    make_user("fina", FINANCE)
    violations = watch_csp(page)
    page.set_viewport_size({"width": 1366, "height": 900})
    log_in(page, "fina")
    page.goto(f"/admin/donations/appeal/{appeal.pk}/change/")

    english = page.locator("#id_suggested_amounts-0-impact_line_en")
    spanish = page.locator("#id_suggested_amounts-0-impact_line_es")
    assert english.get_attribute("lang") == "en" and spanish.get_attribute("lang") == "es"
    left, right = english.bounding_box(), spanish.bounding_box()
    assert abs(left["y"] - right["y"]) < 5 and right["x"] >= left["x"] + left["width"]  # one row, Spanish right
    english.fill("Pencils and notebooks for a child")
    spanish.fill("Lápices y cuadernos para una niña o un niño")
    if os.environ.get("CAMINO_SCREENSHOTS"):
        page.screenshot(path=os.path.join(os.environ["CAMINO_SCREENSHOTS"], "admin-appeal-amounts.png"), full_page=True)
    page.locator("input[name=_continue]").click()
    page.wait_for_load_state()
    assert page.locator(".messagelist .success").count() == 1

    page.goto("/donate/")
    assert page.get_by_label("$25 Pencils and notebooks for a child", exact=True).is_checked()
    page.goto("/es/donate/")
    assert page.get_by_text("Lápices y cuadernos para una niña o un niño", exact=True).is_visible()
    assert violations == []
