"""The Celery application. Configuration lives in settings (the ``CELERY_`` prefix)."""

import os

from celery import Celery
from celery.contrib.django.task import DjangoTask

# embedded_broker: registers the embedded broker's sqlite:// URL scheme with Kombu, in every process.
from core import embedded_broker  # noqa: F401
from core.dispatch import publish_on_commit

os.environ.setdefault("DJANGO_SETTINGS_MODULE", "config.settings.production")


class CaminoTask(DjangoTask):
    """Tasks dispatched after commit never fail the request that committed their rows.

    The rows (a letter's deliveries, a Stripe event, a receipt owed) are already stored when the
    broker is asked; if it does not answer, the periodic sweepers find the rows still waiting and
    queue them again. So a broker outage delays work instead of turning a stored letter or gift
    into an error page (or, for a webhook, a retry storm)."""

    def delay_on_commit(self, *args, **kwargs) -> None:
        # Short timeouts and a per-process backoff, never an exception: core.dispatch says why.
        publish_on_commit(self, *args, **kwargs)


app = Celery("camino", task_cls=CaminoTask)
app.config_from_object("django.conf:settings", namespace="CELERY")
app.autodiscover_tasks()
