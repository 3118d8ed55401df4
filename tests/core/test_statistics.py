"""Home page figures are staff-edited Statistic rows, each shown with its year and source."""

import pytest
from django.contrib.admin.sites import site
from django.core.cache import cache

from core.models import Statistic
from core.services import statistic_delete, statistic_save
from stories.caching import VERSION_KEY

pytestmark = pytest.mark.django_db


def test_the_data_migration_carries_the_four_figures_with_year_and_source():
    rows = list(Statistic.objects.values_list("figure", "year", "source_name"))
    assert rows == [
        ("30,000+", 2018, "Mexican government statistics"),
        ("21,000+", 2019, "Mexican government statistics"),
        ("91%", 2018, "the campaign brief"),
        ("2,000+", 2018, "the campaign brief"),
    ]


def test_home_shows_each_figure_with_its_year_and_source(client):
    statistic_save(statistic=Statistic(figure="12,345", label="test label", year=2025,
                                       source_name="Test Agency", source_url="https://example.org/r",
                                       position=0))
    html = client.get("/").content.decode()
    item = html[html.index("12,345"):][:600]
    assert "test label" in item and "2025" in item
    assert '<a href="https://example.org/r">Test Agency</a>' in item
    assert "30,000+" in html and "Mexican government statistics" in html
    assert html.index("12,345") < html.index("30,000+")  # position orders them


def test_a_hidden_figure_leaves_the_home_page(client):
    statistic = Statistic.objects.get(figure="91%")
    statistic.is_shown = False
    statistic_save(statistic=statistic)
    html = client.get("/").content.decode()
    assert "91%" not in html and "30,000+" in html


def test_no_figures_no_empty_list(client):
    for statistic in Statistic.objects.all():
        statistic_delete(statistic=statistic)
    assert 'class="row g-4 mt-2 text-center list-unstyled statistics"' not in client.get("/").content.decode()


def test_editing_a_figure_retires_the_cached_pages(django_capture_on_commit_callbacks):
    before = cache.get(VERSION_KEY)
    statistic = Statistic.objects.first()
    statistic.figure = "31,000+"
    with django_capture_on_commit_callbacks(execute=True):
        statistic_save(statistic=statistic)
    assert cache.get(VERSION_KEY) != before


def test_statistic_has_an_admin_for_content_editors():
    assert Statistic in site._registry
    from staff.roles import CONTENT_EDITORS, ROLES
    assert ROLES[CONTENT_EDITORS]["core.statistic"] == ("view", "add", "change", "delete")
