"""Letter campaigns to Congress: the campaign staff write, the supporters who write through it, their
letters, and one delivery per recipient office that a Celery worker sends and records."""

import secrets
import uuid
from datetime import timedelta

from django.conf import settings
from django.core.exceptions import ValidationError
from django.core.validators import MaxValueValidator, MinLengthValidator, RegexValidator
from django.db import models
from django.db.models import Q
from django.urls import reverse
from django.utils import timezone, translation
from django.utils.translation import gettext_lazy as _
from modeltranslation.utils import build_localized_fieldname

from core.language import LanguageField
from stories.validators import validate_story_image

from . import letter_rules
from .placeholders import render_template_text, unknown_placeholders
from .querysets import (
    CallReportQuerySet,
    CampaignDayQuerySet,
    CampaignQuerySet,
    DeliveryQuerySet,
    LetterQuerySet,
    StatusLinkQuerySet,
)
from .topics import BILL_TYPE_CHOICES, LOC_TOPIC_CHOICES, PREFIX_CHOICES


def new_delivery_id() -> str:
    """CWC's DeliveryId: 32 alphanumerics, minted once per delivery and kept for every retry."""
    return uuid.uuid4().hex


def new_campaign_cwc_id() -> str:
    return secrets.token_hex(16)


# The texts a campaign cannot go live without in Spanish (Campaign.clean, docs/advocacy.md).
SPANISH_REQUIRED_TO_GO_LIVE = ("title", "summary", "ask")


