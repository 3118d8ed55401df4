from django.contrib.sitemaps import Sitemap
from django.urls import reverse

from .models import AgendaPoint, Story


class BothLanguages(Sitemap):
    """Each page at its English and its /es/ address, each with its hreflang alternates."""

    i18n = True
    alternates = True
    x_default = True


class StorySitemap(BothLanguages):
    changefreq = "weekly"
    priority = 0.8

    def items(self):
        return Story.objects.published().order_by("-publish_at", "-pk")

    def lastmod(self, item):
        return item.updated_at


class AgendaPointSitemap(BothLanguages):
    changefreq = "monthly"
    priority = 0.6

    def items(self):
        return AgendaPoint.objects.all()

    def lastmod(self, item):
        return item.updated_at


class PageSitemap(BothLanguages):
    """The fixed pages: home, the story list and the agenda."""

    priority = 1.0
    changefreq = "daily"

    def items(self):
        return ["core:home", "stories:story_list", "stories:agenda_list"]

    def location(self, item):
        return reverse(item)


SITEMAPS = {"pages": PageSitemap, "stories": StorySitemap, "agenda": AgendaPointSitemap}
