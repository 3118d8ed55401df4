"""The Celery application. Configuration lives in settings (the ``CELERY_`` prefix)."""

import logging
import os

from celery import Celery
from celery.contrib.django.task import DjangoTask
from django.db import transaction
from kombu.exceptions import OperationalError

os.environ.setdefault("DJANGO_SETTINGS_MODULE", "config.settings.production")

logger = logging.getLogger(__name__)


class CaminoTask(DjangoTask):
    """Tasks dispatched after commit never fail the request that committed their rows.

    The rows (a letter's deliveries, a Stripe event, a receipt owed) are already stored when the
    broker is asked; if it does not answer, the periodic sweepers find the rows still waiting and
    queue them again. So a broker outage delays work instead of turning a stored letter or gift
    into an error page (or, for a webhook, a retry storm)."""

    def delay_on_commit(self, *args, **kwargs) -> None:
        transaction.on_commit(lambda: self._publish_or_leave_for_sweeper(args, kwargs))

    def _publish_or_leave_for_sweeper(self, args, kwargs) -> None:
        try:
            self.apply_async(args=args, kwargs=kwargs, retry_policy={"max_retries": 2, "interval_start": 0,
                                                                     "interval_step": 0.5})
        except OperationalError as exc:
            logger.warning("Broker unavailable, %s left for the sweeper: %s", self.name, exc.__class__.__name__)


app = Celery("camino", task_cls=CaminoTask)
app.config_from_object("django.conf:settings", namespace="CELERY")
app.autodiscover_tasks()