class Campaign(models.Model):
    """A letter staff ask supporters to send. Only a live campaign inside its open/close window
    takes letters; the text goes to each recipient with the placeholders filled in."""

    class Status(models.TextChoices):
        DRAFT = "draft", _("Draft")
        LIVE = "live", _("Live")
        CLOSED = "closed", _("Closed")

    class Targets(models.TextChoices):
        HOUSE = "house", _("The supporter's representative")
        SENATE = "senate", _("The supporter's senators")
        BOTH = "both", _("The supporter's representative and senators")
        CHOSEN = "chosen", _("Chosen members (only those who represent the supporter)")
        CUSTOM = "custom", _("Custom targets only (e.g. a committee chair or an agency)")

    class EditingPolicy(models.TextChoices):
        LOCKED = "locked", _("Locked: the letter is sent as written")
        EDITABLE = "editable", _("Editable: supporters may rewrite the letter")
        NOTE = "note", _("Personal note: supporters may add a note of their own")

    class Stance(models.TextChoices):
        PRO = "pro", _("Pro (supports the bill)")
        CON = "con", _("Con (opposes the bill)")

    title = models.CharField(_("title"), max_length=200)
    slug = models.SlugField(_("slug"), max_length=200, unique=True, help_text=_("The address: /act/<slug>/."))
    summary = models.CharField(_("summary"), max_length=300, help_text=_("One or two sentences for lists and shares."))
    ask = models.TextField(_("the ask"), help_text=_("What we ask Congress to do, and why, shown above the form."))
    # Checked as story photos are (format, file size, dimensions) before anything reaches the storage:
    # the thumbnailer behind the campaign page must never open a 144-megapixel image.
    image = models.ImageField(
        _("image"),
        upload_to="campaigns/",
        blank=True,
        validators=[validate_story_image],
        help_text=_("Optional. JPEG, PNG or WebP; the page shows it cropped to a wide 16:9 frame."),
    )
    image_alt = models.CharField(
        _("image description"),
        max_length=250,
        blank=True,
        help_text=_("What the image shows, for people who cannot see it. Required with an image."),
    )
    status = models.CharField(_("status"), max_length=8, choices=Status.choices, default=Status.DRAFT)
    opens_at = models.DateTimeField(_("opens at"), null=True, blank=True, help_text=_("Empty: open while live."))
    closes_at = models.DateTimeField(_("closes at"), null=True, blank=True, help_text=_("Empty: no end date."))
    goal = models.PositiveIntegerField(_("goal"), default=1000, help_text=_("Letters we hope for (the counter)."))
    # "0 letters sent toward our goal of 5,000" discourages more than it persuades: the counter
    # stays hidden until the number means something.
    counter_shown_from = models.PositiveIntegerField(
        _("counter shown from"),
        default=100,
        help_text=_("The letter counter is shown once this many letters are sent (0: always)."),
    )
    targets = models.CharField(_("targets"), max_length=8, choices=Targets.choices, default=Targets.BOTH)
    chosen_members = models.ManyToManyField(
        "congress.Legislator",
        blank=True,
        related_name="+",
        verbose_name=_("chosen members"),
        help_text=_("With 'chosen members': supporters write only to those of these who represent them."),
    )
    subject_template = models.CharField(
        _("letter subject"),
        max_length=300,
        help_text=_("6 to 300 characters. Placeholders: {first_name} {last_name} {city} {member_name} …"),
    )
    body_template = models.TextField(
        _("letter body"),
        help_text=_(
            "Plain text. Placeholders: {first_name}, {last_name}, {full_name}, {city}, {state}, "
            "{member_title}, {member_name}. No signature: the office receives the sender's details."
        ),
    )
    editing_policy = models.CharField(
        _("editing policy"), max_length=8, choices=EditingPolicy.choices, default=EditingPolicy.NOTE
    )
    min_length = models.PositiveIntegerField(
        _("minimum length"), default=0, help_text=_("Characters the supporter's own words need (0: optional).")
    )
    max_length = models.PositiveIntegerField(
        _("maximum length"),
        default=5000,
        validators=[
            MaxValueValidator(
                letter_rules.MESSAGE_MAX_LENGTH,
                message=_("CWC takes at most %(limit_value)s characters; a longer letter could never be delivered."),
            )
        ],
        help_text=_("Offices cut long messages; CWC takes at most 10,000."),
    )
    topic = models.CharField(
        _("Library of Congress topic"), max_length=60, choices=LOC_TOPIC_CHOICES, default="Immigration"
    )
    bill_congress = models.PositiveSmallIntegerField(
        _("bill: Congress"), null=True, blank=True, help_text=_("e.g. 119")
    )
    bill_type = models.CharField(_("bill: type"), max_length=12, choices=BILL_TYPE_CHOICES, blank=True)
    bill_number = models.PositiveIntegerField(_("bill: number"), null=True, blank=True)
    stance = models.CharField(_("stance on the bill"), max_length=3, choices=Stance.choices, blank=True)
    thank_you_text = models.TextField(_("thank-you text"), blank=True, help_text=_("Shown after sending."))
    share_text = models.CharField(_("share text"), max_length=280, blank=True, help_text=_("Prefilled in share links."))
    call_script = models.TextField(
        _("call script"), blank=True, help_text=_("A few sentences for supporters who also phone their offices.")
    )
    story = models.ForeignKey(
        "stories.Story",
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("story"),
        help_text=_("Optional: a story shown beside the letter."),
    )
    appeal = models.ForeignKey(
        "donations.Appeal",
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("donation appeal"),
        help_text=_("The appeal on the thank-you page. Empty: the default Give Today appeal."),
    )
    cwc_campaign_id = models.CharField(
        _("CWC campaign id"),
        max_length=64,
        default=new_campaign_cwc_id,
        editable=False,
        help_text=_("Offices group identical letters by this id; it never changes."),
    )
    created_at = models.DateTimeField(_("created at"), auto_now_add=True)
    updated_at = models.DateTimeField(_("updated at"), auto_now=True)

    # Its history (simple-history) is registered in translation.py, after the _en/_es fields exist,
    # so that each version keeps both languages.
    objects = CampaignQuerySet.as_manager()

    class Meta:
        verbose_name = _("campaign")
        verbose_name_plural = _("campaigns")
        ordering = ["-created_at"]
        constraints = [
            models.CheckConstraint(
                condition=Q(opens_at__isnull=True) | Q(closes_at__isnull=True) | Q(closes_at__gt=models.F("opens_at")),
                name="campaign_closes_after_opening",
            ),
            models.CheckConstraint(
                condition=Q(max_length__gte=models.F("min_length")), name="campaign_lengths_ordered"
            ),
            models.CheckConstraint(
                condition=Q(max_length__lte=letter_rules.MESSAGE_MAX_LENGTH),
                name="campaign_max_length_cwc",
                violation_error_message=_("CWC takes at most 10,000 characters."),
            ),
            models.CheckConstraint(
                condition=Q(image="") | ~Q(image_alt=""),
                name="campaign_image_has_alt",
                violation_error_message=_("An image needs a description (alt text)."),
            ),
        ]

    def __str__(self):
        return self.title

    def get_absolute_url(self):
        return reverse("advocacy:campaign_detail", kwargs={"slug": self.slug})

    def clean(self):
        errors = {}
        for field in ("subject_template", "body_template"):
            unknown = unknown_placeholders(getattr(self, field) or "")
            if unknown:
                errors[field] = ValidationError(
                    _("Unknown placeholders: %(names)s."),
                    code="unknown_placeholder",
                    params={"names": ", ".join("{" + name + "}" for name in unknown)},
                )
        # The letter as CWC will take it, whoever signs and whoever receives it.
        self.body_template = letter_rules.normalize_line_breaks(self.body_template)
        for field, low, high in (
            ("subject_template", letter_rules.SUBJECT_MIN_LENGTH, letter_rules.SUBJECT_MAX_LENGTH),
            ("body_template", letter_rules.MESSAGE_MIN_LENGTH, letter_rules.MESSAGE_MAX_LENGTH),
        ):
            if field in errors:
                continue
            text = getattr(self, field) or ""
            try:
                letter_rules.check_characters(text)
                if field == "subject_template":
                    letter_rules.check_single_line(text)
            except ValidationError as exc:
                errors[field] = exc
                continue
            shortest, longest = letter_rules.expanded_length_range(text)
            if shortest < low:
                errors[field] = ValidationError(
                    _(
                        "With the shortest names filled in this has %(length)d characters; "
                        "CWC needs at least %(count)d."
                    ),
                    code="short",
                    params={"length": shortest, "count": low},
                )
            elif longest > high:
                errors[field] = ValidationError(
                    _(
                        "With the longest names filled in this could reach %(length)d characters; CWC takes at "
                        "most %(count)d. Shorten it or use fewer placeholders."
                    ),
                    code="long",
                    params={"length": longest, "count": high},
                )
        from core.content_languages import image_description_errors

        errors.update(image_description_errors(self))
        bill = [self.bill_congress, self.bill_type, self.bill_number]
        if any(bill) and not all(bill):
            errors["bill_number"] = ValidationError(
                _("Give the Congress, type and number of the bill, or none of them."), code="bill_incomplete"
            )
        if any(bill) and not self.stance:
            errors["stance"] = ValidationError(_("Say whether the letter supports or opposes the bill."), code="stance")
        if self.status == self.Status.LIVE:
            # Live in both languages: a Spanish reader must not meet an English ask. The optional texts
            # (thank-you, share, call script) fall back to English; the letter to offices is English only.
            from core.content_languages import spanish_required_errors

            errors.update(spanish_required_errors(self, SPANISH_REQUIRED_TO_GO_LIVE))
        if errors:
            raise ValidationError(errors)

    @property
    def is_open(self) -> bool:
        now = timezone.now()
        return (
            self.status == self.Status.LIVE
            and (self.opens_at is None or self.opens_at <= now)
            and (self.closes_at is None or self.closes_at > now)
        )

    @property
    def writes_to_congress(self) -> bool:
        return self.targets != self.Targets.CUSTOM

    @property
    def has_bill(self) -> bool:
        return bool(self.bill_congress and self.bill_type and self.bill_number)

    @staticmethod
    def sample_values() -> dict[str, str]:
        """The example values in brackets the public preview shows for each placeholder, in the
        active language (the reader's): the letter around them stays English."""
        return {
            "first_name": str(_("[Your first name]")),
            "last_name": str(_("[Your last name]")),
            "full_name": str(_("[Your name]")),
            "city": str(_("[Your city]")),
            "state": str(_("[Your state]")),
            "member_title": str(_("Representative")),
            "member_name": str(_("[Your representative]")),
        }

    def sample_letter(self) -> tuple[str, str]:
        """The subject and letter as the public page previews them: example values in brackets
        where each supporter's and office's are filled in, never raw {member_name} placeholders."""
        values = self.sample_values()
        return render_template_text(self.subject_template, values), render_template_text(self.body_template, values)

    def progress_percent(self, count: int) -> int:
        return min(100, round(100 * count / self.goal)) if self.goal else 100


