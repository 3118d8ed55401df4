"""Every admin URL, opened as every role, against the matrix in docs/staff.md.

The URLs come from the admin's own URL resolver: each registered ModelAdmin's list, add, change,
delete, history and old-version pages, its custom views and the site's own (exports, two-factor).
A URL the matrix does not name fails the test, so a view added later is either placed in the table
or caught here."""

import pytest
from django.contrib import admin
from django.contrib.auth import get_user_model
from django.contrib.auth.models import Group
from django.urls import URLPattern, URLResolver, reverse
from django_otp.plugins.otp_totp.models import TOTPDevice

from congress.models import Legislator, ZipDistrict
from core.models import Statistic, WorkerPing
from donations.models import ManageLinkRequest
from staff.exports import EXPORT_LIST
from staff.roles import CAMPAIGN_MANAGERS
from stories.models import Story
from tests.stories.factories import StoryFactory, ensure_agenda_points

from . import factories
from .matrix import COLUMNS, NO_ROLE, SUPERUSER, matrix

# The model pages every ModelAdmin has, and the right each needs.
MODEL_PAGES = {"changelist": "v", "add": "a", "change": "v", "delete": "d", "history": "v", "simple_history": "v"}
# Not opened, and why: each is checked by Django itself or does no work of its own.
NOT_WALKED = {
    "login": "the login page, open to everyone",
    "logout": "POST only; ends the walk's session",
    "autocomplete": "Django checks the searched model's view permission (tested by Django)",
    "view_on_site": "a redirect to the public page",
    None: "`<pk>/` redirects to the change page, which is walked",
}
POST_ONLY = {"core_workerping_send"}


def admin_patterns(patterns=None, prefix=""):
    """(route, URL name) of every admin URL, as the resolver holds them."""
    for pattern in admin.site.urls[0] if patterns is None else patterns:
        if isinstance(pattern, URLResolver):
            yield from admin_patterns(pattern.url_patterns, prefix + str(pattern.pattern))
        elif isinstance(pattern, URLPattern):
            yield prefix + str(pattern.pattern), pattern.name


def one_of_each_model() -> dict[str, object]:
    """A saved instance of every model registered in the admin."""
    ensure_agenda_points()
    owner = get_user_model().objects.create_user(username="someone-else", password="x" * 20)
    axes_fields = {
        "username": "someone-else",
        "ip_address": "192.0.2.1",
        "user_agent": "test",
        "http_accept": "*/*",
        "path_info": "/admin/login/",
    }
    from axes.models import AccessAttempt, AccessFailureLog, AccessLog

    letter = factories.letter()
    recurring = factories.recurring()
    builders = {
        "accounts.user": lambda: owner,
        "auth.group": lambda: Group.objects.order_by("pk").first(),
        "otp_totp.totpdevice": lambda: TOTPDevice.objects.create(user=owner, name="phone", confirmed=True),
        "axes.accessattempt": lambda: AccessAttempt.objects.create(
            **axes_fields, get_data="", post_data="", failures_since_start=1
        ),
        "axes.accesslog": lambda: AccessLog.objects.create(**axes_fields),
        "axes.accessfailurelog": lambda: AccessFailureLog.objects.create(**axes_fields),
        "core.workerping": lambda: WorkerPing.objects.create(source=WorkerPing.Source.BEAT),
        "core.statistic": lambda: Statistic.objects.order_by("pk").first(),
        "stories.agendapoint": lambda: ensure_agenda_points()[0],
        "stories.story": lambda: StoryFactory(status=Story.Status.DRAFT),
        "advocacy.campaign": lambda: letter.campaign,
        "advocacy.letter": lambda: letter,
        "advocacy.delivery": lambda: factories.delivery(letter=letter),
        "advocacy.supporter": lambda: letter.supporter,
        "congress.legislator": lambda: Legislator.objects.create(
            bioguide_id="T000001",
            first_name="Test",
            last_name="Member",
            chamber=Legislator.Chamber.HOUSE,
            state="WA",
            district=7,
        ),
        "congress.zipdistrict": lambda: ZipDistrict.objects.create(zip_code="98109", state="WA", district=7),
        "donations.appeal": factories.appeal,
        "donations.donation": factories.donation,
        "donations.recurringdonation": lambda: recurring,
        "donations.stripeevent": factories.stripe_event,
        "donations.managelinkrequest": lambda: ManageLinkRequest.objects.create(recurring=recurring),
    }
    objects = {}
    for model in admin.site._registry:
        label = model._meta.label_lower
        assert label in builders, f"{label} is registered in the admin: add a builder for it here"
        objects[label] = builders[label]()
        objects[label].save()  # the history pages need a first version
    return objects


