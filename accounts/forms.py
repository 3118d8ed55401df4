from django import forms
from django.contrib.admin.forms import AdminAuthenticationForm
from django.utils.translation import gettext_lazy as _
from django_otp import devices_for_user
from django_otp.admin import OTPAdminAuthenticationForm

from .two_factor import has_confirmed_device


class StaffAuthenticationForm(OTPAdminAuthenticationForm):
    """The admin login: password, then the authenticator's code only for staff who enrolled one."""

    otp_token = forms.CharField(
        label=_("Authentication code"),
        required=False,
        help_text=_("Only if you turned on two-factor authentication: the 6 digits your app shows."),
        widget=forms.TextInput(attrs={"autocomplete": "one-time-code", "inputmode": "numeric"}),
    )

    otp_error_messages = {
        **OTPAdminAuthenticationForm.otp_error_messages,
        "token_required": _("Enter the code from your authenticator app."),
        "invalid_token": _("That code is not right. Enter the code your app shows now."),
    }

    def clean(self):
        # The password check (with django-axes counting failures) is the plain admin form's.
        self.cleaned_data = AdminAuthenticationForm.clean(self)
        user = self.get_user()
        if user is not None and has_confirmed_device(user):
            if not self.cleaned_data.get("otp_device"):
                devices = list(devices_for_user(user, confirmed=True))
                if len(devices) == 1:
                    # One device: no need to make the user pick it from a list.
                    self.cleaned_data["otp_device"] = devices[0].persistent_id
            self.clean_otp(user)
        return self.cleaned_data


class TokenForm(forms.Form):
    token = forms.CharField(
        label=_("Code from the app"),
        max_length=10,
        widget=forms.TextInput(attrs={"autocomplete": "one-time-code", "inputmode": "numeric", "autofocus": True}),
    )
