import pytest

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


def test_visitor_sees_navigation_and_follows_give_today(page):
    page.goto("/")
    nav = page.get_by_role("navigation", name="Main navigation")
    for label in ["Stories", "Agenda for Action", "Tell Congress"]:
        assert nav.get_by_role("link", name=label).is_visible()
    page.get_by_test_id("give-today").click()
    page.wait_for_url("**/donate/**")
    assert page.get_by_role("heading", level=1).first.is_visible()
