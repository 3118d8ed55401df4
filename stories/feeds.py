from django.contrib.syndication.views import Feed
from django.urls import reverse_lazy
from django.utils.translation import gettext_lazy as _

from .models import Story

FEED_ITEMS = 20


class LatestStoriesFeed(Feed):
    title = _("Camino: stories of children on the move")
    link = reverse_lazy("stories:story_list")
    description = _("The newest stories behind the Agenda for Action.")

    def items(self):
        return Story.objects.published().for_cards()[:FEED_ITEMS]

    def item_title(self, item):
        return item.title

    def item_description(self, item):
        return item.summary

    def item_pubdate(self, item):
        return item.publish_at

    def item_updateddate(self, item):
        return item.updated_at

    def item_categories(self, item):
        return [item.primary_point.title]
