from django import forms
from django.contrib.admin.forms import AdminAuthenticationForm
from django.contrib.auth.signals import user_login_failed
from django.core.exceptions import ValidationError
from django.utils.translation import gettext_lazy as _
from django_otp import match_token

from .two_factor import has_confirmed_device

# The one answer to every failed login: a different message for a wrong code would tell whoever
# holds a stolen password that it is right.
LOGIN_FAILED = _("The username, password or authentication code is not right. Note that they are case-sensitive.")


class StaffAuthenticationForm(AdminAuthenticationForm):
    """The admin login: password, and the authenticator's code for staff who enrolled one. The code
    is tried against each of the user's confirmed devices, so nobody picks a device from a list
    (which would also confirm the password)."""

    otp_token = forms.CharField(
        label=_("Authentication code"),
        required=False,
        help_text=_("If two-factor login is on for you: the 6 digits your authenticator app shows."),
        widget=forms.TextInput(attrs={"autocomplete": "one-time-code", "inputmode": "numeric"}),
    )

    error_messages = {**AdminAuthenticationForm.error_messages, "invalid_login": LOGIN_FAILED, "inactive": LOGIN_FAILED}

    def clean(self):
        # The password check (django-axes and the address limit count its failures) is the plain
        # admin form's; any of its refusals gets the one message.
        try:
            super().clean()
        except ValidationError:
            raise ValidationError(LOGIN_FAILED, code="invalid_login") from None
        user = self.get_user()
        if user is not None and has_confirmed_device(user):
            token = "".join(self.cleaned_data.get("otp_token", "").split())
            # django-otp throttles each device: after a wrong code, even the right one fails a while.
            device = match_token(user, token) if token else None
            if device is None:
                self.user_cache = None
                # A wrong code counts as a failed login for the limits, like a wrong password.
                user_login_failed.send(
                    sender=type(self), credentials={"username": user.get_username()}, request=self.request
                )
                raise ValidationError(LOGIN_FAILED, code="invalid_login")
            user.otp_device = device  # django_otp's user_logged_in receiver marks the session verified
        return self.cleaned_data


class TokenForm(forms.Form):
    """Turning two-factor on asks for the password again: a session left open on a shared
    computer must not be enough to tie the account to someone else's phone."""

    password = forms.CharField(
        label=_("Your password"),
        strip=False,
        widget=forms.PasswordInput(attrs={"autocomplete": "current-password"}),
    )
    token = forms.CharField(
        label=_("Code from the app"),
        max_length=10,
        widget=forms.TextInput(attrs={"autocomplete": "one-time-code", "inputmode": "numeric"}),
    )
