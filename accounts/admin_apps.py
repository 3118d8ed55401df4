from django.contrib.admin.apps import AdminConfig


class CaminoAdminConfig(AdminConfig):
    """Django's admin app with Camino's site as the default `admin.site`, so every app's
    `@admin.register` lands on the site with the two-factor login and the staff dashboard.

    Lives in its own module: `accounts/apps.py` must hold only AccountsConfig, or Django could not
    tell which configuration the `accounts` entry means."""

    default_site = "accounts.admin_site.CaminoAdminSite"
