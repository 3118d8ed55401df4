from django.core.exceptions import ValidationError
from django.utils.translation import gettext_lazy as _
from django_otp.plugins.otp_totp.models import TOTPDevice


def totp_device_start(*, user) -> TOTPDevice:
    """The user's authenticator awaiting confirmation; visiting the set-up page twice shows the
    same QR code instead of piling up devices."""
    device = TOTPDevice.objects.filter(user=user, confirmed=False).order_by("pk").first()
    if device is None:
        device = TOTPDevice.objects.create(user=user, name=str(_("Authenticator app")), confirmed=False)
    return device


def totp_device_confirm(*, device: TOTPDevice, password: str, token: str) -> TOTPDevice:
    """Turn two-factor on once the user gives their password again and proves the app shows the
    right code.

    Not in one transaction with the check: django-otp stores each failed try (its throttling),
    and a rollback on the error would forget it. A wrong password counts as a failed try too, so
    an open session cannot be used to guess the password here."""
    if device.confirmed:
        raise ValidationError(_("Two-factor authentication is already on."), code="already_confirmed")
    allowed, _extra = device.verify_is_allowed()
    if not allowed:
        raise ValidationError(_("Too many wrong tries. Wait a minute, then try again."), code="throttled")
    if not device.user.check_password(password):
        device.throttle_increment()
        raise ValidationError(_("That password is not right."), code="wrong_password")
    if not device.verify_token("".join(token.split())):
        raise ValidationError(
            _("That code is not right. Check the phone's clock and enter the code showing now."),
            code="invalid_token",
        )
    TOTPDevice.objects.filter(pk=device.pk).update(confirmed=True)
    device.confirmed = True
    # Half-finished enrollments of the same user are now useless secrets.
    TOTPDevice.objects.filter(user_id=device.user_id, confirmed=False).delete()
    return device
