"""The story library: the six points of the Agenda for Action and the human stories behind them."""

import markdown
import nh3
from django.db import models
from django.db.models import OuterRef, Q, Subquery
from django.urls import reverse
from django.utils import timezone
from django.utils.safestring import mark_safe
from django.utils.translation import gettext_lazy as _

from .validators import validate_not_reserved_slug, validate_story_image

# What a story body may contain once rendered: text formatting, links, lists, quotes, headings and
# images. Everything else (script, style, iframes, event-handler attributes...) is removed by nh3.
BODY_TAGS = {
    "a", "abbr", "b", "blockquote", "br", "code", "em", "figcaption", "figure", "h2", "h3", "h4",
    "hr", "i", "img", "li", "ol", "p", "pre", "strong", "sub", "sup", "ul",
}
BODY_ATTRIBUTES = {"a": {"href", "title"}, "abbr": {"title"}, "img": {"src", "alt", "title"}}


def render_markdown(text: str) -> str:
    """Markdown to HTML that is safe to show: the sanitizer runs last, on the final HTML."""
    html = markdown.markdown(text or "", extensions=["extra", "sane_lists"], output_format="html")
    return nh3.clean(
        html,
        tags=BODY_TAGS,
        attributes=BODY_ATTRIBUTES,
        url_schemes={"http", "https", "mailto"},
        link_rel="noopener noreferrer",
    )


def story_image_path(instance, filename: str) -> str:
    return f"stories/{timezone.now():%Y/%m}/{filename}"


class AgendaPointQuerySet(models.QuerySet):
    def with_lead_story_id(self):
        """Each point with the id of its lead story: the featured, then newest, published story
        whose primary point it is (one subquery, whatever the number of stories)."""
        lead = (
            Story.objects.published()
            .filter(primary_point=OuterRef("pk"))
            .order_by("-featured", "-publish_at", "-pk")
            .values("pk")[:1]
        )
        return self.annotate(lead_story_id=Subquery(lead))

    def with_lead_stories(self) -> list["AgendaPoint"]:
        """The points, each with `lead_story` (a card-ready Story or None): two queries in all."""
        points = list(self.with_lead_story_id())
        stories = Story.objects.for_cards().in_bulk([p.lead_story_id for p in points if p.lead_story_id])
        for point in points:
            point.lead_story = stories.get(point.lead_story_id)
        return points


class AgendaPoint(models.Model):
    """One of the six points of the Agenda for Action. The six are created by a migration; editors
    may reword them and change their order, and each is told through the stories filed under it."""

    position = models.PositiveSmallIntegerField(
        _("position"), default=0, help_text=_("Points are listed from the lowest number to the highest.")
    )
    title = models.CharField(_("title"), max_length=120, help_text=_("The point itself, as a short imperative."))
    slug = models.SlugField(_("slug"), max_length=120, unique=True, help_text=_("Its address: /agenda/<slug>/."))
    summary = models.TextField(_("summary"), max_length=400, help_text=_("One or two sentences shown in lists."))
    body = models.TextField(_("body"), blank=True, help_text=_("Why this point matters, in Markdown."))
    image = models.ImageField(
        _("image"), upload_to="agenda/", blank=True, validators=[validate_story_image],
        help_text=_("Optional. JPEG, PNG or WebP."),
    )
    image_alt = models.CharField(
        _("image description"), max_length=250, blank=True,
        help_text=_("What the image shows, for people who cannot see it. Required with an image."),
    )
    updated_at = models.DateTimeField(_("updated at"), auto_now=True)
    # Its history (simple-history) is registered in translation.py, after the _en/_es fields exist,
    # so that each version keeps both languages.

    objects = AgendaPointQuerySet.as_manager()

    class Meta:
        ordering = ["position", "pk"]
        verbose_name = _("agenda point")
        verbose_name_plural = _("agenda points")
        constraints = [
            models.CheckConstraint(
                condition=Q(image="") | ~Q(image_alt=""),
                name="agendapoint_image_has_alt",
                violation_error_message=_("An image needs a description (alt text)."),
            ),
        ]

    def __str__(self) -> str:
        return self.title

    def get_absolute_url(self) -> str:
        return reverse("stories:agenda_detail", kwargs={"slug": self.slug})

    def live_campaign(self):
        """The live campaign this point's published stories ask readers to join (the newest, if
        several), for the page's closing Tell Congress module; None when no story names one."""
        from django.db.models import F

        from advocacy.models import Campaign

        stories = Story.objects.published().for_point(self).filter(cta_tell_congress=True)
        return (
            Campaign.objects.live().with_letter_count().select_related("appeal")
            .filter(pk__in=stories.filter(cta_campaign__isnull=False).values("cta_campaign"))
            .order_by(F("opens_at").desc(nulls_last=True), "-created_at").first()
        )

    def clean(self):
        from django.core.exceptions import ValidationError

        from core.content_languages import image_description_errors

        if errors := image_description_errors(self):
            raise ValidationError(errors)

    @property
    def body_html(self) -> str:
        return mark_safe(render_markdown(self.body))  # noqa: S308 - sanitized by nh3 just above


