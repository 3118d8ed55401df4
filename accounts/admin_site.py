from functools import update_wrapper

from django.contrib import admin
from django.contrib.auth.views import redirect_to_login
from django.shortcuts import redirect
from django.urls import path, reverse
from django.utils.translation import gettext_lazy as _
from django.views.decorators.cache import never_cache
from django.views.decorators.csrf import csrf_protect

from staff import views as staff_views

from . import views
from .forms import StaffAuthenticationForm
from .two_factor import has_confirmed_device, needs_enrolment, two_factor_satisfied


class CaminoAdminSite(admin.AdminSite):
    """The staff admin. Whoever enrolled an authenticator is let in only by a session that passed
    it, so a stolen password alone no longer opens their account; with STAFF_TWO_FACTOR_REQUIRED
    nobody is let in without one (accounts.two_factor)."""

    site_header = _("Camino staff")
    site_title = _("Camino staff")
    index_title = _("Today at a glance")
    login_form = StaffAuthenticationForm
    login_template = "admin/accounts/login.html"

    def has_permission(self, request):
        return super().has_permission(request) and two_factor_satisfied(request)

    def admin_view(self, view, cacheable=False):
        """Every admin page; a user who must still enroll is sent to enrollment (or may log out)."""
        protected = super().admin_view(view, cacheable)

        def inner(request, *args, **kwargs):
            if needs_enrolment(request):
                if request.path == reverse("admin:logout", current_app=self.name):
                    return view(request, *args, **kwargs)
                return redirect(reverse("admin:two_factor_setup", current_app=self.name))
            return protected(request, *args, **kwargs)

        return update_wrapper(inner, protected)

    def enrolment_view(self, view):
        """The two-factor set-up pages: open to an active staff user signed in with the password,
        also while has_permission refuses them for want of a device. One who has a device must
        pass it first (at the login)."""

        def inner(request, *args, **kwargs):
            user = request.user
            if not (user.is_active and user.is_staff) or (has_confirmed_device(user) and not user.is_verified()):
                return redirect_to_login(request.get_full_path(), reverse("admin:login", current_app=self.name))
            return view(request, *args, **kwargs)

        return csrf_protect(never_cache(update_wrapper(inner, view)))

    def get_urls(self):
        return [
            path("two-factor/", self.enrolment_view(views.two_factor_setup), name="two_factor_setup"),
            path("two-factor/qrcode.svg", self.enrolment_view(views.two_factor_qrcode), name="two_factor_qrcode"),
            path("exports/", self.admin_view(staff_views.export_list), name="staff_exports"),
            path("exports/<slug:name>.csv", self.admin_view(staff_views.export_csv), name="staff_export"),
        ] + super().get_urls()
