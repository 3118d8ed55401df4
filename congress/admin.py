"""Staff views of the roster and the ZIP table. Both are loaded by management commands; staff
mostly switch CWC on or off for an office and give an office an email address."""

from django.contrib import admin, messages
from django.db import models
from django.utils.translation import gettext_lazy as _
from django.utils.translation import ngettext

from . import services
from .models import Legislator, ZipDistrict


@admin.register(Legislator)
class LegislatorAdmin(admin.ModelAdmin):
    list_display = [
        "display_name", "chamber", "seat", "party", "cwc_office_code", "accepts_cwc", "email", "is_active",
    ]
    list_filter = ["chamber", "is_active", "accepts_cwc", "party", "state"]
    search_fields = ["bioguide_id", "first_name", "last_name", "official_full_name", "cwc_office_code", "=state"]
    readonly_fields = ["cwc_office_code", "updated_at"]
    list_per_page = 100
    # Links typed without a scheme are the offices' https sites.
    formfield_overrides = {models.URLField: {"assume_scheme": "https"}}
    actions = ["mark_accepts_cwc", "mark_not_accepts_cwc"]
    fieldsets = [
        (_("Delivery"), {
            "fields": ["accepts_cwc", "email", "is_active"],
            "description": _("Set by staff: the loader never changes these, except that members who leave "
                             "the roster become inactive."),
        }),
        (_("Member and seat"), {
            "fields": [
                "bioguide_id", "first_name", "last_name", "official_full_name", "party",
                "chamber", "state", "district", "senate_class", "cwc_office_code",
            ],
            "description": _("Loaded from congress-legislators by `manage.py load_legislators`; the next load "
                             "overwrites changes made here."),
        }),
        (_("Contact"), {"fields": ["phone", "office_address", "contact_form_url", "website_url", "updated_at"]}),
    ]

    @admin.display(description=_("seat"), ordering="state")
    def seat(self, obj):
        return obj.seat_label

    @admin.action(description=_("Deliver by CWC to the selected offices"), permissions=["change"])
    def mark_accepts_cwc(self, request, queryset):
        changed = services.legislators_set_accepts_cwc(legislators=queryset, accepts=True)
        self.message_user(request, ngettext("%d office now takes CWC.", "%d offices now take CWC.", changed)
                          % changed, messages.SUCCESS)

    @admin.action(
        description=_("Stop CWC for the selected offices (use email or the next backend)"), permissions=["change"]
    )
    def mark_not_accepts_cwc(self, request, queryset):
        changed = services.legislators_set_accepts_cwc(legislators=queryset, accepts=False)
        self.message_user(request, ngettext("%d office no longer takes CWC.", "%d offices no longer take CWC.",
                                           changed) % changed, messages.SUCCESS)


@admin.register(ZipDistrict)
class ZipDistrictAdmin(admin.ModelAdmin):
    list_display = ["zip_code", "state", "district"]
    list_filter = ["state"]
    search_fields = ["=zip_code"]
    list_per_page = 100
    # 42,000 rows: counting them on every page costs more than it tells.
    show_full_result_count = False
