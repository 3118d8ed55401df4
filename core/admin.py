from django.contrib import admin, messages
from django.core.exceptions import PermissionDenied
from django.shortcuts import redirect
from django.urls import path, reverse
from django.utils.translation import gettext_lazy as _
from django.views.decorators.http import require_POST

from . import services
from .admin_languages import BothLanguagesAdmin
from .models import Statistic, WorkerPing


@admin.register(WorkerPing)
class WorkerPingAdmin(admin.ModelAdmin):
    list_display = ["__str__", "source", "created_at", "answered_at"]
    list_filter = ["source"]
    readonly_fields = ["source", "created_at", "answered_at"]
    change_list_template = "admin/core/workerping/change_list.html"

    def has_add_permission(self, request):
        return False

    def has_change_permission(self, request, obj=None):
        return False

    def get_urls(self):
        return [
            path("send/", self.admin_site.admin_view(self.send_view), name="core_workerping_send"),
        ] + super().get_urls()

    def send_view(self, request):
        # admin_view only checks is_staff; a ping is for whoever may read the answers.
        if not self.has_view_permission(request):
            raise PermissionDenied
        return self._send(request)

    @staticmethod
    @require_POST
    def _send(request):
        ping = services.worker_ping_send(source=WorkerPing.Source.WEB)
        messages.info(
            request, _("Ping #%(id)s queued; reload to see a worker answer it.") % {"id": ping.pk}
        )
        return redirect(reverse("admin:core_workerping_changelist"))


@admin.register(Statistic)
class StatisticAdmin(BothLanguagesAdmin):
    list_display = ["figure", "label", "year", "source_name", "position", "is_shown"]
    list_editable = ["position", "is_shown"]
    list_display_links = ["figure", "label"]
    list_filter = ["is_shown"]
    search_fields = ["figure", "label", "source_name"]
    fields = ["figure", "label", "year", "source_name", "source_url", "position", "is_shown"]

    def save_model(self, request, obj, form, change):
        services.statistic_save(statistic=obj)

    def delete_model(self, request, obj):
        services.statistic_delete(statistic=obj)

    def delete_queryset(self, request, queryset):
        # One by one through the service, so a bulk delete also retires the cached home page.
        for obj in queryset:
            self.delete_model(request, obj)