class CustomTarget(models.Model):
    """Someone outside the supporter's own delegation (a committee chair, an agency) who gets every
    letter of the campaign by email."""

    campaign = models.ForeignKey(Campaign, on_delete=models.CASCADE, related_name="custom_targets")
    name = models.CharField(_("name"), max_length=200)
    title = models.CharField(_("title"), max_length=200, blank=True, help_text=_("e.g. Chair, Judiciary Committee"))
    email = models.EmailField(_("email"))

    class Meta:
        verbose_name = _("custom target")
        verbose_name_plural = _("custom targets")
        ordering = ["campaign", "name"]
        constraints = [models.UniqueConstraint(fields=["campaign", "email"], name="customtarget_unique_email")]

    def __str__(self):
        return f"{self.title} {self.name}".strip()


class Supporter(models.Model):
    """An email address that letters were written from. Anyone can type any address into the form,
    so nothing stored here is ever read back into a letter or shown on a page: each letter carries
    what its own submission typed (see `Letter`), and updates count only once the mailbox owner
    confirms them (`Consent`)."""

    email = models.EmailField(_("email"), unique=True)
    first_name = models.CharField(_("first name"), max_length=100)
    last_name = models.CharField(_("last name"), max_length=100)
    consented_at = models.DateTimeField(
        _("consented to updates at"),
        null=True,
        blank=True,
        help_text=_("When the mailbox owner first confirmed a request for updates. Empty: never confirmed."),
    )
    created_at = models.DateTimeField(_("created at"), auto_now_add=True)

    class Meta:
        verbose_name = _("supporter")
        verbose_name_plural = _("supporters")
        ordering = ["-created_at"]

    def __str__(self):
        return f"{self.first_name} {self.last_name} <{self.email}>"


