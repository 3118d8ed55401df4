"""The error pages: 400, 403 (a refused permission or a failed CSRF check), 404 and 500.

Under /admin/ they are the admin's pages (its header, breadcrumbs and, for 403/404, the staff's own
sidebar), so a staff user refused a model stays in the admin's look with a way back (issue 13:
"the admin's 403 pages are unstyled"). Elsewhere they are the public site's, in the visitor's
language.

400 and 500 are rendered from the template alone: no request in the context, no context processors,
no query. A 500 may mean the database is down, and a 400 may come from a request whose Host header
Django refused, which the request context would read again.
"""

from django.conf import settings
from django.contrib import admin
from django.http import HttpResponse
from django.shortcuts import render
from django.template import loader
from django.urls import reverse
from django.utils.translation import gettext_lazy as _


def _in_admin(request) -> bool:
    return request.path.startswith(reverse("admin:index"))


def _page(request, template: str, status: int, title) -> HttpResponse:
    """A page rendered with the request: the public site's nav and footer, or the admin's chrome."""
    if _in_admin(request):
        context = {**admin.site.each_context(request), "title": title}
        return render(request, f"admin/{template}", context, status=status)
    return render(request, template, {"title": title}, status=status)


def _bare_page(request, template: str, status: int) -> HttpResponse:
    """A page from the template and settings only (see the module's docstring)."""
    if _in_admin(request):
        template = f"admin/{template}"
        context = {"site_header": admin.site.site_header, "site_title": admin.site.site_title}
    else:
        context = {"ORGANIZATION_NAME": settings.ORGANIZATION_NAME}
    return HttpResponse(loader.get_template(template).render(context), status=status)


def bad_request(request, exception):
    return _bare_page(request, "400.html", 400)


def permission_denied(request, exception):
    return _page(request, "403.html", 403, _("Permission denied"))


def csrf_failure(request, reason=""):
    """CSRF_FAILURE_VIEW. The reason (a missing cookie, a foreign Referer) is for developers, and
    Django's own page shows it only with DEBUG; people need to know what to do next."""
    return _page(request, "403_csrf.html", 403, _("This form has expired"))


def page_not_found(request, exception):
    return _page(request, "404.html", 404, _("Page not found"))


def server_error(request):
    return _bare_page(request, "500.html", 500)
