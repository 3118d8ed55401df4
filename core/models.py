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


class StatisticQuerySet(models.QuerySet):
    def shown(self):
        return self.filter(is_shown=True)


class Statistic(models.Model):
    """A figure on the home page ("30,000+ children detained in 2018"), edited by staff so that an
    old number is replaced, not left standing: each is shown with the year it counts and where it
    comes from."""

    figure = models.CharField(
        _("figure"), max_length=16,
        help_text=_("The number as it is shown, short: \"30,000+\", \"91%\"."),
    )
    label = models.CharField(
        _("label"), max_length=200,
        help_text=_("What the number counts, read after it: \"children detained in Mexico in 2018\"."),
    )
    year = models.PositiveSmallIntegerField(
        _("year"), help_text=_("The year the figure counts (the last one, for a span of years)."),
    )
    source_name = models.CharField(
        _("source"), max_length=120,
        help_text=_("Who counted it, as readers should see it: \"Mexican government statistics\"."),
    )
    source_url = models.URLField(
        _("source link"), blank=True, help_text=_("Where readers can check the figure (optional)."),
    )
    position = models.PositiveSmallIntegerField(
        _("position"), default=0, help_text=_("Lower numbers come first."),
    )
    is_shown = models.BooleanField(
        _("shown"), default=True, help_text=_("Uncheck to take the figure off the home page without deleting it."),
    )

    objects = StatisticQuerySet.as_manager()

    class Meta:
        verbose_name = _("statistic")
        verbose_name_plural = _("statistics")
        ordering = ["position", "pk"]

    def __str__(self):
        return f"{self.figure} {self.label}"