class Letter(models.Model):
    """One submission through one campaign: the name, address and words typed in it, which every
    one of its deliveries carries. Writing again (moved, a corrected ZIP, another district) is a
    new letter to the offices of the new address; an office this email has already written to
    through the campaign is not written again (each office counts a constituent once)."""

    campaign = models.ForeignKey(Campaign, on_delete=models.PROTECT, related_name="letters")
    supporter = models.ForeignKey(Supporter, on_delete=models.PROTECT, related_name="letters")
    # The supporter's language on the form: their confirmation and status emails use it; what the
    # offices receive is always English (the campaign's letter, their own words as written).
    language = LanguageField()
    prefix = models.CharField(_("prefix"), max_length=5, choices=PREFIX_CHOICES)
    # The letter form's rules (advocacy/letter_rules.py) also hold where a superuser corrects a
    # letter in the admin: every delivery of it carries these values to the office.
    first_name = models.CharField(_("first name"), max_length=100, validators=[letter_rules.check_characters])
    last_name = models.CharField(_("last name"), max_length=100, validators=[letter_rules.check_characters])
    street = models.CharField(
        _("street address"),
        max_length=200,
        validators=[letter_rules.check_characters, MinLengthValidator(letter_rules.STREET_MIN_LENGTH)],
    )
    city = models.CharField(
        _("city"),
        max_length=100,
        validators=[letter_rules.check_characters, MinLengthValidator(letter_rules.CITY_MIN_LENGTH)],
    )
    state = models.CharField(_("state"), max_length=2)
    zip_code = models.CharField(
        _("ZIP code"),
        max_length=10,
        validators=[
            RegexValidator(
                f"^{letter_rules.CWC_ZIP_RE.pattern}$", message=_("Write the ZIP code as 98109 or 98109-1234.")
            )
        ],
    )
    phone = models.CharField(
        _("phone"),
        max_length=12,
        blank=True,
        help_text=_("XXX-XXX-XXXX"),
        validators=[RegexValidator(r"^[0-9]{3}-[0-9]{3}-[0-9]{4}$", message=_("Write the phone as XXX-XXX-XXXX."))],
    )
    district = models.PositiveSmallIntegerField(_("district"), null=True, blank=True)
    own_words = models.TextField(
        _("own words"),
        blank=True,
        validators=[letter_rules.check_characters],
        help_text=_("The supporter's rewritten letter or personal note, as plain text (never rendered as HTML)."),
    )
    confirmation_sent_at = models.DateTimeField(
        _("confirmation sent at"),
        null=True,
        blank=True,
        help_text=_("When the supporter was last emailed the list of offices written to."),
    )
    # Held while a worker sends the confirmation (core.claims.SendOnce: a dead worker's lease expires).
    confirmation_claimed_at = models.DateTimeField(_("confirmation claimed at"), null=True, editable=False)
    personal_erased_at = models.DateTimeField(
        _("street, phone and own words erased at"),
        null=True,
        blank=True,
        editable=False,
        help_text=_("The retention policy erased them once every delivery was final (core.retention)."),
    )
    created_at = models.DateTimeField(_("written at"), auto_now_add=True)

    objects = LetterQuerySet.as_manager()

    class Meta:
        verbose_name = _("letter")
        verbose_name_plural = _("letters")
        ordering = ["-created_at"]
        # The dashboard counts today's letters; staff filter the million-row list by state.
        indexes = [
            models.Index(fields=["created_at"], name="letter_created_at_idx"),
            models.Index(fields=["state"], name="letter_state_idx"),
            # Which offices this email has written to through a campaign (each submission asks).
            models.Index(fields=["campaign", "supporter"], name="letter_campaign_supporter_idx"),
        ]

    def __str__(self):
        return f"{self.first_name} {self.last_name} → {self.campaign}"

    def template_values(self) -> dict[str, str]:
        return {
            "first_name": self.first_name,
            "last_name": self.last_name,
            "full_name": f"{self.first_name} {self.last_name}",
            "city": self.city,
            "state": self.state,
        }

    def call_script(self) -> str:
        """The campaign's call script with this writer's name and town where staff wrote
        "[your name]" and "[your town]": the thank-you page knows both, so the supporter reads
        their own words, not a form to fill in while the phone rings."""
        # English whatever the page's language: these are the lines said to an English-speaking office.
        with translation.override("en"):
            script = self.campaign.call_script
        return self._fill_call_script(script)

    def call_script_guide(self) -> str:
        """The call script in the page's language, filled in like `call_script`, for a supporter
        who reads the English lines better with their meaning beside them. Empty on an English
        page, or where staff wrote no script in that language (the English lines stand alone)."""
        language = (translation.get_language() or "en").split("-")[0]
        if language == "en":
            return ""
        script = getattr(self.campaign, build_localized_fieldname("call_script", language), "") or ""
        return self._fill_call_script(script) if script.strip() else ""

    def _fill_call_script(self, script: str) -> str:
        for blank, value in (("[your name]", f"{self.first_name} {self.last_name}"), ("[your town]", self.city)):
            script = script.replace(blank, value)
        return script


