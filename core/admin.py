from django.contrib import admin, messages
from django.shortcuts import redirect
from django.urls import path, reverse
from django.utils.translation import gettext_lazy as _
from django.views.decorators.http import require_POST

from . import services
from .models import WorkerPing


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

    @staticmethod
    @require_POST
    def send_view(request):
        ping = services.worker_ping_send(source=WorkerPing.Source.WEB)
        messages.info(
            request, _("Ping #%(id)s queued; reload to see a worker answer it.") % {"id": ping.pk}
        )
        return redirect(reverse("admin:core_workerping_changelist"))
