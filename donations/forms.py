from decimal import Decimal

from crispy_forms.helper import FormHelper
from crispy_forms.layout import HTML, Layout
from django import forms
from django.conf import settings
from django.utils import translation
from django.utils.translation import gettext_lazy as _

from core.money import currency_prefix, format_money, minor_unit_exponent

from .models import Appeal, Donation, Frequency
from .services.amounts import amount_cents_from_text
from .services.refunds import refundable_cents

OTHER = "other"


def _shown(cents: int) -> str:
    # Labels and limits in the donation currency, whole amounts without cents ("$50", "$12.50").
    return format_money(cents, settings.DONATION_CURRENCY, trim=True)


class DonationForm(forms.Form):
    """A gift's shape. The amount comes back in integer cents as `gift_cents`.

    The amount is one control (templates/donations/includes/amount_field.html): the appeal's amount
    radios (its SuggestedAmount rows, each with its line) and "Other amount" with its box. The radio
    decides: the typed box counts only when "Other amount" is chosen. The page never shows anything
    else: typing checks "Other amount" and choosing a preset empties the box (static/js/donations.js),
    and without JavaScript the box is shown only while "Other amount" is chosen (donations.css). A
    typed amount with no radio at all is "Other"."""

    frequency = forms.ChoiceField(
        label=_("How often?"), choices=Frequency.choices, widget=forms.RadioSelect,
        error_messages={"required": _("Please choose one time or monthly."),
                        "invalid_choice": _("Please choose one time or monthly.")},
    )
    amount = forms.ChoiceField(
        label=_("Amount"), widget=forms.RadioSelect, required=False,
        error_messages={"invalid_choice": _("Please choose one of the amounts shown, or type another amount.")},
    )
    custom_amount = forms.CharField(
        label=_("Other amount"), required=False, max_length=30,
        widget=forms.TextInput(attrs={"inputmode": "decimal", "autocomplete": "off"}),
    )
    cover_fee = forms.BooleanField(label=_("Cover the processing fee"), required=False)
    tribute_type = forms.ChoiceField(
        label=_("Dedicate this gift"), choices=Donation.Tribute.choices, required=False,
        error_messages={"invalid_choice": _("Please choose one of the dedications in the list.")},
    )
    tribute_name = forms.CharField(label=_("Name of the person"), max_length=200, required=False)
    name = forms.CharField(label=_("Your name"), max_length=200,
                           widget=forms.TextInput(attrs={"autocomplete": "name"}),
                           error_messages={"required": _("Please tell us your name.")})
    email = forms.EmailField(
        label=_("Email (for your receipt)"),
        widget=forms.EmailInput(attrs={"autocomplete": "email"}),
        error_messages={"required": _("Please give your email address: your receipt goes there.")},
    )
    consent_updates = forms.BooleanField(label=_("Send me occasional news about children on the move"), required=False)
    # Honeypot: hidden from people by CSS; bots that fill every field give themselves away.
    website = forms.CharField(label=_("Leave this field empty"), required=False)

    def __init__(self, *args, appeal: Appeal, **kwargs):
        self._caller_initial = bool(kwargs.get("initial"))
        kwargs.setdefault("initial", {})
        kwargs["initial"].setdefault("frequency", appeal.default_frequency)
        super().__init__(*args, **kwargs)
        self.appeal = appeal
        self.currency = settings.DONATION_CURRENCY
        self.min_cents = settings.DONATION_MIN_CENTS
        self.max_cents = settings.DONATION_MAX_CENTS
        # A callable: the appeal's amounts are read (one query) only when the form is rendered or
        # checked, so a page whose blank form comes from the cache never reads them.
        self.fields["amount"].choices = self._amount_choices
        self.fields["custom_amount"].label = _("Other amount (%(currency)s)") % {"currency": self.currency.upper()}
        self.fields["custom_amount"].help_text = self.range_text
        self.fields["cover_fee"].help_text = _(
            "Adds %(percent)s%% plus %(fixed)s so the whole gift reaches the children."
        ) % {"percent": settings.DONATION_FEE_PERCENT, "fixed": _shown(settings.DONATION_FEE_FIXED_CENTS)}
        self.fields["cover_fee"].widget.attrs.update({
            "data-fee-basis-points": str(round(settings.DONATION_FEE_PERCENT * 100)),
            "data-fee-fixed-cents": str(settings.DONATION_FEE_FIXED_CENTS),
        })
        self.fields["website"].widget.attrs.update({"tabindex": "-1", "autocomplete": "off"})
        self.helper = FormHelper()
        self.helper.form_tag = False
        # The page's own {% csrf_token %} sits outside the (cached) form fragment; crispy's would
        # be cached with it and hand one visitor's token to the next (Django reads the last one).
        self.helper.disable_csrf = True
        self.helper.layout = Layout(
            HTML('{% include "donations/includes/frequency_field.html" %}'),
            HTML('{% include "donations/includes/amount_field.html" %}'),
            "cover_fee", "tribute_type", "tribute_name", "name", "email", "consent_updates", "website",
        )

    def _amount_choices(self) -> list[tuple[str, str]]:
        return [(str(amount.amount_cents), _shown(amount.amount_cents)) for amount in self.appeal.amounts()] + [
            (OTHER, _("Other amount"))]

    def get_initial_for_field(self, field, field_name):
        # Preselected unless a link chose: the second button (the first of one), else "Other amount".
        if field_name == "amount" and "amount" not in self.initial:
            amounts = self.appeal.amounts()
            return str(amounts[min(1, len(amounts) - 1)].amount_cents) if amounts else OTHER
        return super().get_initial_for_field(field, field_name)

    @property
    def amount_options(self) -> list[tuple]:
        """Each amount radio with the staff's line for it ("" when there is none; "Other amount" has none)."""
        lines = {str(amount.amount_cents): amount.impact_line or "" for amount in self.appeal.amounts()}
        return [(radio, lines.get(str(radio.data["value"]), "")) for radio in self["amount"]]

    @property
    def has_amount_lines(self) -> bool:
        return any(amount.impact_line for amount in self.appeal.amounts())

    @classmethod
    def initial_from_query(cls, query, *, appeal: Appeal) -> dict:
        """Choices a link may preselect (the thank-you page's "make it monthly"):
        ?frequency=month&amount=2500. A preset's amount chooses its button, another amount in range
        goes in "Other amount"; anything else is ignored, so a bad link still shows a usable form."""
        initial = {}
        if query.get("frequency") in Frequency.values:
            initial["frequency"] = query["frequency"]
        raw = query.get("amount", "")
        if raw.isdigit() and settings.DONATION_MIN_CENTS <= int(raw) <= settings.DONATION_MAX_CENTS:
            cents = int(raw)
            if cents in {amount.amount_cents for amount in appeal.amounts()}:
                initial["amount"] = str(cents)
            else:
                initial.update(amount=OTHER, custom_amount=_plain(cents, settings.DONATION_CURRENCY))
        return initial

    @property
    def limits_shown(self) -> dict:
        return {"min": _shown(self.min_cents), "max": _shown(self.max_cents)}

    @property
    def range_text(self) -> str:
        return _("Between %(min)s and %(max)s.") % self.limits_shown

    @property
    def amount_example(self) -> str:
        return "40" if minor_unit_exponent(self.currency) == 0 else "40.50"

    @property
    def amount_widget_data(self) -> dict:
        """What the page's script needs to read and show amounts exactly as the server does."""
        return {"currency": self.currency, "exponent": minor_unit_exponent(self.currency),
                "prefix": currency_prefix(self.currency), "min": self.min_cents, "max": self.max_cents}

    @property
    def other_chosen(self) -> bool:
        """Whether "Other amount" is chosen on the page as rendered: its radio, or (as clean()
        reads it) a typed amount with no radio at all."""
        choice = str(self["amount"].value() or "")
        return choice == OTHER or (not choice and bool((self["custom_amount"].value() or "").strip()))

    @property
    def render_cache_key(self) -> str | None:
        """Everything the blank form's HTML depends on, for `{% cache %}` in the template: the
        appeal as last edited, the amount and fee settings, and the language. None when the form
        shows a visitor's own data (submitted, or given initial values): that is never shared."""
        if self.is_bound or self._caller_initial:
            return None
        limits = (self.min_cents, self.max_cents, settings.DONATION_FEE_PERCENT, settings.DONATION_FEE_FIXED_CENTS,
                  self.currency)
        return (f"{self.appeal.pk}:{self.appeal.updated_at.isoformat()}:{':'.join(map(str, limits))}:"
                f"{translation.get_language()}")

    def clean_website(self):
        if self.cleaned_data.get("website"):
            raise forms.ValidationError(_("Please leave this field empty."), code="honeypot")
        return ""

    def clean(self):
        cleaned = super().clean()
        self._clean_amount(cleaned)
        self._clean_tribute(cleaned)
        return cleaned

    def _clean_amount(self, cleaned: dict) -> None:
        # One message per field, in the donor's terms, and the range checked once, on the control
        # that chose the amount.
        # The box's own checks (a NUL character, its length) would be a second message, or one
        # about an amount that is not even chosen: what it holds is judged below, once.
        unreadable = self._errors.pop("custom_amount", None) is not None
        if "amount" in self.errors:
            return
        typed = "\x00" if unreadable else (cleaned.get("custom_amount") or "").strip()
        choice = cleaned.get("amount") or (OTHER if typed else "")
        cleaned["amount"] = choice
        if not choice:
            self.add_error("amount", forms.ValidationError(_("Please choose an amount."), code="required"))
            return
        if choice != OTHER:
            cleaned["custom_amount"] = ""  # hidden or emptied on the page: never charged
            cents = int(choice)
        elif not typed:
            self.add_error("custom_amount", forms.ValidationError(
                _("Please type the amount you want to give."), code="required"))
            return
        else:
            cents = None if unreadable else amount_cents_from_text(typed, self.currency)
            if cents is None:
                self.add_error("custom_amount", forms.ValidationError(
                    _("Please type the amount as a number, such as %(example)s.") % {"example": self.amount_example},
                    code="invalid"))
                return
        if not self.min_cents <= cents <= self.max_cents:
            message = _("Please give between %(min)s and %(max)s.") % self.limits_shown
            self.add_error("custom_amount" if choice == OTHER else "amount",
                           forms.ValidationError(message, code="amount_out_of_range"))
            return
        cleaned["gift_cents"] = cents

    def _clean_tribute(self, cleaned: dict) -> None:
        if "tribute_type" in self.errors:
            return
        kind = cleaned.get("tribute_type") or ""
        name = (cleaned.get("tribute_name") or "").strip()
        if kind and not name:
            self.add_error("tribute_name", forms.ValidationError(_("Whose name should we record?"), code="required"))
        elif name and not kind:
            # A name typed under "No tribute" would otherwise be dropped without a word.
            self.add_error("tribute_type", forms.ValidationError(
                _("You typed a name: is this gift in honor of them or in memory of them? Please choose one."),
                code="tribute_type_missing"))


