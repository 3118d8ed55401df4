import pytest
from django.contrib.auth import get_user_model
from django.contrib.auth.models import Group
from django_otp.oath import totp
from django_otp.plugins.otp_totp.models import TOTPDevice

PASSWORD = "a-long-staff-password-9"


@pytest.fixture
def make_staff(db):
    """A staff user in the given role (None: staff without a role)."""

    def make(username: str = "staffer", role: str | None = None, *, superuser: bool = False):
        user = get_user_model().objects.create_user(
            username=username, email=f"{username}@camino.example.org", password=PASSWORD,
            is_staff=True, is_superuser=superuser,
        )
        if role:
            user.groups.add(Group.objects.get(name=role))
        return user

    return make


@pytest.fixture
def staffer(make_staff):
    return make_staff()


def current_code(device: TOTPDevice) -> str:
    """What the user's authenticator app shows right now."""
    return f"{totp(device.bin_key, step=device.step, t0=device.t0, digits=device.digits):0{device.digits}d}"


@pytest.fixture
def enrolled_staffer(staffer):
    device = TOTPDevice.objects.create(user=staffer, name="phone", confirmed=True)
    return staffer, device
