from django.contrib import admin
from django.urls import path
from django.utils.translation import gettext_lazy as _

from staff import views as staff_views

from . import views
from .forms import StaffAuthenticationForm
from .two_factor import two_factor_satisfied


class CaminoAdminSite(admin.AdminSite):
    """The staff admin. Two-factor is optional, but whoever enrolled an authenticator is let in
    only by a session that passed it: a stolen password alone no longer opens their account."""

    site_header = _("Camino staff")
    site_title = _("Camino staff")
    index_title = _("Today at a glance")
    login_form = StaffAuthenticationForm
    login_template = "admin/accounts/login.html"

    def has_permission(self, request):
        return super().has_permission(request) and two_factor_satisfied(request)

    def get_urls(self):
        return [
            path("two-factor/", self.admin_view(views.two_factor_setup), name="two_factor_setup"),
            path("two-factor/qrcode.svg", self.admin_view(views.two_factor_qrcode), name="two_factor_qrcode"),
            path("exports/", self.admin_view(staff_views.export_list), name="staff_exports"),
            path("exports/<slug:name>.csv", self.admin_view(staff_views.export_csv), name="staff_export"),
        ] + super().get_urls()
