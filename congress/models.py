"""Members of Congress and the ZIP-to-district table, loaded by management commands from the
public congress-legislators and ZCTA-to-district data."""

from django.db import models
from django.db.models import Q
from django.utils.translation import gettext_lazy as _

# DC and the territories send a non-voting delegate (resident commissioner for PR) and no senators.
NON_STATE_CODES = frozenset({"DC", "PR", "GU", "VI", "AS", "MP"})


class LegislatorQuerySet(models.QuerySet):
    def active(self):
        return self.filter(is_active=True)

    def senators_for(self, state: str):
        return self.active().filter(chamber=Legislator.Chamber.SENATE, state=state).order_by("senate_class")

    def house_member_for(self, state: str, district: int):
        return self.active().filter(chamber=Legislator.Chamber.HOUSE, state=state, district=district).first()


class Legislator(models.Model):
    """A current or former member of Congress. The CWC office code belongs to the seat, not the
    person: it is derived from chamber, state, district and Senate class on every save of the seat."""

    class Chamber(models.TextChoices):
        HOUSE = "house", _("House")
        SENATE = "senate", _("Senate")

    bioguide_id = models.CharField(_("Bioguide id"), max_length=10, unique=True)
    first_name = models.CharField(_("first name"), max_length=100)
    last_name = models.CharField(_("last name"), max_length=100)
    official_full_name = models.CharField(_("official full name"), max_length=200, blank=True)
    chamber = models.CharField(_("chamber"), max_length=6, choices=Chamber.choices)
    state = models.CharField(_("state"), max_length=2, help_text=_("Two-letter USPS code, e.g. CA or DC."))
    district = models.PositiveSmallIntegerField(
        _("district"), null=True, blank=True, help_text=_("House only; 0 for at-large seats and delegates.")
    )
    senate_class = models.PositiveSmallIntegerField(_("Senate class"), null=True, blank=True)
    party = models.CharField(_("party"), max_length=50, blank=True)
    phone = models.CharField(_("phone"), max_length=30, blank=True)
    office_address = models.CharField(_("office address"), max_length=300, blank=True)
    contact_form_url = models.URLField(_("contact form URL"), max_length=500, blank=True)
    website_url = models.URLField(_("website"), max_length=500, blank=True)
    cwc_office_code = models.CharField(
        _("CWC office code"), max_length=6, blank=True, db_index=True,
        help_text=_("H + state + two-digit district, or S + state + 0 + class, e.g. HCA13, SCA03."),
    )
    accepts_cwc = models.BooleanField(
        _("accepts CWC"), default=True,
        help_text=_("Untick for offices that do not take Communicating with Congress messages."),
    )
    email = models.EmailField(
        _("office email"), blank=True,
        help_text=_("Optional: letters go to this address by email when the office has one configured."),
    )
    is_active = models.BooleanField(_("current member"), default=True)
    updated_at = models.DateTimeField(_("updated at"), auto_now=True)

    objects = LegislatorQuerySet.as_manager()

    class Meta:
        verbose_name = _("member of Congress")
        verbose_name_plural = _("members of Congress")
        ordering = ["state", "chamber", "district", "last_name"]
        indexes = [models.Index(fields=["chamber", "state", "district"], name="legislator_seat_idx")]
        constraints = [
            models.CheckConstraint(
                condition=Q(chamber="house", district__isnull=False) | Q(chamber="senate", senate_class__in=[1, 2, 3]),
                name="legislator_seat_complete",
            ),
        ]

    def __str__(self):
        return f"{self.title} {self.display_name} ({self.seat_label})"

    @property
    def display_name(self) -> str:
        return self.official_full_name or f"{self.first_name} {self.last_name}"

    @property
    def title(self) -> str:
        if self.chamber == self.Chamber.SENATE:
            return str(_("Sen."))
        if self.state in NON_STATE_CODES:
            return str(_("Del."))
        return str(_("Rep."))

    @property
    def seat_label(self) -> str:
        if self.chamber == self.Chamber.SENATE:
            return f"{self.state}"
        return f"{self.state}-{'AL' if self.district == 0 else self.district}"

    @staticmethod
    def office_code_for(*, chamber: str, state: str, district: int | None, senate_class: int | None) -> str:
        if chamber == Legislator.Chamber.SENATE:
            return f"S{state}0{senate_class}"
        # The House renamed American Samoa's code to avoid a clash with its Armed Services committee.
        return f"H{'AQ' if state == 'AS' else state}{district:02d}"


class ZipDistrict(models.Model):
    """One row of the ZCTA-to-congressional-district table: a ZIP that spans several districts has
    several rows."""

    zip_code = models.CharField(_("ZIP code"), max_length=5, db_index=True)
    state = models.CharField(_("state"), max_length=2)
    district = models.PositiveSmallIntegerField(_("district"), help_text=_("0 for at-large seats."))

    class Meta:
        verbose_name = _("ZIP code district")
        verbose_name_plural = _("ZIP code districts")
        ordering = ["zip_code", "state", "district"]
        constraints = [
            models.UniqueConstraint(fields=["zip_code", "state", "district"], name="zipdistrict_unique_row"),
        ]

    def __str__(self):
        return f"{self.zip_code} → {self.state}-{self.district}"
