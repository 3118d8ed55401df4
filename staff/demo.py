"""One demo login per staff role, for trying the admin as each role would (development only)."""

from django.conf import settings
from django.contrib.auth import get_user_model
from django.contrib.auth.models import Group

from .roles import CAMPAIGN_MANAGERS, CONTENT_EDITORS, FINANCE

DEMO_PASSWORD = "camino-demo-2026"  # noqa: S105 - created only with DEBUG on, like seed_demo's admin
DEMO_LOGINS = [
    ("editor", CONTENT_EDITORS),
    ("campaigns", CAMPAIGN_MANAGERS),
    ("finance", FINANCE),
]


def seed(*, stdout) -> None:
    if not settings.DEBUG:
        # Known passwords must never exist on a real site.
        return
    User = get_user_model()
    for username, role in DEMO_LOGINS:
        user, created = User.objects.get_or_create(
            username=username,
            defaults={"is_staff": True, "email": f"{username}@camino.example.org", "first_name": role},
        )
        if created:
            user.set_password(DEMO_PASSWORD)
            user.save(update_fields=["password"])
        user.groups.add(Group.objects.get(name=role))
    stdout.write("Demo staff logins by role (development only), password " + DEMO_PASSWORD + ":")
    for username, role in DEMO_LOGINS:
        stdout.write(f"  {username:<10} {role}")
