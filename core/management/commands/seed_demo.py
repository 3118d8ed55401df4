"""Loads demo content. Safe to run any number of times: a second run changes nothing."""

import importlib

from django.apps import apps
from django.conf import settings
from django.contrib.auth import get_user_model
from django.core.management.base import BaseCommand
from django.db import transaction

DEMO_STAFF_USERNAME = "admin"
DEMO_STAFF_PASSWORD = "camino-demo-2026"  # noqa: S105 - a demo login, created only with DEBUG on


class Command(BaseCommand):
    help = "Load demo content (stories, appeals, campaigns, legislators) and a demo staff login."

    def handle(self, *args, **options):
        # Each app that has demo content offers `<app>/demo.py` with `seed(stdout)`; the order of
        # INSTALLED_APPS is the order of dependencies (stories before the campaigns that link them).
        for app_config in apps.get_app_configs():
            try:
                module = importlib.import_module(f"{app_config.name}.demo")
            except ModuleNotFoundError as exc:
                if exc.name != f"{app_config.name}.demo":
                    raise
                continue
            with transaction.atomic():
                module.seed(stdout=self.stdout)
        if settings.DEBUG:
            self._demo_staff_login()

    def _demo_staff_login(self):
        User = get_user_model()
        user, created = User.objects.get_or_create(
            username=DEMO_STAFF_USERNAME,
            defaults={"is_staff": True, "is_superuser": True, "email": "admin@camino.example.org"},
        )
        if created:
            user.set_password(DEMO_STAFF_PASSWORD)
            user.save(update_fields=["password"])
        self.stdout.write(
            self.style.SUCCESS(
                f"Demo staff login (development only): {DEMO_STAFF_USERNAME} / {DEMO_STAFF_PASSWORD}"
            )
        )