class CallOutcome(models.TextChoices):
    """How a supporter's call went (CallReport.Outcome), as the buttons on the thank-you page say it."""

    TALKED = "talked", _("Talked to staff")
    VOICEMAIL = "voicemail", _("Left a voicemail")
    NO_ANSWER = "no_answer", _("Couldn't get through")


class CallReport(models.Model):
    """How a supporter's call to one of their offices went, as they said with a button on the
    thank-you page. One per letter and office: saying again changes the outcome, never the count.
    It holds nothing personal of its own (who called is the letter's, erased or anonymized with it,
    and deleted with it): staff read only counts per office and outcome."""

    Outcome = CallOutcome

    letter = models.ForeignKey(Letter, on_delete=models.CASCADE, related_name="call_reports")
    legislator = models.ForeignKey(
        "congress.Legislator", on_delete=models.PROTECT, related_name="+", verbose_name=_("member of Congress")
    )
    outcome = models.CharField(_("how the call went"), max_length=10, choices=Outcome.choices)
    created_at = models.DateTimeField(_("reported at"), auto_now_add=True)
    updated_at = models.DateTimeField(_("updated at"), auto_now=True)

    objects = CallReportQuerySet.as_manager()

    class Meta:
        verbose_name = _("call report")
        verbose_name_plural = _("call reports")
        ordering = ["-created_at"]
        constraints = [
            models.UniqueConstraint(fields=["letter", "legislator"], name="callreport_unique_per_letter_office"),
            models.CheckConstraint(condition=Q(outcome__in=CallOutcome.values), name="callreport_outcome_known"),
        ]

    def __str__(self):
        return f"{self.legislator_id}: {self.get_outcome_display()}"


