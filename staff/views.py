import logging

from django.contrib import admin
from django.template.response import TemplateResponse
from django.utils.translation import gettext as _
from django.views.decorators.cache import never_cache
from django.views.decorators.http import require_GET

from core.exports import csv_response

from .exports import export_rows, exports_for, may_export_all_advocates

logger = logging.getLogger(__name__)


@require_GET
def export_list(request):
    context = {
        **admin.site.each_context(request),
        "title": _("Exports"),
        "exports": exports_for(request.user),
        "may_export_all_advocates": may_export_all_advocates(request.user),
    }
    return TemplateResponse(request, "admin/staff/exports.html", context)


@never_cache
@require_GET
def export_csv(request, name):
    export, filename, rows = export_rows(user=request.user, name=name, params=request.GET)
    # Who took which list, for the record (the user id only: no names in logs).
    logger.info("export %s by user %s", name, request.user.pk)
    return csv_response(filename, export.header, rows)