def walk_plan(objects) -> list[tuple[str, str, str, str]]:
    """(page name in the matrix, method, url, kind) for every admin URL; kind is "model:<right>",
    "page" or "app"."""
    models = {f"{m._meta.app_label}_{m._meta.model_name}": m._meta.label_lower for m in admin.site._registry}
    plan = []
    for _route, name in admin_patterns():
        if name in NOT_WALKED:
            continue
        if name == "app_list":
            for app_label in {label.split(".")[0] for label in objects}:
                plan.append((app_label, "GET", reverse("admin:app_list", args=[app_label]), "app"))
            continue
        if name == "staff_export":
            for export in EXPORT_LIST:
                plan.append(
                    (f"staff_export:{export.name}", "GET", reverse("admin:staff_export", args=[export.name]), "page")
                )
            continue
        if name == "advocacy_campaign_preview":
            url = reverse(f"admin:{name}", args=[objects["advocacy.campaign"].pk])
            plan.append((name, "GET", url, "page"))
            continue
        if name in ("otp_totp_totpdevice_config", "otp_totp_totpdevice_qrcode", "auth_user_password_change"):
            label = "accounts.user" if name.startswith("auth_user") else "otp_totp.totpdevice"
            plan.append((name, "GET", reverse(f"admin:{name}", args=[objects[label].pk]), "page"))
            continue
        prefix, page = next(
            ((p, name[len(p) + 1 :]) for p in models if name.startswith(p + "_") and name[len(p) + 1 :] in MODEL_PAGES),
            (None, None),
        )
        if prefix is not None:
            label = models[prefix]
            obj = objects[label]
            if page in ("changelist", "add"):
                args = []
            elif page == "simple_history":
                args = [obj.pk, obj.history.order_by("history_id").first().history_id]
            else:
                args = [obj.pk]
            plan.append((label, "GET", reverse(f"admin:{name}", args=args), f"model:{MODEL_PAGES[page]}"))
            continue
        plan.append((name, "POST" if name in POST_ONLY else "GET", reverse(f"admin:{name}"), "page"))
    return plan


def expected_status(column: str, page: str, kind: str, method: str) -> int:
    table = matrix()
    if kind.startswith("model:"):
        assert page in table.models[column], f"docs/staff.md: no matrix row for the model {page}"
        return 200 if kind[-1] in table.models[column][page] else 403
    if kind == "app":
        visible = any(rights for label, rights in table.models[column].items() if label.split(".")[0] == page)
        return 200 if visible else 404
    assert page in table.every_page, f"docs/staff.md: the admin URL {page!r} is in no row of the matrix"
    if page not in table.pages[column]:
        return 403
    return 302 if method == "POST" else 200


def make_user(column: str):
    user = get_user_model().objects.create_user(
        username=f"walker-{column.replace(' ', '-')}",
        password="x" * 20,
        is_staff=True,
        is_superuser=column == SUPERUSER,
    )
    if column not in (SUPERUSER, NO_ROLE):
        user.groups.add(Group.objects.get(name=column))
    # The QR code is served while the user's own enrollment waits for its first code.
    TOTPDevice.objects.create(user=user, name="enrolling", confirmed=False)
    return user


@pytest.mark.django_db
@pytest.mark.parametrize("column", list(COLUMNS.values()))
def test_every_admin_url_answers_each_role_as_the_matrix_says(client, column):
    objects = one_of_each_model()
    plan = walk_plan(objects)
    assert len(plan) > 100  # every model's pages, not a handful
    client.force_login(make_user(column))
    wrong = []
    for page, method, url, kind in plan:
        response = client.post(url) if method == "POST" else client.get(url)
        if response.streaming:
            b"".join(response.streaming_content)
        want = expected_status(column, page, kind, method)
        if response.status_code != want:
            wrong.append(f"{method} {url} ({page}): {response.status_code}, matrix says {want}")
    assert wrong == []


@pytest.mark.django_db
@pytest.mark.parametrize("column", list(COLUMNS.values()))
def test_draft_stories_on_the_public_site_only_for_roles_that_edit_stories(client, column):
    """Finding 5: any staff user could read draft stories at their public address."""
    draft = StoryFactory(status=Story.Status.DRAFT)
    client.force_login(make_user(column))
    response = client.get(draft.get_absolute_url())
    may = "stories:story_detail" in matrix().pages[column]
    assert response.status_code == (200 if may else 404)