class StatusLink(models.Model):
    """A private link to one letter's status page, as emailed to its writer. The link carries a
    random token, never the letter's id; only the token's SHA-256 is stored, so the table (or a
    backup of it) opens no status page. Each link expires (ADVOCACY_STATUS_LINK_DAYS) and staff
    or the erasure can revoke every link of a letter."""

    letter = models.ForeignKey(Letter, on_delete=models.CASCADE, related_name="status_links")
    token_hash = models.CharField(_("token hash"), max_length=64, unique=True, editable=False)
    created_at = models.DateTimeField(_("created at"), auto_now_add=True)
    expires_at = models.DateTimeField(_("expires at"))
    revoked_at = models.DateTimeField(_("revoked at"), null=True, blank=True)

    objects = StatusLinkQuerySet.as_manager()

    class Meta:
        verbose_name = _("status link")
        verbose_name_plural = _("status links")
        ordering = ["-created_at"]

    def __str__(self):
        return f"{self.letter_id} · {self.created_at:%Y-%m-%d %H:%M}"


# The consent box's label: what a supporter agrees to, kept on their Consent as shown to them.
CONSENT_WORDING = _("Send me occasional updates about this campaign")


class Consent(models.Model):
    """A request for updates checked on a letter's form. Anyone can type anyone's email address, so
    it counts only once the mailbox owner confirms it from the link in the letter's confirmation
    email (double opt-in); the words they were shown, in their language, are kept as shown."""

    letter = models.OneToOneField(Letter, on_delete=models.CASCADE, related_name="consent")
    wording = models.TextField(
        _("wording"), help_text=_("The words of the box the supporter checked, as shown to them.")
    )
    language = models.CharField(_("language"), max_length=15, blank=True)
    requested_at = models.DateTimeField(_("requested at"), auto_now_add=True)
    confirmed_at = models.DateTimeField(
        _("confirmed at"), null=True, blank=True, help_text=_("When the mailbox owner confirmed. Empty: not (yet).")
    )

    class Meta:
        verbose_name = _("consent to updates")
        verbose_name_plural = _("consents to updates")
        ordering = ["-requested_at"]

    def __str__(self):
        return f"{self.letter}: {self.wording}"


