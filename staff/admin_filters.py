"""Admin list filters whose choices come from small tables or fixed lists, never from a
`SELECT DISTINCT` over a big one (Django's default for a plain field, which reads a million-row
table on every page load)."""

from django.contrib import admin
from django.utils.translation import gettext_lazy as _

from congress.states import STATE_CHOICES


class StateListFilter(admin.SimpleListFilter):
    title = _("state")
    parameter_name = "state"

    def lookups(self, request, model_admin):
        return STATE_CHOICES

    def queryset(self, request, queryset):
        if self.value():
            return queryset.filter(state=self.value())
        return queryset


class OfficeListFilter(admin.SimpleListFilter):
    """Congressional offices, listed from the members of Congress (535 rows) instead of from the
    deliveries themselves."""

    title = _("office")
    parameter_name = "office_code"

    def lookups(self, request, model_admin):
        from congress.models import Legislator

        offices = (
            Legislator.objects.exclude(cwc_office_code="")
            .order_by("cwc_office_code")
            .values_list("cwc_office_code", "last_name")
        )
        return [(code, f"{code} ({name})") for code, name in offices]

    def queryset(self, request, queryset):
        if self.value():
            return queryset.filter(office_code=self.value())
        return queryset
