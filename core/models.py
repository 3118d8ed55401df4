from django.db import models
from django.utils.translation import gettext_lazy as _


class WorkerPingQuerySet(models.QuerySet):
    def answered(self):
        return self.filter(answered_at__isnull=False)

    def latest_answered(self):
        return self.answered().order_by("-answered_at").first()


class WorkerPing(models.Model):
    """A round trip through the broker and a worker: the web (or beat) asks, a worker answers.

    Staff send one from the admin to prove the queue is being consumed; beat sends one every
    minute so the dashboard can tell when the worker was last seen."""

    class Source(models.TextChoices):
        WEB = "web", _("Web")
        BEAT = "beat", _("Beat")

    source = models.CharField(_("source"), max_length=8, choices=Source.choices)
    created_at = models.DateTimeField(_("sent at"), auto_now_add=True)
    answered_at = models.DateTimeField(_("answered at"), null=True, blank=True)

    objects = WorkerPingQuerySet.as_manager()

    class Meta:
        verbose_name = _("worker ping")
        verbose_name_plural = _("worker pings")
        ordering = ["-created_at"]

    def __str__(self):
        return f"{self.get_source_display()} ping #{self.pk}"