class AttemptOutcome(models.TextChoices):
    """What came of one attempt to send a delivery (DeliveryAttempt.Outcome)."""

    ACCEPTED = "accepted", _("Accepted by the office")
    NOT_SENT = "not_sent", _("Not sent: the office's system was unreachable")
    BUSY = "busy", _("The office's system could not take it now")
    UNCONFIRMED = "unconfirmed", _("Sent, no answer: it may have arrived")
    REJECTED = "rejected", _("Refused: retrying cannot help")
    ERROR = "error", _("Error in Camino")


class Delivery(models.Model):
    """One letter to one recipient, sent by one backend, its DeliveryId the same on every retry.
    The worker moves it queued → sending → sent; while the office's system is unreachable or
    busy it is *waiting for the office* until its next attempt (for up to DELIVERY_RETRY_BUDGET
    hours), then *failed*. A post the office never answered may have arrived: it is posted again
    at most once, and a delivery whose posts all went unanswered ends *unconfirmed*, not failed.
    Sent, failed and unconfirmed are final (`Delivery.objects.final()`) until staff retry."""

    class Status(models.TextChoices):
        QUEUED = "queued", _("Queued")
        SENDING = "sending", _("Sending")
        WAITING = "waiting", _("Waiting for the office")
        SENT = "sent", _("Delivered")
        UNCONFIRMED = "unconfirmed", _("Sent, not confirmed")
        FAILED = "failed", _("Failed")

    # Nothing more happens to these unless staff retry them.
    FINAL_STATUSES = (Status.SENT, Status.FAILED, Status.UNCONFIRMED)

    class Backend(models.TextChoices):
        CWC = "cwc", _("Communicating with Congress")
        EMAIL = "email", _("Email")
        CONSOLE = "console", _("Console (development)")
        FILE = "file", _("File (development)")

    letter = models.ForeignKey(Letter, on_delete=models.CASCADE, related_name="deliveries")
    legislator = models.ForeignKey(
        "congress.Legislator",
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("member of Congress"),
    )
    custom_target = models.ForeignKey(
        CustomTarget,
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="deliveries",
        verbose_name=_("custom target"),
    )
    recipient_key = models.CharField(
        _("recipient key"), max_length=40, editable=False, help_text=_("The office or target written to.")
    )
    recipient_name = models.CharField(_("recipient"), max_length=250)
    recipient_email = models.EmailField(_("recipient email"), blank=True)
    office_code = models.CharField(_("office"), max_length=6, blank=True, db_index=True)
    subject = models.CharField(_("subject"), max_length=500)
    statement = models.TextField(_("campaign text"), blank=True, help_text=_("The campaign's text as written."))
    personal = models.TextField(_("supporter's text"), blank=True, help_text=_("The supporter's own words."))
    backend = models.CharField(_("backend"), max_length=8, choices=Backend.choices)
    delivery_id = models.CharField(_("delivery id"), max_length=32, unique=True, default=new_delivery_id)
    status = models.CharField(_("status"), max_length=12, choices=Status.choices, default=Status.QUEUED)
    attempts = models.PositiveSmallIntegerField(
        _("attempts"), default=0, help_text=_("Every attempt ever made, staff retries included (see below).")
    )
    unconfirmed_posts = models.PositiveSmallIntegerField(
        _("unanswered posts"),
        default=0,
        help_text=_("Times the letter was sent and the office never answered: each may have arrived."),
    )
    next_attempt_at = models.DateTimeField(
        _("next attempt at"),
        null=True,
        blank=True,
        help_text=_("While waiting for the office: when it is tried again."),
    )
    round_started_at = models.DateTimeField(
        _("trying since"),
        null=True,
        blank=True,
        help_text=_("The first attempt since it was written or last retried by staff: the time budget counts from it."),
    )
    last_outcome = models.CharField(
        _("last attempt"), max_length=12, choices=AttemptOutcome.choices, blank=True, editable=False
    )
    last_error = models.TextField(_("last error"), blank=True)
    sent_at = models.DateTimeField(_("sent at"), null=True, blank=True)
    # Held while a worker sends it (core.claims.SendOnce): a dead worker's lease expires.
    claimed_at = models.DateTimeField(_("claimed at"), null=True, editable=False)
    backend_message_id = models.CharField(_("backend message id"), max_length=255, blank=True)
    created_at = models.DateTimeField(_("created at"), auto_now_add=True)
    updated_at = models.DateTimeField(_("updated at"), auto_now=True, db_index=True)

    objects = DeliveryQuerySet.as_manager()

    class Meta:
        verbose_name = _("delivery")
        verbose_name_plural = _("deliveries")
        ordering = ["-created_at"]
        constraints = [
            models.UniqueConstraint(fields=["letter", "recipient_key"], name="delivery_unique_per_letter_target"),
            models.CheckConstraint(
                condition=Q(legislator__isnull=True) | Q(custom_target__isnull=True), name="delivery_one_recipient"
            ),
            models.CheckConstraint(
                condition=~Q(status="sent") | Q(sent_at__isnull=False), name="delivery_sent_has_time"
            ),
        ]
        indexes = [
            models.Index(fields=["status", "updated_at"], name="delivery_status_updated_idx"),
            # The sweeper's "waiting and due" read.
            models.Index(fields=["next_attempt_at"], name="delivery_waiting_due_idx", condition=Q(status="waiting")),
        ]

    def __str__(self):
        return f"{self.recipient_name}: {self.get_status_display()}"

    @property
    def retry_deadline(self):
        """When a delivery waiting for the office stops being tried (its time budget runs out)."""
        if self.round_started_at is None:
            return None
        return self.round_started_at + timedelta(hours=settings.DELIVERY_RETRY_BUDGET_HOURS)

    @property
    def body(self) -> str:
        """The whole letter as plain text (email and console): campaign text, then the supporter's."""
        return "\n\n".join(part for part in (self.statement, self.personal) if part)


