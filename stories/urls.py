from django.contrib.sitemaps.views import sitemap
from django.urls import path

from . import views
from .caching import cache_public_page
from .feeds import LatestStoriesFeed
from .sitemaps import SITEMAPS

app_name = "stories"

urlpatterns = [
    path("stories/", views.story_list, name="story_list"),
    # Before <slug>: "feed" is a reserved slug (stories.validators.RESERVED_SLUGS).
    path("stories/feed/", cache_public_page(LatestStoriesFeed()), name="feed"),
    path("stories/<slug:slug>/", views.story_detail, name="story_detail"),
    path("agenda/", views.agenda_list, name="agenda_list"),
    path("agenda/<slug:slug>/", views.agenda_detail, name="agenda_detail"),
    path("sitemap.xml", cache_public_page(sitemap), {"sitemaps": SITEMAPS}, name="sitemap"),
]
