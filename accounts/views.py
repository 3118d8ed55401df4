from base64 import b32encode

from django.contrib import admin, messages
from django.core.exceptions import ValidationError
from django.http import Http404, HttpResponse
from django.shortcuts import redirect
from django.template.response import TemplateResponse
from django.utils.translation import gettext as _
from django.views.decorators.cache import never_cache
from django_otp import login as otp_login
from django_otp.plugins.otp_totp.models import TOTPDevice
from django_otp.qr import write_qrcode_image

from . import services
from .forms import TokenForm
from .two_factor import needs_enrolment


@never_cache
def two_factor_setup(request):
    """Each staff member turns on two-factor for their own login: scan, give the password and a
    code, done. Turning it off (a lost phone) is a superuser's job: delete the device in the admin.
    With STAFF_TWO_FACTOR_REQUIRED, a user without a device lands here after the password."""
    confirmed = list(TOTPDevice.objects.devices_for_user(request.user, confirmed=True))
    context = {
        **admin.site.each_context(request),
        "title": _("Two-factor authentication"),
        "devices": confirmed,
        "enrolment_required": needs_enrolment(request),
    }
    if confirmed:
        return TemplateResponse(request, "admin/accounts/two_factor.html", context)
    device = services.totp_device_start(user=request.user)
    form = TokenForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        try:
            services.totp_device_confirm(
                device=device, password=form.cleaned_data["password"], token=form.cleaned_data["token"]
            )
        except ValidationError as exc:
            form.add_error("password" if exc.code == "wrong_password" else "token", exc)
        else:
            # This session has just proved the second factor: keep it in rather than log it out.
            otp_login(request, device)
            messages.success(request, _("Two-factor authentication is on. You will need the code at each login."))
            return redirect("admin:index")
    context.update(form=form, secret=_grouped_base32(device))
    return TemplateResponse(request, "admin/accounts/two_factor.html", context)


@never_cache
def two_factor_qrcode(request):
    """The QR code of the user's own unconfirmed device. A confirmed device's secret is never
    shown again."""
    device = TOTPDevice.objects.filter(user=request.user, confirmed=False).order_by("pk").first()
    if device is None:
        raise Http404
    response = HttpResponse(content_type="image/svg+xml")
    write_qrcode_image(device.config_url, response)
    return response


def _grouped_base32(device: TOTPDevice) -> str:
    """The secret for typing into an app by hand, in groups of four as apps display it."""
    secret = b32encode(device.bin_key).decode()
    return " ".join(secret[i : i + 4] for i in range(0, len(secret), 4))
