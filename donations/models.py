import uuid

from django.conf import settings
from django.core.exceptions import ValidationError
from django.core.validators import MinValueValidator
from django.db import models
from django.db.models import Case, F, Max, Q, Sum, Value, When, prefetch_related_objects
from django.db.models.functions import Coalesce, Greatest
from django.urls import reverse
from django.utils.translation import gettext_lazy as _
from simple_history.models import HistoricalRecords

from core.language import LanguageField
from core.money import format_money
from stories.validators import validate_story_image

RESERVED_APPEAL_SLUGS = {"manage", "thanks", "cancelled", "demo"}


class Frequency(models.TextChoices):
    ONCE = "once", _("One time")
    MONTHLY = "month", _("Monthly")


class AppealQuerySet(models.QuerySet):
    def active(self):
        return self.filter(is_active=True)

    def with_raised(self):
        """Adds `raised_cents`: money received for the appeal, refunds and lost disputes
        subtracted, held gifts left out (one query)."""
        return self.annotate(
            raised_cents=Coalesce(Sum(net_cents("donations__"), filter=counted_gift("donations__")), 0)
        )

    def default_first(self):
        return self.order_by("-is_default", "-created_at")


class Appeal(models.Model):
    """A fundraising appeal. `/donate/` shows the active appeal marked default; the others have
    their own page at `/donate/<slug>/`."""

    title = models.CharField(_("title"), max_length=200)
    slug = models.SlugField(_("slug"), max_length=100, unique=True, help_text=_("Used in the address /donate/<slug>/."))
    text = models.TextField(_("text"), blank=True, help_text=_("Why this appeal matters, in a few paragraphs."))
    # Checked as story photos are (format, file size, dimensions): the donate page's thumbnailer
    # must never open a 144-megapixel image.
    image = models.ImageField(_("image"), upload_to="appeals/", blank=True, validators=[validate_story_image])
    image_alt = models.CharField(
        _("image description"), max_length=250, blank=True, help_text=_("For screen readers; required with an image.")
    )
    default_frequency = models.CharField(
        _("default frequency"), max_length=8, choices=Frequency.choices, default=Frequency.ONCE
    )
    goal_cents = models.PositiveIntegerField(
        _("goal (cents)"), null=True, blank=True, help_text=_("Optional; shows a progress thermometer.")
    )
    # "$0 raised of $50,000 (0%)" tells a visitor nobody gives (issue 13): the thermometer waits
    # until the sum is worth showing. 0 keeps the old behavior (always shown with a goal).
    progress_shown_from_cents = models.PositiveIntegerField(
        _("show progress from (cents)"), default=0, blank=True,
        help_text=_("The thermometer stays hidden until this much is raised, e.g. 500000 for $5,000. "
                    "0 shows it from the first dollar, even at $0."),
    )
    is_active = models.BooleanField(_("active"), default=True, help_text=_("Inactive appeals accept no gifts."))
    is_default = models.BooleanField(
        _("default"), default=False, help_text=_("Shown at /donate/ and on the home page. Only one appeal can be.")
    )
    created_at = models.DateTimeField(_("created at"), auto_now_add=True)
    updated_at = models.DateTimeField(_("updated at"), auto_now=True)

    # Their lines are the appeal's text too: the admin marks an appeal whose lines lack Spanish.
    translated_parts = ("suggested_amounts",)

    # Its history (simple-history) is registered in translation.py, after the _en/_es fields exist,
    # so that each version keeps both languages.
    objects = AppealQuerySet.as_manager()

    class Meta:
        verbose_name = _("appeal")
        verbose_name_plural = _("appeals")
        ordering = ["-is_default", "title"]
        constraints = [
            models.UniqueConstraint(fields=["is_default"], condition=Q(is_default=True), name="appeal_single_default"),
            models.CheckConstraint(
                condition=Q(goal_cents__isnull=True) | Q(goal_cents__gt=0), name="appeal_goal_positive"
            ),
        ]

    def __str__(self):
        return self.title

    def get_absolute_url(self):
        return reverse("donations:donate_appeal", kwargs={"slug": self.slug})

    def clean(self):
        # These addresses under /donate/ belong to other pages.
        if self.slug in RESERVED_APPEAL_SLUGS:
            raise ValidationError({"slug": _("This address is used by another page; choose another slug.")},
                                  code="slug_reserved")
        from core.content_languages import image_description_errors

        if errors := image_description_errors(self):
            raise ValidationError(errors)
        if self.is_active:
            # An active appeal takes gifts in both languages: its title and text (when it has one) must
            # be written in Spanish too, or a Spanish reader would give on an English page.
            from core.content_languages import spanish_required_errors

            errors = spanish_required_errors(self, ("title", "text"))
            if errors:
                raise ValidationError(errors)

    def amounts(self) -> list["SuggestedAmount"]:
        """The amount buttons in order. Loaded once per instance, in one query (or taken from a
        prefetch_related), whichever of the form, its initial values and the template asks first."""
        prefetch_related_objects([self], "suggested_amounts")
        return list(self.suggested_amounts.all())

    @property
    def progress_shown(self) -> bool:
        """Whether the thermometer is worth showing: a goal, and at least the staff's threshold raised."""
        raised = getattr(self, "raised_cents", 0) or 0
        return bool(self.goal_cents) and raised >= (self.progress_shown_from_cents or 0)

    @property
    def progress_percent(self) -> int:
        raised = getattr(self, "raised_cents", 0) or 0
        if not self.goal_cents:
            return 0
        return max(0, min(100, raised * 100 // self.goal_cents))


class SuggestedAmount(models.Model):
    """One amount button on an appeal's donate page, with the staff's line saying what it does
    ("A week of safe shelter for one child"). The same buttons serve one-time and monthly gifts.
    An active appeal's lines are written in Spanish too (clean()), as its title and text are."""

    appeal = models.ForeignKey(
        Appeal, verbose_name=_("appeal"), on_delete=models.CASCADE, related_name="suggested_amounts"
    )
    amount_cents = models.PositiveIntegerField(
        _("amount (cents)"), help_text=_("A whole amount in cents, e.g. 5000 for $50."),
        validators=[MinValueValidator(1, message=_("Use a whole, positive amount in cents, e.g. 5000 for $50."))],
    )
    impact_line = models.CharField(
        _("what it does"), max_length=120, blank=True,
        help_text=_("Optional, one short line shown on the button, e.g. “A week of safe shelter for one child”."),
    )
    position = models.PositiveSmallIntegerField(
        _("position"), default=0, help_text=_("Buttons are shown from the lowest position; equal positions by amount.")
    )

    class Meta:
        verbose_name = _("suggested amount")
        verbose_name_plural = _("suggested amounts")
        ordering = ["position", "amount_cents"]
        constraints = [
            models.UniqueConstraint(fields=["appeal", "amount_cents"], name="suggestedamount_unique_per_appeal"),
            models.CheckConstraint(
                condition=Q(amount_cents__gt=0), name="suggestedamount_amount_positive",
                violation_error_code="amount_not_positive",
                violation_error_message=_("Use a whole, positive amount in cents, e.g. 5000 for $50."),
            ),
        ]

    def __str__(self):
        return format_money(self.amount_cents, settings.DONATION_CURRENCY, trim=True)

    def clean(self):
        # The appeal's own rule (Appeal.clean), extended to its buttons: an active appeal's line is
        # shown to Spanish readers too, so it may not be English only.
        try:
            # In the admin's inline this is the appeal as submitted (its "active" box included).
            appeal = self.appeal
        except Appeal.DoesNotExist:
            return
        if appeal.is_active:
            from core.content_languages import spanish_required_errors

            errors = spanish_required_errors(self, ("impact_line",))
            if errors:
                raise ValidationError(errors)


class RecurringDonationQuerySet(models.QuerySet):
    def for_email(self, email: str):
        return self.filter(email__iexact=email.strip())

    def at_risk(self):
        """Monthly gifts whose latest payment attempt failed (Stripe is retrying, or has given up
        and marked them past due or unpaid) and that are not over."""
        latest_paid = Max("payments__paid_at")
        failing = Q(last_payment_failed_at__isnull=False) & (
            Q(latest_paid_at__isnull=True) | Q(last_payment_failed_at__gt=F("latest_paid_at"))
        )
        return (
            self.exclude(status__in=[self.model.Status.CANCELED, self.model.Status.INCOMPLETE_EXPIRED])
            .annotate(latest_paid_at=latest_paid)
            .filter(failing | Q(status__in=[self.model.Status.PAST_DUE, self.model.Status.UNPAID]))
        )


class RecurringDonation(models.Model):
    """A monthly gift: one Stripe subscription. Each paid invoice is a Donation linked to it."""

    class Status(models.TextChoices):
        # Stripe's subscription statuses, mirrored as Stripe reports them.
        INCOMPLETE = "incomplete", _("Incomplete")
        INCOMPLETE_EXPIRED = "incomplete_expired", _("Incomplete, expired")
        TRIALING = "trialing", _("Trialing")
        ACTIVE = "active", _("Active")
        PAST_DUE = "past_due", _("Past due")
        UNPAID = "unpaid", _("Unpaid")
        PAUSED = "paused", _("Paused")
        CANCELED = "canceled", _("Canceled")

    # The checkout's language: each renewal's receipt and the failed-renewal notice use it.
    language = LanguageField()
    appeal = models.ForeignKey(
        Appeal, verbose_name=_("appeal"), on_delete=models.PROTECT, null=True, blank=True, related_name="recurring"
    )
    name = models.CharField(_("name"), max_length=200, blank=True)
    # Blank until an event that names the donor arrives (Stripe does not order its events).
    email = models.EmailField(_("email"), db_index=True, blank=True)
    amount_cents = models.PositiveIntegerField(_("monthly amount (cents)"))
    currency = models.CharField(_("currency"), max_length=3, default="usd")
    status = models.CharField(_("status"), max_length=20, choices=Status.choices, default=Status.INCOMPLETE)
    stripe_subscription_id = models.CharField(_("Stripe subscription"), max_length=255, unique=True)
    stripe_customer_id = models.CharField(_("Stripe customer"), max_length=255, blank=True, db_index=True)
    cancel_at_period_end = models.BooleanField(_("cancels at period end"), default=False)
    current_period_end = models.DateTimeField(_("current period ends"), null=True, blank=True)
    canceled_at = models.DateTimeField(_("canceled at"), null=True, blank=True)
    last_payment_failed_at = models.DateTimeField(_("last payment failed at"), null=True, blank=True)
    # Stripe does not deliver events in order: a subscription event older than the last one
    # applied is ignored (Stripe's `created`, a Unix timestamp).
    last_event_created = models.BigIntegerField(_("last event applied (Unix time)"), default=0)
    created_at = models.DateTimeField(_("created at"), auto_now_add=True)
    updated_at = models.DateTimeField(_("updated at"), auto_now=True)

    objects = RecurringDonationQuerySet.as_manager()

    class Meta:
        verbose_name = _("recurring donation")
        verbose_name_plural = _("recurring donations")
        ordering = ["-created_at"]
        constraints = [
            models.CheckConstraint(condition=Q(amount_cents__gt=0), name="recurringdonation_amount_positive"),
        ]

    def __str__(self):
        return _("%(email)s · %(amount)s/month") % {
            "email": self.email, "amount": format_money(self.amount_cents, self.currency)}


def counted_gift(prefix: str = "") -> Q:
    """A gift that counts as money raised: paid, and not held for staff (`prefix` reaches it
    through a relation, e.g. "donations__")."""
    return Q(**{f"{prefix}paid_at__isnull": False}) & ~Q(**{f"{prefix}status": "held"})


def lost_cents(prefix: str = ""):
    """What a lost dispute took back from a gift (0 while a dispute is open or was won)."""
    return Case(
        When(**{f"{prefix}status": "dispute_lost"}, then=F(f"{prefix}dispute_amount_cents")),
        default=Value(0),
        output_field=models.IntegerField(),
    )


def net_cents(prefix: str = ""):
    """What a gift leaves the organization: the amount, less refunds and a lost dispute."""
    return Greatest(
        F(f"{prefix}amount_cents") - F(f"{prefix}amount_refunded_cents") - lost_cents(prefix),
        Value(0),
        output_field=models.IntegerField(),
    )


class DonationQuerySet(models.QuerySet):
    def counted(self):
        """Gifts that count in every total (thermometer, dashboard, admin totals)."""
        return self.filter(counted_gift())

    def net_sum(self, **filters):
        """Sum of net_cents over these gifts (one aggregate expression; `filters` narrow it)."""
        condition = counted_gift() & Q(**filters)
        return Coalesce(Sum(net_cents(), filter=condition), 0)

    def totals(self) -> dict:
        counted = counted_gift()
        return self.aggregate(
            gross_cents=Coalesce(Sum("amount_cents", filter=counted), 0),
            refunded_cents=Coalesce(Sum("amount_refunded_cents", filter=counted), 0),
            lost_cents=Coalesce(Sum(lost_cents(), filter=counted), 0),
            net_cents=Coalesce(Sum(net_cents(), filter=counted), 0),
            count=models.Count("pk"),
        )


class Donation(models.Model):
    """One gift: a one-time checkout or one monthly payment. Its money state only changes through
    Stripe's events (or the demo processor's, which take the same path); the one other change is
    "cancelled", when the donor leaves Stripe's page by its way back (a payment still wins)."""

    class Status(models.TextChoices):
        PENDING = "pending", _("Pending")
        SUCCEEDED = "succeeded", _("Succeeded")
        FAILED = "failed", _("Failed")
        EXPIRED = "expired", _("Expired")
        # The donor left Stripe's page through its way back (our cancel address): not "expired",
        # which is Stripe closing a checkout nobody finished.
        CANCELLED = "cancelled", _("Canceled")
        PARTIALLY_REFUNDED = "partially_refunded", _("Partially refunded")
        REFUNDED = "refunded", _("Refunded")
        DISPUTED = "disputed", _("Disputed")
        DISPUTE_LOST = "dispute_lost", _("Dispute lost")
        # The completed checkout does not match what Camino created (a different amount): no
        # receipt, not counted, until staff look at it.
        HELD = "held", _("Held for staff")

    class Tribute(models.TextChoices):
        NONE = "", _("No tribute")
        HONOR = "honor", _("In honor of")
        MEMORY = "memory", _("In memory of")

    reference = models.UUIDField(_("reference"), default=uuid.uuid4, unique=True, editable=False)
    # The donor's language at checkout (a renewal: its subscription's): Checkout, receipt, refund email.
    language = LanguageField()
    appeal = models.ForeignKey(
        Appeal, verbose_name=_("appeal"), on_delete=models.PROTECT, null=True, blank=True, related_name="donations"
    )
    recurring = models.ForeignKey(
        RecurringDonation,
        verbose_name=_("recurring donation"),
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="payments",
    )
    frequency = models.CharField(_("frequency"), max_length=8, choices=Frequency.choices, default=Frequency.ONCE)
    status = models.CharField(_("status"), max_length=20, choices=Status.choices, default=Status.PENDING)
    amount_cents = models.PositiveIntegerField(
        _("amount (cents)"), help_text=_("Everything charged, fee cover included.")
    )
    fee_cover_cents = models.PositiveIntegerField(_("fee cover (cents)"), default=0)
    amount_refunded_cents = models.PositiveIntegerField(_("refunded (cents)"), default=0)
    currency = models.CharField(_("currency"), max_length=3, default="usd")
    name = models.CharField(_("name"), max_length=200, blank=True)
    email = models.EmailField(_("email"), db_index=True)
    consent_updates = models.BooleanField(_("consents to updates"), default=False)
    tribute_type = models.CharField(_("tribute"), max_length=8, choices=Tribute.choices, default="", blank=True)
    tribute_name = models.CharField(_("tribute name"), max_length=200, blank=True)
    is_demo = models.BooleanField(_("demo"), default=False, help_text=_("Made by the demo processor: no real money."))
    stripe_checkout_session_id = models.CharField(
        _("Stripe checkout session"), max_length=255, unique=True, null=True, blank=True
    )
    stripe_payment_intent_id = models.CharField(
        _("Stripe payment intent"), max_length=255, unique=True, null=True, blank=True
    )
    stripe_charge_id = models.CharField(_("Stripe charge"), max_length=255, unique=True, null=True, blank=True)
    stripe_invoice_id = models.CharField(_("Stripe invoice"), max_length=255, unique=True, null=True, blank=True)
    stripe_customer_id = models.CharField(_("Stripe customer"), max_length=255, blank=True)
    dispute_status = models.CharField(_("dispute status"), max_length=40, blank=True)
    dispute_reason = models.CharField(_("dispute reason"), max_length=60, blank=True)
    stripe_dispute_id = models.CharField(_("Stripe dispute"), max_length=255, blank=True)
    dispute_amount_cents = models.PositiveIntegerField(
        _("disputed (cents)"), default=0, help_text=_("Withdrawn from the gift for good if the dispute is lost.")
    )
    # Stripe does not order dispute events: an open status older than the last applied one is ignored.
    dispute_event_created = models.BigIntegerField(_("last dispute event applied (Unix time)"), default=0)
    hold_reason = models.TextField(_("why it is held"), blank=True)
    paid_at = models.DateTimeField(_("paid at"), null=True, blank=True)
    refund_requested_at = models.DateTimeField(_("refund requested at"), null=True, blank=True)
    receipt_claimed_at = models.DateTimeField(_("receipt claimed at"), null=True, blank=True, editable=False)
    receipt_sent_at = models.DateTimeField(_("receipt sent at"), null=True, blank=True)
    created_at = models.DateTimeField(_("created at"), auto_now_add=True, db_index=True)
    updated_at = models.DateTimeField(_("updated at"), auto_now=True)

    history = HistoricalRecords(excluded_fields=["receipt_claimed_at"])
    objects = DonationQuerySet.as_manager()

    class Meta:
        verbose_name = _("donation")
        verbose_name_plural = _("donations")
        ordering = ["-created_at"]
        # The dashboard counts gifts by paid_at; finance filters by status and date on big tables.
        indexes = [
            models.Index(fields=["paid_at"], name="donation_paid_at_idx"),
            models.Index(fields=["status", "created_at"], name="donation_status_created_idx"),
        ]
        constraints = [
            models.CheckConstraint(condition=Q(amount_cents__gt=0), name="donation_amount_positive"),
            models.CheckConstraint(
                condition=Q(amount_refunded_cents__lte=F("amount_cents")), name="donation_refund_within_amount"
            ),
        ]

    def __str__(self):
        return f"{format_money(self.amount_cents, self.currency)} · {self.email}"

    @property
    def receipt_number(self) -> str:
        return f"{settings.ORGANIZATION_NAME[:3].upper()}-{self.pk:07d}"


class StripeEventQuerySet(models.QuerySet):
    def other_api_versions(self):
        """Real (not demo) events sent in another API version than the one Camino is built for."""
        return self.filter(is_demo=False).exclude(api_version__in=["", settings.STRIPE_API_VERSION])


class StripeEvent(models.Model):
    """Every webhook event, stored once (Stripe delivers at least once) before it is processed."""

    class Status(models.TextChoices):
        RECEIVED = "received", _("Received")
        PROCESSED = "processed", _("Processed")
        IGNORED = "ignored", _("Ignored")
        WAITING = "waiting", _("Waiting for a related event")
        # Waited its full number of attempts (STRIPE_EVENT_WAIT_ATTEMPTS) and still matches no
        # gift: staff decide (the result says what it waited for).
        UNMATCHED = "unmatched", _("Unmatched")
        FAILED = "failed", _("Failed")

    stripe_event_id = models.CharField(_("Stripe event id"), max_length=255, unique=True)
    type = models.CharField(_("type"), max_length=100, db_index=True)
    api_version = models.CharField(_("API version"), max_length=40, blank=True)
    livemode = models.BooleanField(_("live mode"), default=False)
    is_demo = models.BooleanField(_("demo"), default=False)
    created = models.BigIntegerField(_("created at Stripe (Unix time)"))
    payload = models.JSONField(_("payload"))
    status = models.CharField(_("status"), max_length=12, choices=Status.choices, default=Status.RECEIVED)
    result = models.TextField(_("processing result"), blank=True)
    attempts = models.PositiveIntegerField(_("attempts"), default=0)
    # A waiting event names the Stripe object it waits for, so the event that links that object
    # wakes it (and only it); the sweep retries it no sooner than next_attempt_at.
    waiting_for = models.CharField(_("waiting for"), max_length=255, blank=True, db_index=True)
    next_attempt_at = models.DateTimeField(_("next attempt at"), null=True, blank=True)
    received_at = models.DateTimeField(_("received at"), auto_now_add=True, db_index=True)
    processed_at = models.DateTimeField(_("processed at"), null=True, blank=True)

    objects = StripeEventQuerySet.as_manager()

    class Meta:
        verbose_name = _("Stripe event")
        verbose_name_plural = _("Stripe events")
        ordering = ["-received_at"]
        indexes = [models.Index(fields=["status", "next_attempt_at"], name="stripeevent_status_next_idx")]

    def __str__(self):
        return f"{self.type} ({self.stripe_event_id})"


class ManageLinkRequest(models.Model):
    """A donor asked for a "manage my monthly gift" link; the row makes sending it idempotent.
    The emailed link carries a random token, never the donor's email; only its SHA-256 is stored,
    and it opens the portal once (used_at), within DONATION_MANAGE_LINK_MAX_AGE of the request."""

    recurring = models.ForeignKey(
        RecurringDonation, verbose_name=_("recurring donation"), on_delete=models.CASCADE, related_name="link_requests"
    )
    created_at = models.DateTimeField(_("requested at"), auto_now_add=True)
    # The page the donor asked from: the email with the link speaks its language.
    language = LanguageField()
    claimed_at = models.DateTimeField(_("claimed at"), null=True, blank=True)
    sent_at = models.DateTimeField(_("sent at"), null=True, blank=True)
    token_hash = models.CharField(_("token hash"), max_length=64, null=True, unique=True, editable=False)
    used_at = models.DateTimeField(_("used at"), null=True, blank=True)

    class Meta:
        verbose_name = _("manage-link request")
        verbose_name_plural = _("manage-link requests")
        ordering = ["-created_at"]

    def __str__(self):
        # No email: this text lands in the admin's log of changes.
        return f"#{self.recurring_id} · {self.created_at:%Y-%m-%d %H:%M}"


class Refund(models.Model):
    """One Stripe refund of a gift, as Stripe last reported it. The gift's refunded amount is the
    sum of its refunds that have not failed, so refund events may arrive in any order."""

    class Status(models.TextChoices):
        # Stripe's refund statuses.
        PENDING = "pending", _("Pending")
        REQUIRES_ACTION = "requires_action", _("Requires action")
        SUCCEEDED = "succeeded", _("Succeeded")
        FAILED = "failed", _("Failed")
        CANCELED = "canceled", _("Canceled")

    donation = models.ForeignKey(Donation, verbose_name=_("donation"), on_delete=models.PROTECT, related_name="refunds")
    stripe_refund_id = models.CharField(_("Stripe refund"), max_length=255, unique=True)
    amount_cents = models.PositiveIntegerField(_("amount (cents)"))
    status = models.CharField(_("status"), max_length=20, choices=Status.choices, default=Status.PENDING)
    failure_reason = models.CharField(_("failure reason"), max_length=100, blank=True)
    # The donor's one email saying what was refunded, once Stripe says it succeeded (services.refunds).
    notice_claimed_at = models.DateTimeField(_("notice claimed at"), null=True, blank=True, editable=False)
    notice_sent_at = models.DateTimeField(_("donor told at"), null=True, blank=True)
    created_at = models.DateTimeField(_("created at"), auto_now_add=True)
    updated_at = models.DateTimeField(_("updated at"), auto_now=True)

    class Meta:
        verbose_name = _("refund")
        verbose_name_plural = _("refunds")
        ordering = ["-created_at"]
        constraints = [models.CheckConstraint(condition=Q(amount_cents__gt=0), name="refund_amount_positive")]

    def __str__(self):
        return f"{format_money(self.amount_cents, self.donation.currency)} · {self.get_status_display()}"


class PaymentFailureNotice(models.Model):
    """The one email a monthly donor gets when a renewal fails (one per failed invoice, however
    many times Stripe retries it); the row makes sending it idempotent."""

    recurring = models.ForeignKey(
        RecurringDonation,
        verbose_name=_("recurring donation"),
        on_delete=models.CASCADE,
        related_name="failure_notices",
    )
    stripe_invoice_id = models.CharField(_("Stripe invoice"), max_length=255, unique=True)
    created_at = models.DateTimeField(_("created at"), auto_now_add=True)
    claimed_at = models.DateTimeField(_("claimed at"), null=True, blank=True)
    sent_at = models.DateTimeField(_("sent at"), null=True, blank=True)

    class Meta:
        verbose_name = _("failed-payment notice")
        verbose_name_plural = _("failed-payment notices")
        ordering = ["-created_at"]

    def __str__(self):
        return f"{self.stripe_invoice_id} · {self.created_at:%Y-%m-%d %H:%M}"
