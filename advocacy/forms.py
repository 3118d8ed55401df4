import re

from crispy_forms.helper import FormHelper
from crispy_forms.layout import Div, Field, Layout, Submit
from django import forms
from django.core.exceptions import ValidationError
from django.utils import translation
from django.utils.translation import gettext_lazy as _

from congress.lookup import STATE_CODES, DistrictChoice

from . import letter_rules
from .models import CONSENT_WORDING, Campaign, Letter
from .services import campaign_recipients_in_state, letter_texts_check, own_words_check
from .topics import PREFIX_CHOICES

STATE_CHOICES = [("", _("Choose…"))] + [(code, code) for code in sorted(STATE_CODES)]
_NAME_RE = re.compile(r"^[^<>{}\[\]@\d]+$")


class EnglishOptionsSelect(forms.Select):
    """A select whose choices are English words the offices require as written (Mr., Mrs., ...):
    each option says lang="en", so on the Spanish page a screen reader reads them as English
    (WCAG 3.1.2); the empty "Choose…" option stays in the page's language."""

    def create_option(self, name, value, *args, **kwargs):
        option = super().create_option(name, value, *args, **kwargs)
        if value:
            option["attrs"] = {**option["attrs"], "lang": "en"}
        return option


class SignForm(forms.Form):
    """The supporter's details and, as the campaign allows, their own words. Everything is plain
    text: it is escaped wherever it is shown and never interpreted."""

    # No default: a preselected "Mr." wrote to Congress as Mr. for everyone who skipped the field.
    prefix = forms.ChoiceField(
        label=_("Title"),
        choices=[("", _("Choose…")), *PREFIX_CHOICES],
        help_text=_("Offices require one of these."),
        error_messages={"required": _("Please choose a title: offices require Mr., Mrs., Miss, Ms. or Dr.")},
        widget=EnglishOptionsSelect(attrs={"autocomplete": "honorific-prefix"}),
    )
    # autocomplete tokens (WCAG 1.3.5) let a phone fill the form in one tap.
    first_name = forms.CharField(
        label=_("First name"), max_length=100, widget=forms.TextInput(attrs={"autocomplete": "given-name"})
    )
    last_name = forms.CharField(
        label=_("Last name"), max_length=100, widget=forms.TextInput(attrs={"autocomplete": "family-name"})
    )
    email = forms.EmailField(label=_("Email"), max_length=254, widget=forms.EmailInput(attrs={"autocomplete": "email"}))
    street = forms.CharField(
        label=_("Street address"),
        min_length=letter_rules.STREET_MIN_LENGTH,
        max_length=200,
        widget=forms.TextInput(attrs={"autocomplete": "address-line1"}),
    )
    city = forms.CharField(
        label=_("City"),
        min_length=letter_rules.CITY_MIN_LENGTH,
        max_length=100,
        # Offices' systems refuse a shorter city (CWC's minimum): ask for the full name, not "NY".
        error_messages={"min_length": _("Please write the full name of your city (at least %(limit_value)d letters).")},
        widget=forms.TextInput(attrs={"autocomplete": "address-level2"}),
    )
    state = forms.ChoiceField(
        label=_("State"), choices=STATE_CHOICES, widget=forms.Select(attrs={"autocomplete": "address-level1"})
    )
    # A number pad on phones. The pattern admits what normalize_zip does ("98109", "98109-1234",
    # "98109 1234", "981091234", surrounding spaces): the browser must not refuse what the server keeps.
    zip_code = forms.CharField(
        label=_("ZIP code"),
        max_length=10,
        widget=forms.TextInput(
            attrs={
                "autocomplete": "postal-code",
                "inputmode": "numeric",
                "pattern": r"\s*[0-9]{5}([\-\s]?[0-9]{4})?\s*",
            }
        ),
    )
    phone = forms.CharField(
        label=_("Phone (optional)"),
        max_length=20,
        required=False,
        help_text=_("Some offices call back; we never share it with anyone else."),
        widget=forms.TextInput(attrs={"type": "tel", "autocomplete": "tel"}),
    )
    own_words = forms.CharField(label=_("Your own words"), required=False, widget=forms.Textarea(attrs={"rows": 6}))
    consent = forms.BooleanField(
        label=CONSENT_WORDING,
        required=False,
        help_text=_("We email you a link to confirm; until you follow it, we send you no updates."),
    )
    # A honeypot: hidden from people by CSS, filled in by bots that fill every field.
    website = forms.CharField(label=_("Leave this field empty"), required=False)

    def __init__(self, *args, campaign: Campaign, **kwargs):
        super().__init__(*args, **kwargs)
        self.campaign = campaign
        policy = campaign.editing_policy
        if policy == Campaign.EditingPolicy.LOCKED:
            del self.fields["own_words"]
        elif policy == Campaign.EditingPolicy.EDITABLE:
            self.fields["own_words"].label = _("Your letter (edit it as you like)")
            self.fields["own_words"].help_text = _(
                "Words in braces, such as {member_name}, are filled in for each office."
            )
            self.fields["own_words"].initial = campaign.body_template
            # The box starts with the campaign's English letter, on the Spanish page too (WCAG 3.1.2).
            self.fields["own_words"].widget.attrs["lang"] = "en"
        else:
            self.fields["own_words"].label = _("Add a personal note (optional)")
            if campaign.min_length:
                self.fields["own_words"].label = _("Add a personal note")
            self.fields["own_words"].help_text = _("Offices pay most attention to letters in your own words.")
        if "own_words" in self.fields:
            self.fields["own_words"].widget.attrs["maxlength"] = campaign.max_length
        self.helper = FormHelper()
        self.helper.form_tag = False
        # The page's own {% csrf_token %} sits outside the (cached) form fragment; crispy's would
        # be cached with it and hand one visitor's token to the next (Django reads the last one).
        self.helper.disable_csrf = True
        self.helper.layout = Layout(
            Div(
                Div("prefix", css_class="col-sm-3"),
                Div("first_name", css_class="col-sm-4"),
                Div("last_name", css_class="col-sm-5"),
                css_class="row",
            ),
            "email",
            "street",
            Div(
                Div("city", css_class="col-sm-6"),
                Div("state", css_class="col-sm-3"),
                Div("zip_code", css_class="col-sm-3"),
                css_class="row",
            ),
            "phone",
            *(["own_words"] if "own_words" in self.fields else []),
            "consent",
            Div(Field("website", autocomplete="off", tabindex="-1"), css_class="advocacy-hp", aria_hidden="true"),
            Submit("submit", _("Find my members and preview"), css_class="btn-lg"),
        )

    @property
    def render_cache_key(self) -> str | None:
        """Everything the blank form's HTML depends on, for `{% cache %}` in the template: the
        campaign as last edited and the language. None when the form shows a visitor's own data
        (submitted, or a draft brought back from the session): that is never shared."""
        if self.is_bound or self.initial:
            return None
        return f"{self.campaign.pk}:{self.campaign.updated_at.isoformat()}:{translation.get_language()}"

    def _one_line(self, field, *, min_length: int = 1) -> str:
        """The field's text on one line with single spaces (tabs, line breaks and runs of spaces
        collapse), checked for characters offices cannot receive and, once collapsed, for CWC's
        minimum length."""
        value = " ".join(self.cleaned_data[field].split())
        letter_rules.check_characters(value)
        letter_rules.check_min_length(value, min_length)
        return value

    def _clean_name(self, field):
        value = self._one_line(field)
        if not _NAME_RE.match(value):
            raise ValidationError(_("Please write your name in letters only."), code="invalid_name")
        return value

    def clean_first_name(self):
        return self._clean_name("first_name")

    def clean_last_name(self):
        return self._clean_name("last_name")

    def clean_email(self):
        email = self.cleaned_data["email"].strip().lower()
        letter_rules.check_characters(email)
        local, _sep, domain = email.rpartition("@")
        if len(local) > 64 or "." not in domain or not letter_rules.CWC_EMAIL_RE.fullmatch(email):
            raise ValidationError(_("Please check your email address."), code="invalid_email")
        return email

    def clean_street(self):
        return self._one_line("street", min_length=letter_rules.STREET_MIN_LENGTH)

    def clean_city(self):
        return self._one_line("city", min_length=letter_rules.CITY_MIN_LENGTH)

    def clean_zip_code(self):
        # Stored as CWC takes it: "981091234" becomes "98109-1234".
        value = letter_rules.normalize_zip(self.cleaned_data["zip_code"])
        if value is None:
            raise ValidationError(_("Please enter a five-digit ZIP code."), code="invalid_zip")
        return value

    def clean_phone(self):
        digits = re.sub(r"[^0-9]", "", letter_rules.ascii_digits(self.cleaned_data["phone"]))
        if not digits:
            return ""
        if len(digits) == 11 and digits.startswith("1"):
            digits = digits[1:]
        if len(digits) != 10:
            raise ValidationError(_("Please enter a ten-digit US phone number."), code="invalid_phone")
        return f"{digits[:3]}-{digits[3:6]}-{digits[6:]}"

    def clean_own_words(self):
        # Word's line break is a vertical tab, which XML cannot carry: it becomes a new line.
        value = letter_rules.normalize_line_breaks(self.cleaned_data.get("own_words", "")).strip()
        letter_rules.check_characters(value)
        own_words_check(campaign=self.campaign, own_words=value)
        return value

    def clean(self):
        cleaned = super().clean()
        # The words the supporter checked, as they read them (their language, this form's label):
        # kept with the request for updates the mailbox owner is asked to confirm.
        cleaned["consent_wording"] = str(self.fields["consent"].label) if cleaned.get("consent") else ""
        names = ("first_name", "last_name", "city", "state", "own_words")
        if self.campaign.editing_policy == Campaign.EditingPolicy.EDITABLE and all(n in cleaned for n in names):
            # The rewritten letter as each office of the state would get it, the longest name
            # filled in: it must still fit CWC's limit (the district is not known yet).
            sender = Letter(**{name: cleaned[name] for name in names[:4]})
            try:
                letter_texts_check(
                    campaign=self.campaign,
                    values=sender.template_values(),
                    own_words=cleaned["own_words"],
                    recipients=campaign_recipients_in_state(campaign=self.campaign, state=cleaned["state"]),
                )
            except ValidationError as exc:
                self.add_error("own_words", exc)
        return cleaned

    def clean_website(self):
        if self.cleaned_data["website"]:
            raise ValidationError(_("Please leave this field empty."), code="honeypot")
        return ""


class DistrictForm(forms.Form):
    district = forms.TypedChoiceField(label=_("Your congressional district"), coerce=int, widget=forms.RadioSelect)

    def __init__(self, *args, choices: list[DistrictChoice], **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["district"].choices = [(choice.district, district_label(choice)) for choice in choices]
        if len(choices) == 1:
            # Nothing to choose (the page asks the supporter to confirm their state instead).
            self.fields["district"].widget = forms.HiddenInput()
            self.fields["district"].initial = choices[0].district


def district_label(choice: DistrictChoice) -> str:
    """The people, not only the numbers: "WA district 7: Rep. Samuel Whitford (Democrat)"."""
    seat = _("%(state)s district %(number)s") % {
        "state": choice.state,
        "number": choice.district or _("at large"),
    }
    member = choice.member
    if member is None:
        return _("%(seat)s: vacant seat, no representative at present") % {"seat": seat}
    name = f"{member.title} {member.display_name}"
    if member.party:
        return _("%(seat)s: %(name)s (%(party)s)") % {"seat": seat, "name": name, "party": member.party_label}
    return _("%(seat)s: %(name)s") % {"seat": seat, "name": name}
