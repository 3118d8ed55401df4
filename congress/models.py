"""Members of Congress and the ZIP-to-district table, loaded by management commands from the
public congress-legislators and ZCTA-to-district data."""

from django.core.exceptions import ValidationError
from django.db import models
from django.db.models import Q
from django.utils.translation import gettext_lazy as _
from django.utils.translation import pgettext_lazy

from .states import NON_STATE_CODES, STATE_CHOICES

__all__ = ["NON_STATE_CODES", "Legislator", "LegislatorQuerySet", "ZipDistrict"]

# The seat fields the CWC office code is derived from.
SEAT_FIELDS = frozenset({"chamber", "state", "district", "senate_class"})


class LegislatorQuerySet(models.QuerySet):
    def active(self):
        return self.filter(is_active=True)

    def senators_for(self, state: str):
        return self.active().filter(chamber=Legislator.Chamber.SENATE, state=state).order_by("senate_class")

    def house_member_for(self, state: str, district: int):
        return self.active().filter(chamber=Legislator.Chamber.HOUSE, state=state, district=district).first()


# The parties the roster (legislators-current) names, as a reader of each language says them; a
# party not listed here is shown as the roster writes it.
PARTY_NAMES = {
    "Democrat": pgettext_lazy("party", "Democrat"),
    "Republican": pgettext_lazy("party", "Republican"),
    "Independent": pgettext_lazy("party", "Independent"),
    "Libertarian": pgettext_lazy("party", "Libertarian"),
}


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
    state = models.CharField(
        _("state"), max_length=2, choices=STATE_CHOICES, help_text=_("Two-letter USPS code, e.g. CA or DC.")
    )
    district = models.PositiveSmallIntegerField(
        _("district"), null=True, blank=True, help_text=_("House only; 0 for at-large seats and delegates.")
    )
    senate_class = models.PositiveSmallIntegerField(
        _("Senate class"), null=True, blank=True, choices=[(1, "1"), (2, "2"), (3, "3")],
        help_text=_("Senate only: the class (1, 2 or 3) of the seat, which sets its election year."),
    )
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
        help_text=_("Uncheck for offices that do not take Communicating with Congress messages."),
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

    def save(self, *args, **kwargs):
        # The office code is a pure function of the seat; keeping it in a column lets deliveries and
        # reports filter by office without recomputing it.
        code = self.seat_office_code()
        if code is not None and code != self.cwc_office_code:
            self.cwc_office_code = code
            update_fields = kwargs.get("update_fields")
            if update_fields is not None and SEAT_FIELDS & set(update_fields):
                kwargs["update_fields"] = {*update_fields, "cwc_office_code"}
        super().save(*args, **kwargs)

    def clean(self):
        errors = {}
        if self.chamber == self.Chamber.HOUSE:
            if self.district is None:
                errors["district"] = ValidationError(_("A House seat needs a district (0 for at-large)."),
                                                     code="district_required")
            elif self.state in NON_STATE_CODES and self.district != 0:
                errors["district"] = ValidationError(_("DC and the territories have one delegate: district 0."),
                                                     code="delegate_district")
            if self.senate_class is not None:
                errors["senate_class"] = ValidationError(_("Only senators have a Senate class."),
                                                         code="class_not_house")
        elif self.chamber == self.Chamber.SENATE:
            if self.state in NON_STATE_CODES:
                errors["state"] = ValidationError(_("DC and the territories have no senators."),
                                                  code="no_senators")
            if self.senate_class not in (1, 2, 3):
                errors["senate_class"] = ValidationError(_("A Senate seat needs its class (1, 2 or 3)."),
                                                         code="class_required")
            if self.district is not None:
                errors["district"] = ValidationError(_("Senators have no district."), code="district_not_senate")
        if errors:
            raise ValidationError(errors)

    def seat_office_code(self) -> str | None:
        """The CWC office code of this member's seat, or None while the seat is incomplete."""
        if self.chamber == self.Chamber.SENATE and self.senate_class in (1, 2, 3):
            return self.office_code_for(chamber=self.chamber, state=self.state, district=None,
                                        senate_class=self.senate_class)
        if self.chamber == self.Chamber.HOUSE and self.district is not None:
            return self.office_code_for(chamber=self.chamber, state=self.state, district=self.district,
                                        senate_class=None)
        return None

    @property
    def display_name(self) -> str:
        return self.official_full_name or f"{self.first_name} {self.last_name}"

    @property
    def party_label(self) -> str:
        """The party in the reader's language: the roster writes it in English ("Democrat")."""
        return str(PARTY_NAMES.get(self.party, self.party))

    @property
    def title(self) -> str:
        if self.chamber == self.Chamber.SENATE:
            return str(_("Sen."))
        if self.state == "PR":
            return str(_("Res. Comm."))
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

    zip_code = models.CharField(_("ZIP code"), max_length=5, db_index=True, help_text=_("Five digits (a ZCTA)."))
    state = models.CharField(_("state"), max_length=2, choices=STATE_CHOICES)
    district = models.PositiveSmallIntegerField(_("district"), help_text=_("0 for at-large seats."))

    class Meta:
        verbose_name = _("ZIP code district")
        verbose_name_plural = _("ZIP code districts")
        ordering = ["zip_code", "state", "district"]
        # lookup_by_district checks that a chosen (state, district) exists.
        indexes = [models.Index(fields=["state", "district"], name="zipdistrict_seat_idx")]
        constraints = [
            models.UniqueConstraint(fields=["zip_code", "state", "district"], name="zipdistrict_unique_row"),
        ]

    def __str__(self):
        return f"{self.zip_code} → {self.state}-{self.district}"