def test_the_matrix_names_only_pages_that_exist():
    names = {name for _route, name in admin_patterns()} | {"stories:story_detail"}
    names |= {f"staff_export:{export.name}" for export in EXPORT_LIST}
    assert set(matrix().every_page) <= names
    labels = {model._meta.label_lower for model in admin.site._registry}
    for column in COLUMNS.values():
        assert set(matrix().models[column]) == labels, column


def post_change_form(client, obj, **changes):
    """Submit the object's admin change form as shown (inline formsets' management forms too), with
    `changes` on top; fields the page shows read-only are not in the form, so sending them changes
    nothing."""
    opts = obj._meta
    url = reverse(f"admin:{opts.app_label}_{opts.model_name}_change", args=[obj.pk])
    response = client.post(url, change_form_data(client, obj, **changes))
    inlines = response.context["inline_admin_formsets"] if response.context else []
    assert response.status_code == 302, (response.context["adminform"].form.errors, [
        (inline.formset.errors, inline.formset.non_form_errors()) for inline in inlines])
    return response


def change_form_data(client, obj, **changes) -> dict:
    """What the object's admin change form sends as shown, with `changes` on top (see post_change_form)."""
    from django import forms

    opts = obj._meta
    url = reverse(f"admin:{opts.app_label}_{opts.model_name}_change", args=[obj.pk])
    page = client.get(url)
    data = {}

    def shown(form):
        for name, field in form.fields.items():
            value = form[name].value()
            key = form.add_prefix(name)
            if isinstance(field, forms.FileField) or value is None:
                continue
            if isinstance(field, forms.MultiValueField):
                data.update({f"{key}_{i}": part for i, part in enumerate(field.widget.decompress(value))})
            elif isinstance(field, forms.BooleanField):
                if value:
                    data[key] = "on"
            else:
                data[key] = value

    shown(page.context["adminform"].form)
    for inline in page.context["inline_admin_formsets"]:
        management = inline.formset.management_form
        data.update({management.add_prefix(name): management[name].value() for name in management.fields})
        for row in inline.formset.forms:  # the rows as shown; an empty extra row stays unchanged, so unsaved
            shown(row)
    data.update(changes)
    return data


@pytest.mark.django_db
def test_custom_views_answer_a_malformed_id_with_400_and_an_unknown_one_with_404(client, make_staff):
    """Finding 5: `?member=abc` on the campaign preview and `?campaign=abc` on deliveries by office
    were a 500."""
    campaign = factories.campaign()
    client.force_login(make_staff("marco", CAMPAIGN_MANAGERS))
    preview = reverse("admin:advocacy_campaign_preview", args=[campaign.pk])
    offices = reverse("admin:advocacy_delivery_offices")
    for bad in ("abc", "1'", "-1", "1.5", "١"):
        assert client.get(preview, {"member": bad}).status_code == 400, bad
        assert client.get(offices, {"campaign": bad}).status_code == 400, bad
    assert client.get(preview, {"member": "999999"}).status_code == 404
    assert client.get(offices, {"campaign": "999999"}).status_code == 404
    assert client.get(offices, {"campaign": str(campaign.pk)}).status_code == 200


@pytest.mark.django_db
def test_a_campaign_manager_cannot_rewrite_a_letter_or_a_supporters_email_and_consent(client, make_staff):
    """Finding 6: campaign managers could edit a letter's name, street and words, and a supporter's
    email and consent."""
    letter = factories.letter(first_name="Ana", street="1 Main St", own_words="My own story.")
    supporter = letter.supporter
    client.force_login(make_staff("marco", CAMPAIGN_MANAGERS))
    post_change_form(
        client,
        letter,
        first_name="Someone",
        last_name="Else",
        street="9 Other Rd",
        own_words="Words I never wrote.",
        phone="206-555-0199",
        district="3",
    )
    letter.refresh_from_db()
    assert (letter.first_name, letter.street, letter.own_words, letter.phone) == (
        "Ana",
        "1 Main St",
        "My own story.",
        "206-555-0100",
    )
    assert letter.district == 3  # what staff may fix (the district) is still theirs to fix
    post_change_form(
        client, supporter, email="someone-else@example.org", consented_at_0="2026-01-01", consented_at_1="10:00:00"
    )
    supporter.refresh_from_db()
    assert supporter.email != "someone-else@example.org"
    assert supporter.consented_at is None


@pytest.mark.django_db
def test_a_superuser_corrects_a_letter_on_request(client, make_staff):
    letter = factories.letter(street="1 Main St")
    client.force_login(make_staff("boss", superuser=True))
    post_change_form(client, letter, street="1 Main Street")
    letter.refresh_from_db()
    assert letter.street == "1 Main Street"
