from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class AdvocacyConfig(AppConfig):
    name = "advocacy"
    verbose_name = _("Advocacy")

    def ready(self):
        from . import checks  # noqa: F401 - registers the checks
