from csp.middleware import CSPMiddleware, PolicyParts
from django.conf import settings


class CaminoCSPMiddleware(CSPMiddleware):
    """django-csp's header, with the admin's policy relaxed as little as it needs.

    Public pages get the strict policy from CONTENT_SECURITY_POLICY (no unsafe-inline anywhere).
    Pages of the admin site (found by URL namespace, not path, so 404s and custom admin views
    count too) get STAFF_ADMIN_CSP_REPLACE on top: third-party admin templates (simple-history's
    history list, the autocomplete widget) still write style="" attributes."""

    def get_policy_parts(self, request, response, report_only: bool = False) -> PolicyParts:
        parts = super().get_policy_parts(request, response, report_only=report_only)
        if not report_only and _is_admin_page(request):
            parts.replace = {**settings.STAFF_ADMIN_CSP_REPLACE, **(parts.replace or {})}
        return parts


def _is_admin_page(request) -> bool:
    match = getattr(request, "resolver_match", None)
    return match is not None and "admin" in match.app_names