class StoryQuerySet(models.QuerySet):
    def published(self, *, now=None):
        """Stories the public may see: published, and their publish time has come. A future
        publish time is how a story is scheduled; no job has to run for it to appear."""
        return self.filter(status=Story.Status.PUBLISHED, publish_at__lte=now or timezone.now())

    def scheduled(self, *, now=None):
        return self.filter(status=Story.Status.PUBLISHED, publish_at__gt=now or timezone.now())

    def visible_to(self, user):
        """Staff who may edit stories preview drafts and scheduled stories at their own address;
        everyone else, other staff included, sees only what is published (so does `None`)."""
        if user is not None and user.is_active and user.is_staff and user.has_perm("stories.change_story"):
            return self.all()
        return self.published()

    def for_point(self, point):
        """Stories filed under a point, as their primary point or another (no join duplicates)."""
        secondary = Story.other_points.through.objects.filter(agendapoint=point).values("story_id")
        return self.filter(Q(primary_point=point) | Q(pk__in=secondary))

    def search(self, text: str):
        text = text.strip()
        if not text:
            return self
        return self.filter(Q(title__icontains=text) | Q(summary__icontains=text) | Q(body__icontains=text))

    def for_cards(self):
        """What a story card needs: its point in the same query, and not the (long) body."""
        return self.select_related("primary_point").defer("body")


