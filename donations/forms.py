from decimal import Decimal

from crispy_forms.helper import FormHelper
from django import forms
from django.conf import settings
from django.utils import translation
from django.utils.translation import gettext_lazy as _

from core.money import cents_from_decimal, format_money, minor_unit_exponent

from .models import Appeal, Donation, Frequency

OTHER = "other"


def _shown(cents: int) -> str:
    # Labels and limits in the donation currency, whole amounts without cents ("$50", "$12.50").
    return format_money(cents, settings.DONATION_CURRENCY, trim=True)


def _input_value(cents: int) -> str:
    # A number input's min/max: the amount in whole units with the currency's decimals ("5.00").
    return str(Decimal(cents).scaleb(-minor_unit_exponent(settings.DONATION_CURRENCY)))


class DonationForm(forms.Form):
    """A gift's shape. Amounts come back in integer cents as `gift_cents`."""

    frequency = forms.ChoiceField(label=_("How often?"), choices=Frequency.choices, widget=forms.RadioSelect)
    amount = forms.ChoiceField(label=_("Amount"), widget=forms.RadioSelect)
    custom_amount = forms.DecimalField(
        label=_("Other amount (USD)"), required=False, min_value=0, max_digits=9, decimal_places=2,
        widget=forms.NumberInput(attrs={"step": "0.01", "inputmode": "decimal"}),
    )
    cover_fee = forms.BooleanField(label=_("Cover the processing fee"), required=False)
    tribute_type = forms.ChoiceField(
        label=_("Dedicate this gift"), choices=Donation.Tribute.choices, required=False
    )
    tribute_name = forms.CharField(label=_("Name of the person"), max_length=200, required=False)
    name = forms.CharField(label=_("Your name"), max_length=200)
    email = forms.EmailField(label=_("Email (for your receipt)"))
    consent_updates = forms.BooleanField(label=_("Send me occasional news about children on the move"), required=False)
    # Honeypot: hidden from people by CSS; bots that fill every field give themselves away.
    website = forms.CharField(label=_("Leave this field empty"), required=False)

    def __init__(self, *args, appeal: Appeal, **kwargs):
        self._caller_initial = bool(kwargs.get("initial"))
        kwargs.setdefault("initial", {})
        kwargs["initial"].setdefault("frequency", appeal.default_frequency)
        presets = [int(c) for c in appeal.preset_amounts or [] if isinstance(c, int) and c > 0]
        if presets:
            kwargs["initial"].setdefault("amount", str(presets[min(1, len(presets) - 1)]))
        super().__init__(*args, **kwargs)
        self.appeal = appeal
        self.min_cents = settings.DONATION_MIN_CENTS
        self.max_cents = settings.DONATION_MAX_CENTS
        self.fields["amount"].choices = [(str(c), _shown(c)) for c in presets] + [(OTHER, _("Other amount"))]
        if not presets:
            self.fields["amount"].initial = OTHER
        self.fields["custom_amount"].help_text = _("Between %(min)s and %(max)s.") % {
            "min": _shown(self.min_cents), "max": _shown(self.max_cents)}
        self.fields["custom_amount"].widget.attrs.update(
            {"min": _input_value(self.min_cents), "max": _input_value(self.max_cents)})
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

    @property
    def render_cache_key(self) -> str | None:
        """Everything the blank form's HTML depends on, for `{% cache %}` in the template: the
        appeal as last edited, the amount and fee settings, and the language. None when the form
        shows a visitor's own data (submitted, or given initial values): that is never shared."""
        if self.is_bound or self._caller_initial:
            return None
        limits = (self.min_cents, self.max_cents, settings.DONATION_FEE_PERCENT, settings.DONATION_FEE_FIXED_CENTS)
        return (f"{self.appeal.pk}:{self.appeal.updated_at.isoformat()}:{':'.join(map(str, limits))}:"
                f"{translation.get_language()}")

    def clean_website(self):
        if self.cleaned_data.get("website"):
            raise forms.ValidationError(_("Please leave this field empty."), code="honeypot")
        return ""

    def clean(self):
        cleaned = super().clean()
        choice = cleaned.get("amount")
        if choice == OTHER or choice is None:
            custom = cleaned.get("custom_amount")
            if custom is None:
                self.add_error("custom_amount", forms.ValidationError(_("Please enter an amount."), code="required"))
                return cleaned
            cents = cents_from_decimal(custom, settings.DONATION_CURRENCY)
        else:
            cents = int(choice)
        if not self.min_cents <= cents <= self.max_cents:
            message = _("Please give between %(min)s and %(max)s.") % {
                "min": _shown(self.min_cents), "max": _shown(self.max_cents)}
            self.add_error("custom_amount" if choice == OTHER else "amount",
                           forms.ValidationError(message, code="amount_out_of_range"))
        cleaned["gift_cents"] = cents
        if cleaned.get("tribute_type") and not (cleaned.get("tribute_name") or "").strip():
            self.add_error("tribute_name", forms.ValidationError(_("Whose name should we record?"), code="required"))
        return cleaned


class ManageGiftForm(forms.Form):
    email = forms.EmailField(label=_("The email address you gave with your monthly gift"))

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.helper = FormHelper()
        self.helper.form_tag = False
