"""The Celery application. Configuration lives in settings (the ``CELERY_`` prefix)."""

import os

from celery import Celery

os.environ.setdefault("DJANGO_SETTINGS_MODULE", "config.settings")

app = Celery("camino")
app.config_from_object("django.conf:settings", namespace="CELERY")
app.autodiscover_tasks()
