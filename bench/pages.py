"""The public pages the web benchmark requests, found from the demo content that exists."""

from django.urls import NoReverseMatch, reverse


def demo_paths() -> list[str]:
    paths = ["/", "/healthz"]
    for name in ["stories:story_list", "stories:agenda_list", "donations:donate", "advocacy:campaign_list"]:
        try:
            paths.append(reverse(name))
        except NoReverseMatch:
            continue
    paths.extend(_detail_paths())
    return paths


def _detail_paths() -> list[str]:
    found = []
    for label in ["stories.Story", "advocacy.Campaign"]:
        from django.apps import apps

        try:
            model = apps.get_model(label)
        except LookupError:
            continue
        manager = getattr(model.objects, "published", None) or getattr(model.objects, "live", None)
        queryset = manager() if manager else model.objects.all()
        obj = queryset.first()
        if obj is not None and hasattr(obj, "get_absolute_url"):
            found.append(obj.get_absolute_url())
    return found
