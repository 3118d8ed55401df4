"""The role matrix: for each role and each model in the admin, what it may view, add, change and
delete, and which actions it is offered. The expected matrix is the table in docs/staff.md ("Who may
open what", "Actions"), read by tests/staff/matrix.py: a change to staff/roles.py or to an app's
admin that widens a role must show up there."""

import pytest
from django.contrib import admin
from django.contrib.auth.models import Group
from django.core.management import call_command
from django.test import RequestFactory

from staff.roles import CAMPAIGN_MANAGERS, CONTENT_EDITORS, FINANCE, ROLES

from .matrix import NO_ROLE, SUPERUSER, matrix

# role: {label: (permissions as "vacd" letters, sorted action names)}
MATRIX = {role: matrix().effective(role) for role in ROLES}

# Never any role's: users, groups, login security. Superusers alone manage these.
SUPERUSER_ONLY = {
    "accounts.user", "auth.group", "otp_totp.totpdevice", "axes.accessattempt", "axes.accesslog",
    "axes.accessfailurelog",
}


def effective(user) -> dict[str, tuple[str, list[str]]]:
    """What the admin itself grants `user`, model by model (the ModelAdmin's has_*_permission and
    get_actions, so admin overrides count, not only the group's permissions)."""
    request = RequestFactory().get("/admin/")
    request.user = user
    granted = {}
    for model, model_admin in admin.site._registry.items():
        checks = (("v", model_admin.has_view_permission), ("a", model_admin.has_add_permission),
                  ("c", model_admin.has_change_permission), ("d", model_admin.has_delete_permission))
        letters = "".join(letter for letter, check in checks if check(request))
        if letters:
            granted[model._meta.label_lower] = (letters, sorted(model_admin.get_actions(request)))
    return granted


@pytest.mark.django_db
@pytest.mark.parametrize("role", list(MATRIX))
def test_each_role_sees_exactly_its_part_of_the_admin(make_staff, role):
    user = make_staff("member", role)
    assert effective(user) == MATRIX[role]


@pytest.mark.django_db
def test_the_matrix_covers_every_role():
    assert set(MATRIX) == set(ROLES)
    assert set(Group.objects.values_list("name", flat=True)) >= set(ROLES)


@pytest.mark.django_db
def test_staff_without_a_role_see_nothing(make_staff):
    assert matrix().effective(NO_ROLE) == {}
    assert effective(make_staff("newcomer")) == {}


@pytest.mark.django_db
def test_superusers_see_everything_including_users_and_groups(make_staff):
    granted = effective(make_staff("boss", superuser=True))
    assert granted == matrix().effective(SUPERUSER)
    assert set(granted) == {model._meta.label_lower for model in admin.site._registry}
    assert set(granted) >= SUPERUSER_ONLY
    for role_matrix in MATRIX.values():
        assert not SUPERUSER_ONLY & set(role_matrix)


@pytest.mark.django_db
def test_no_role_touches_donations_and_letters_both():
    for role, granted in MATRIX.items():
        apps_seen = {label.split(".")[0] for label in granted}
        assert not {"donations", "advocacy"} <= apps_seen, role


@pytest.mark.django_db
def test_roles_are_restored_after_migrate(make_staff):
    """A permission added by hand is removed, and a missing one given back, by the next migrate
    (post_migrate re-applies staff/roles.py)."""
    from django.contrib.auth.models import Permission

    finance = Group.objects.get(name=FINANCE)
    finance.permissions.add(Permission.objects.get(codename="view_letter"))
    finance.permissions.remove(Permission.objects.get(codename="view_donation"))
    Group.objects.filter(name=CONTENT_EDITORS).delete()
    call_command("migrate", verbosity=0)
    codenames = set(finance.permissions.values_list("codename", flat=True))
    assert "view_letter" not in codenames
    assert "view_donation" in codenames
    assert effective(make_staff("editor", CONTENT_EDITORS)) == MATRIX[CONTENT_EDITORS]


@pytest.mark.django_db
def test_the_data_migration_creates_the_roles_on_a_fresh_database():
    # The test database was built by running every migration: the groups are there with their permissions.
    for role in ROLES:
        assert Group.objects.get(name=role).permissions.exists()


def model_named(label: str):
    """Something shaped like a model that no app has yet: what a later migration would add."""
    from types import SimpleNamespace

    app_label, model_name = label.split(".")
    return SimpleNamespace(_meta=SimpleNamespace(app_label=app_label, model_name=model_name, label_lower=label))


def test_a_model_added_later_joins_the_role_of_its_app():
    from staff.roles import role_permissions

    poster = model_named("stories.poster")
    gift_aid = model_named("donations.giftaiddeclaration")
    history = model_named("stories.historicalposter")
    models = [poster, gift_aid, history]
    assert role_permissions(CONTENT_EDITORS, models) == {
        ("stories", "view_poster"), ("stories", "add_poster"), ("stories", "change_poster"),
        ("stories", "delete_poster"),
    }
    assert role_permissions(FINANCE, models) == {
        ("donations", "view_giftaiddeclaration"), ("donations", "change_giftaiddeclaration"),
    }
    assert role_permissions(CAMPAIGN_MANAGERS, models) == set()