class Story(models.Model):
    """A human story behind a point of the Agenda for Action.

    The public sees a story once it is published and its publish time has passed. A photo must
    carry a description (alt text) and a credit line, because every photo on the site is credited."""

    class Status(models.TextChoices):
        DRAFT = "draft", _("Draft")
        PUBLISHED = "published", _("Published")

    class Country(models.TextChoices):
        HONDURAS = "HN", _("Honduras")
        EL_SALVADOR = "SV", _("El Salvador")
        GUATEMALA = "GT", _("Guatemala")
        MEXICO = "MX", _("Mexico")
        UNITED_STATES = "US", _("United States")

    title = models.CharField(_("title"), max_length=200, help_text=_("The headline."))
    slug = models.SlugField(
        _("slug"), max_length=200, unique=True, validators=[validate_not_reserved_slug],
        help_text=_("Its address: /stories/<slug>/. Changing it breaks links already shared."),
    )
    summary = models.CharField(
        _("summary"), max_length=300, help_text=_("The dek: one sentence under the headline, also used when shared.")
    )
    body = models.TextField(
        _("body"), help_text=_("Markdown. Scripts, styles and event handlers are removed when the page is shown.")
    )
    image = models.ImageField(
        _("photo"), upload_to=story_image_path, blank=True, validators=[validate_story_image],
        help_text=_("JPEG, PNG or WebP, at least 600×300 pixels. Shown at the top and when shared."),
    )
    image_alt = models.CharField(
        _("photo description"), max_length=250, blank=True,
        help_text=_("What the photo shows, for people who cannot see it. Required with a photo."),
    )
    image_credit = models.CharField(
        _("photo credit"), max_length=200, blank=True,
        help_text=_("Required with a photo, e.g. “© Camino/2026/Photographer name”."),
    )
    country = models.CharField(
        _("country"), max_length=2, choices=Country.choices, blank=True, help_text=_("Where the story takes place.")
    )
    primary_point = models.ForeignKey(
        AgendaPoint, on_delete=models.PROTECT, related_name="primary_stories", verbose_name=_("agenda point"),
        help_text=_("The point this story tells above all."),
    )
    other_points = models.ManyToManyField(
        AgendaPoint, blank=True, related_name="secondary_stories", verbose_name=_("other agenda points"),
        help_text=_("Other points the story also speaks to."),
    )
    status = models.CharField(
        _("status"), max_length=10, choices=Status.choices, default=Status.DRAFT,
        help_text=_("Drafts are seen only by staff."),
    )
    publish_at = models.DateTimeField(
        _("publish time"), default=timezone.now, db_index=True,
        help_text=_("When a published story goes live. A future time schedules it: it stays hidden until then."),
    )
    featured = models.BooleanField(
        _("featured"), default=False,
        help_text=_("The newest featured story leads the home page and its agenda point."),
    )
    cta_give = models.BooleanField(
        _("show Give Today"), default=True, help_text=_("Show the Give Today module with the story.")
    )
    cta_tell_congress = models.BooleanField(
        _("show Tell Congress"), default=True,
        help_text=_("Show a Tell Congress module with the story."),
    )
    cta_campaign = models.ForeignKey(
        "advocacy.Campaign", on_delete=models.SET_NULL, null=True, blank=True, related_name="stories",
        verbose_name=_("Tell Congress campaign"),
        help_text=_("The campaign the module asks readers to join. Empty: the newest live campaign."),
    )
    created_at = models.DateTimeField(_("created at"), auto_now_add=True)
    updated_at = models.DateTimeField(_("updated at"), auto_now=True)
    # Its history (simple-history) is registered in translation.py, after the _en/_es fields exist,
    # so that each version keeps both languages.

    objects = StoryQuerySet.as_manager()

    class Meta:
        ordering = ["-publish_at", "-pk"]
        verbose_name = _("story")
        verbose_name_plural = _("stories")
        indexes = [models.Index(fields=["status", "publish_at"], name="story_status_publish_idx")]
        constraints = [
            models.CheckConstraint(
                condition=Q(image="") | (~Q(image_alt="") & ~Q(image_credit="")),
                name="story_image_has_alt_and_credit",
                violation_error_message=_("A photo needs a description (alt text) and a credit line."),
            ),
            models.CheckConstraint(
                condition=Q(status__in=["draft", "published"]), name="story_status_valid"
            ),
        ]

    def __str__(self) -> str:
        return self.title

    def get_absolute_url(self) -> str:
        return reverse("stories:story_detail", kwargs={"slug": self.slug})

    def clean(self):
        from django.core.exceptions import ValidationError

        from core.content_languages import image_description_errors

        if self.image:
            errors = image_description_errors(self, _("Describe the photo for people who cannot see it."))
            if not self.image_credit.strip():
                errors["image_credit"] = ValidationError(
                    _("Every photo needs a credit line, e.g. “© Camino/2026/Photographer name”."),
                    code="credit_required",
                )
            if errors:
                raise ValidationError(errors)

    @property
    def is_live(self) -> bool:
        return self.status == self.Status.PUBLISHED and self.publish_at <= timezone.now()

    @property
    def body_html(self) -> str:
        return mark_safe(render_markdown(self.body))  # noqa: S308 - sanitized by nh3 in render_markdown
