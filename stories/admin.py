from django.contrib import admin, messages
from django.core.exceptions import ValidationError
from django.utils.html import format_html
from django.utils.translation import gettext_lazy as _
from django.utils.translation import ngettext
from sorl.thumbnail import get_thumbnail

from core.admin_languages import BothLanguagesAdmin
from staff.history import StaffHistoryAdmin

from . import services
from .models import AgendaPoint, Story


def _thumbnail(image, alt):
    # An upload the form refused is not in the storage: there is nothing to preview yet.
    if not image or not getattr(image, "_committed", True):
        return "—"
    thumb = get_thumbnail(image, "160x90", crop="center", quality=80)
    if not thumb.size:  # a file gone missing from storage must not break the list
        return _("(missing file)")
    return format_html('<img src="{}" width="{}" height="{}" alt="{}">', thumb.url, thumb.width, thumb.height, alt)


class _BulkDeleteOneByOne:
    """The changelist's "delete selected" goes through delete_model (the service) for each row, so
    a bulk delete retires the cached pages just as a single one does."""

    def delete_queryset(self, request, queryset):
        for obj in queryset:
            self.delete_model(request, obj)


@admin.register(AgendaPoint)
class AgendaPointAdmin(_BulkDeleteOneByOne, BothLanguagesAdmin, StaffHistoryAdmin):
    list_display = ["title", "position", "slug"]
    list_editable = ["position"]
    list_display_links = ["title"]
    ordering = ["position", "pk"]
    search_fields = ["title", "summary"]
    prepopulated_fields = {"slug": ["title"]}
    readonly_fields = ["preview", "updated_at"]
    fields = ["title", "slug", "position", "summary", "body", "image", "preview", "image_alt", "updated_at"]
    show_full_result_count = False

    @admin.display(description=_("image preview"))
    def preview(self, obj):
        return _thumbnail(obj.image, obj.image_alt)

    def save_model(self, request, obj, form, change):
        services.agenda_point_save(point=obj)

    def delete_model(self, request, obj):
        services.agenda_point_delete(point=obj)



@admin.register(Story)
class StoryAdmin(_BulkDeleteOneByOne, BothLanguagesAdmin, StaffHistoryAdmin):
    list_display = ["preview", "title", "status", "publish_at", "is_live", "featured", "primary_point", "country"]
    list_display_links = ["preview", "title"]
    list_filter = ["status", "featured", "primary_point", ("publish_at", admin.DateFieldListFilter), "country"]
    list_select_related = ["primary_point"]
    search_fields = ["title", "summary", "body", "slug"]
    date_hierarchy = "publish_at"
    prepopulated_fields = {"slug": ["title"]}
    filter_horizontal = ["other_points"]
    readonly_fields = ["preview_large", "created_at", "updated_at"]
    actions = ["publish_selected", "unpublish_selected"]
    show_full_result_count = False
    save_on_top = True
    fieldsets = [
        (None, {"fields": ["title", "slug", "summary", "body"]}),
        (_("Photo"), {"fields": ["image", "preview_large", "image_alt", "image_credit"]}),
        (_("Filing"), {"fields": ["primary_point", "other_points", "country"]}),
        (_("Publishing"), {"fields": ["status", "publish_at", "featured"]}),
        (_("Calls to action"), {"fields": ["cta_give", "cta_tell_congress", "cta_campaign"]}),
        (_("Record"), {"fields": ["created_at", "updated_at"], "classes": ["collapse"]}),
    ]

    @admin.display(description=_("photo"))
    def preview(self, obj):
        return _thumbnail(obj.image, obj.image_alt)

    @admin.display(description=_("photo preview"))
    def preview_large(self, obj):
        return _thumbnail(obj.image, obj.image_alt)

    @admin.display(description=_("live"), boolean=True)
    def is_live(self, obj):
        return obj.is_live

    def save_model(self, request, obj, form, change):
        services.story_save(story=obj)

    def delete_model(self, request, obj):
        services.story_delete(story=obj)


    @admin.action(description=_("Publish selected stories"), permissions=["change"])
    def publish_selected(self, request, queryset):
        self._apply(request, queryset, services.story_publish,
                    lambda n: ngettext("%(n)d story published.", "%(n)d stories published.", n) % {"n": n})

    @admin.action(description=_("Unpublish selected stories (back to draft)"), permissions=["change"])
    def unpublish_selected(self, request, queryset):
        self._apply(request, queryset, services.story_unpublish,
                    lambda n: ngettext("%(n)d story unpublished.", "%(n)d stories unpublished.", n) % {"n": n})

    def _apply(self, request, queryset, service, done_message):
        done = 0
        for story in queryset:
            try:
                service(story=story)
            except ValidationError as exc:
                self.message_user(request, f"{story}: {'; '.join(exc.messages)}", messages.ERROR)
            else:
                done += 1
        if done:
            self.message_user(request, done_message(done), messages.SUCCESS)
