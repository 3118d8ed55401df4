from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class StaffConfig(AppConfig):
    name = "staff"
    verbose_name = _("Staff operations")

    def ready(self):
        from django.db.models.signals import post_migrate

        from .roles import roles_sync_on_migrate

        # Roles are re-applied after every migrate, so a model added later (and its freshly
        # created permissions) joins its role without anyone editing a group by hand.
        post_migrate.connect(roles_sync_on_migrate, dispatch_uid="staff.roles_sync")
