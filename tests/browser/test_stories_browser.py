"""A visitor follows a story to its agenda point and the filtered list; an editor publishes a story."""

import pytest
from django.utils import timezone

from stories.models import Story
from tests.stories.factories import StoryFactory, ensure_agenda_points, image_bytes

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


@pytest.fixture(autouse=True)
def _media_in_tmp(settings, tmp_path):
    settings.MEDIA_ROOT = str(tmp_path / "media")


def test_visitor_goes_from_home_to_a_story_its_point_and_the_filtered_list(page):
    points = ensure_agenda_points()
    point = points[3]
    StoryFactory(title="A family apart", slug="a-family-apart", primary_point=point, featured=True,
                 summary="Separated at the border, reunited months later.")
    StoryFactory(title="Elsewhere entirely", primary_point=points[0])

    page.goto("/")
    page.get_by_role("heading", level=1).get_by_role("link", name="A family apart").click()
    page.wait_for_url("**/stories/a-family-apart/")
    assert page.get_by_role("heading", level=1).inner_text() == "A family apart"

    page.get_by_test_id("story-point").click()
    page.wait_for_url(f"**/agenda/{point.slug}/")
    assert page.get_by_role("heading", level=1).inner_text() == point.title

    page.get_by_test_id("point-all-stories").click()
    page.wait_for_url(f"**/stories/?point={point.slug}")
    assert point.title in page.get_by_test_id("story-filter").inner_text()
    assert page.get_by_label("Agenda point").input_value() == point.slug
    assert page.get_by_role("link", name="A family apart").is_visible()
    assert page.get_by_role("link", name="Elsewhere entirely").count() == 0


def test_staff_member_creates_and_publishes_a_story_with_a_photo(page, admin_user, tmp_path):
    points = ensure_agenda_points()
    photo = tmp_path / "photo.png"
    photo.write_bytes(image_bytes(size=(1280, 720)))

    page.goto("/admin/login/?next=/admin/stories/story/add/")
    page.get_by_label("Username").fill(admin_user.username)
    page.get_by_label("Password").fill("password")
    page.get_by_role("button", name="Log in").click()
    page.wait_for_url("**/admin/stories/story/add/")

    # The English box of each two-language text (the Spanish one sits beside it).
    page.locator("#id_title_en").fill("Back in school at last")
    page.locator("#id_title_en").press("Tab")  # the admin fills the slug on change
    assert page.locator("#id_slug").input_value() == "back-in-school-at-last"  # prefilled from the title
    page.locator("#id_summary_en").fill("After a year on the road, Ana returns to a classroom.")
    page.locator("#id_body_en").fill("Ana is **eleven** and loves maths.")
    page.locator("#id_image").set_input_files(str(photo))
    page.locator("#id_image_alt_en").fill("A girl at a school desk")
    page.get_by_label("Photo credit").fill("© Camino/2026/Staff Photographer")
    page.locator("#id_primary_point").select_option(label=points[2].title)
    page.locator("#id_status").select_option("published")
    page.locator("input[name=_save]").first.click()
    page.wait_for_url("**/admin/stories/story/")
    assert page.locator(".messagelist .success").count() == 1

    story = Story.objects.get(slug="back-in-school-at-last")
    assert story.status == Story.Status.PUBLISHED and story.publish_at <= timezone.now()
    assert story.image.name.startswith("stories/")

    # A visitor (no session) finds it in the list and on its own page.
    visitor = page.context.browser.new_context(base_url=page.url.split("/admin/")[0])
    public = visitor.new_page()
    public.goto("/stories/")
    public.get_by_role("link", name="Back in school at last").click()
    public.wait_for_url("**/stories/back-in-school-at-last/")
    assert "© Camino/2026/Staff Photographer" in public.content()
    assert public.locator("article img[alt='A girl at a school desk']").count() == 1
    visitor.close()