class DeliveryAttempt(models.Model):
    """One try at sending a delivery: when, how long it took and what the office's system answered.
    Never deleted with a retry, so staff can see an office that fails every Tuesday."""

    Outcome = AttemptOutcome

    delivery = models.ForeignKey(Delivery, on_delete=models.CASCADE, related_name="attempt_log")
    started_at = models.DateTimeField(_("started at"))
    duration_ms = models.PositiveIntegerField(_("duration (ms)"), default=0)
    outcome = models.CharField(_("outcome"), max_length=12, choices=Outcome.choices)
    status_code = models.PositiveSmallIntegerField(_("HTTP status"), null=True, blank=True)
    answer = models.TextField(_("answer"), blank=True, help_text=_("What the office's system answered, or the error."))

    class Meta:
        verbose_name = _("delivery attempt")
        verbose_name_plural = _("delivery attempts")
        ordering = ["delivery", "started_at", "pk"]
        indexes = [models.Index(fields=["delivery", "started_at"], name="deliveryattempt_delivery_idx")]

    def __str__(self):
        return f"{self.started_at:%Y-%m-%d %H:%M:%S}: {self.get_outcome_display()}"


class CampaignDay(models.Model):
    """Views of a campaign's page per day, for the funnel staff see in the admin (views → letters).
    Counted in the cache on each view and added here by a beat task, so an action-day spike costs
    no database write per page view."""

    campaign = models.ForeignKey(Campaign, on_delete=models.CASCADE, related_name="days")
    day = models.DateField(_("day"))
    views = models.PositiveIntegerField(_("page views"), default=0)

    objects = CampaignDayQuerySet.as_manager()

    class Meta:
        verbose_name = _("campaign day")
        verbose_name_plural = _("campaign days")
        ordering = ["-day"]
        constraints = [models.UniqueConstraint(fields=["campaign", "day"], name="campaign_day_unique")]

    def __str__(self):
        return f"{self.campaign} {self.day}: {self.views}"
