from django.conf import settings
from django.core.paginator import Paginator
from django.shortcuts import get_object_or_404, render
from django.utils.cache import add_never_cache_headers

from accounts.two_factor import two_factor_satisfied
from core.models import Statistic

from .caching import cache_public_page
from .forms import StoryFilterForm
from .models import AgendaPoint, Story

RELATED_STORIES = 3


@cache_public_page
def home(request):
    featured = Story.objects.published().for_cards().order_by("-featured", "-publish_at", "-pk").first()
    return render(
        request,
        "core/home.html",
        {"featured": featured, "points": AgendaPoint.objects.with_lead_stories(),
         "statistics": list(Statistic.objects.shown())},
    )


@cache_public_page
def story_list(request):
    form = StoryFilterForm(request.GET or None)
    stories = Story.objects.published().for_cards()
    point = None
    if form.is_valid():
        point = form.cleaned_data["point"]
        if point is not None:
            stories = stories.for_point(point)
        stories = stories.search(form.cleaned_data["q"])
    page = Paginator(stories, settings.STORIES_PER_PAGE).get_page(request.GET.get("page"))
    query = request.GET.copy()
    query.pop("page", None)
    return render(
        request,
        "stories/story_list.html",
        {"form": form, "page_obj": page, "stories": page.object_list, "point": point,
         "query_string": query.urlencode()},
    )


@cache_public_page
def story_detail(request, slug):
    # A draft preview is an admin page in all but address: only a session that passed the second
    # factor (where the admin asks for one) may see it.
    viewer = request.user if two_factor_satisfied(request) else None
    story = get_object_or_404(
        Story.objects.visible_to(viewer).select_related("primary_point", "cta_campaign__appeal"), slug=slug
    )
    related = (
        Story.objects.published().for_cards().for_point(story.primary_point).exclude(pk=story.pk)[:RELATED_STORIES]
    )
    response = render(
        request,
        "stories/story_detail.html",
        {"story": story, "other_points": list(story.other_points.all()), "related": list(related),
         # The closing Give Today module asks for the chosen campaign's appeal (else the default one).
         "appeal": story.cta_campaign.appeal if story.cta_campaign else None},
    )
    if not story.is_live:
        # An editor's preview of a draft or scheduled story: no cache may hand it to the public.
        add_never_cache_headers(response)
    return response


@cache_public_page
def agenda_list(request):
    return render(request, "stories/agenda_list.html", {"points": AgendaPoint.objects.with_lead_stories()})


@cache_public_page
def agenda_detail(request, slug):
    point = get_object_or_404(AgendaPoint, slug=slug)
    stories = Story.objects.published().for_cards().for_point(point)
    page = Paginator(stories, settings.STORIES_PER_PAGE).get_page(request.GET.get("page"))
    campaign = point.live_campaign()
    return render(request, "stories/agendapoint_detail.html", {
        "point": point, "page_obj": page, "stories": page.object_list,
        # The page ends with the next step: its stories' campaign (else the newest live one) and
        # that campaign's appeal (else the default one).
        "campaign": campaign, "appeal": campaign.appeal if campaign else None,
    })