class ManageGiftForm(forms.Form):
    email = forms.EmailField(label=_("The email address you gave with your monthly gift"))

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.helper = FormHelper()
        self.helper.form_tag = False


class RefundAmountForm(forms.Form):
    """The admin's refund confirmation, one per gift: how much to give back, in the gift's
    currency ("12.50" or "$12.50"), at most what is left to refund."""

    amount = forms.CharField(label=_("Amount to refund"), max_length=30,
                             widget=forms.TextInput(attrs={"inputmode": "decimal", "size": 10}))

    def __init__(self, *args, donation: Donation, **kwargs):
        self.donation = donation
        self.left_cents = refundable_cents(donation)
        kwargs.setdefault("prefix", f"refund-{donation.pk}")
        kwargs.setdefault("initial", {"amount": _plain(self.left_cents, donation.currency)})
        super().__init__(*args, **kwargs)
        self.fields["amount"].error_messages["required"] = _("Type the amount to refund.")

    @property
    def left_shown(self) -> str:
        return format_money(self.left_cents, self.donation.currency)

    def clean_amount(self) -> int:
        cents = amount_cents_from_text(self.cleaned_data["amount"], self.donation.currency)
        if cents is None:
            example = _plain(1250, self.donation.currency)
            raise forms.ValidationError(
                _("Type the amount as a number, such as %(example)s.") % {"example": example}, code="invalid")
        if not 0 < cents <= self.left_cents:
            raise forms.ValidationError(
                _("Refund an amount up to %(left)s, what is left to refund on this gift.") % {"left": self.left_shown},
                code="refund_amount_invalid")
        return cents


def _plain(cents: int, currency: str) -> str:
    # An amount as typed into a box: "35.00", no symbol or thousands separator.
    return str(Decimal(cents).scaleb(-minor_unit_exponent(currency)))
