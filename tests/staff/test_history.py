"""Who changed what and when, on campaigns, stories, agenda points, appeals and donations, read from
each object's own admin history page by the role that works on it."""

import pytest
from django import forms
from django.contrib import admin
from django.urls import reverse

from advocacy.models import Campaign
from donations.models import Appeal, Donation
from staff.roles import CAMPAIGN_MANAGERS, CONTENT_EDITORS, FINANCE
from stories.models import AgendaPoint, Story

from . import factories

TRACKED = [Campaign, Story, AgendaPoint, Appeal, Donation]


def test_every_audited_model_keeps_history_shown_in_its_admin():
    from simple_history.admin import SimpleHistoryAdmin
    from simple_history.models import HistoricalRecords

    for model in TRACKED:
        # HistoricalRecords registers a Historical<Model> whose instance_type is the model itself.
        history_model = model.history.model
        assert history_model.instance_type is model, model
        assert isinstance(HistoricalRecords, type)
        assert isinstance(admin.site._registry[model], SimpleHistoryAdmin), model


def history_page(client, obj) -> str:
    opts = obj._meta
    response = client.get(reverse(f"admin:{opts.app_label}_{opts.model_name}_history", args=[obj.pk]))
    assert response.status_code == 200
    return response.content.decode()


def post_change_form(client, obj, **changes):
    """Submit the object's admin change form as a person would: every field as shown, some changed."""
    opts = obj._meta
    url = reverse(f"admin:{opts.app_label}_{opts.model_name}_change", args=[obj.pk])
    page = client.get(url)
    form = page.context["adminform"].form
    data = {}
    for name, field in form.fields.items():
        value = form[name].value()
        if isinstance(field, forms.FileField) or value is None:
            continue  # no upload: the stored file stays
        if isinstance(field, forms.BooleanField):
            if value:
                data[name] = "on"
        elif isinstance(field, forms.MultipleChoiceField):
            data[name] = [str(item) for item in value]
        else:
            data[name] = value  # BoundField.value() is already in the form's own format
    for inline in page.context["inline_admin_formsets"]:  # their rows unchanged (none sent)
        management = inline.formset.management_form
        data.update({management.add_prefix(name): management[name].value() for name in management.fields})
        data[management.add_prefix("TOTAL_FORMS")] = data[management.add_prefix("INITIAL_FORMS")] = "0"
    data.update(changes)
    response = client.post(url, data)
    assert response.status_code == 302, response.context["adminform"].form.errors if response.context else response
    return response


def run_action(client, model, action, objects):
    opts = model._meta
    response = client.post(
        reverse(f"admin:{opts.app_label}_{opts.model_name}_changelist"),
        {"action": action, "_selected_action": [obj.pk for obj in objects]},
    )
    assert response.status_code == 302


@pytest.mark.django_db
def test_agenda_point_edits_show_who_changed_what(client, make_staff):
    editor = make_staff("elena", CONTENT_EDITORS)
    client.force_login(editor)
    point = AgendaPoint.objects.create(title="Lawyers for children", slug="lawyers", summary="Counsel.", position=9)
    post_change_form(client, point, title_en="Give every child a lawyer")  # the English box
    html = history_page(client, point)
    assert "elena" in html
    assert "Lawyers for children" in html and "Give every child a lawyer" in html


@pytest.mark.django_db
def test_story_publishing_is_recorded_with_the_editor(client, make_staff):
    editor = make_staff("elena", CONTENT_EDITORS)
    story = Story.objects.create(
        title="Dario's walk", slug="dario", summary="A boy's journey.", body="He walked.",
        primary_point=AgendaPoint.objects.first(), status=Story.Status.DRAFT,
    )
    client.force_login(editor)
    run_action(client, Story, "publish_selected", [story])
    story.refresh_from_db()
    assert story.status == Story.Status.PUBLISHED
    record = story.history.first()
    assert record.history_user == editor
    html = history_page(client, story)
    assert "elena" in html
    assert "draft" in html and "published" in html


@pytest.mark.django_db
def test_closing_a_campaign_is_recorded_with_the_manager(client, make_staff):
    manager = make_staff("marco", CAMPAIGN_MANAGERS)
    campaign = factories.campaign(title="Protect the children")
    client.force_login(manager)
    run_action(client, Campaign, "close_selected", [campaign])
    record = campaign.history.first()
    assert record.history_user == manager
    assert record.status == Campaign.Status.CLOSED
    html = history_page(client, campaign)
    assert "marco" in html and "closed" in html


@pytest.mark.django_db
def test_appeal_edits_by_finance_are_recorded(client, make_staff):
    finance = make_staff("fiona", FINANCE)
    appeal = factories.appeal(title="Winter appeal", goal_cents=50_000)
    client.force_login(finance)
    post_change_form(client, appeal, goal_cents="80000")
    appeal.refresh_from_db()
    assert appeal.goal_cents == 80_000
    assert appeal.history.first().history_user == finance
    html = history_page(client, appeal)
    assert "fiona" in html and "50000" in html and "80000" in html


@pytest.mark.django_db
def test_donation_changes_from_stripe_are_visible_to_finance(client, make_staff):
    """Gifts change only through Stripe's events (no staff user): the history still says when and what."""
    donation = factories.donation(status=Donation.Status.PENDING, paid_at=None, amount_cents=4200)
    donation.status = Donation.Status.SUCCEEDED
    donation.save()
    client.force_login(make_staff("fiona", FINANCE))
    html = history_page(client, donation)
    assert "pending" in html and "succeeded" in html
    assert donation.history.count() == 2


@pytest.mark.django_db
@pytest.mark.parametrize(
    ("role", "model"), [(CONTENT_EDITORS, Donation), (FINANCE, Campaign), (CAMPAIGN_MANAGERS, Appeal)]
)
def test_history_is_closed_to_roles_outside_the_record(client, make_staff, role, model):
    obj = {Donation: factories.donation, Campaign: factories.campaign, Appeal: factories.appeal}[model]()
    client.force_login(make_staff("outsider", role))
    opts = model._meta
    response = client.get(reverse(f"admin:{opts.app_label}_{opts.model_name}_history", args=[obj.pk]))
    assert response.status_code == 403


def revert_url(obj, record) -> str:
    opts = obj._meta
    return reverse(f"admin:{opts.app_label}_{opts.model_name}_simple_history", args=[obj.pk, record.history_id])


def post_old_version(client, obj, record):
    """Post the revert form as simple-history shows it: the old version's values, unchanged."""
    url = revert_url(obj, record)
    page = client.get(url)
    assert page.status_code == 200  # every role that may read the record may read its old versions
    form = page.context["adminform"].form
    data = {}
    for name, field in form.fields.items():
        value = form[name].value()
        if isinstance(field, forms.FileField) or value is None:
            continue
        if isinstance(field, forms.MultiValueField):  # the admin's date + time inputs
            data.update({f"{name}_{i}": part for i, part in enumerate(field.widget.decompress(value))})
        elif isinstance(field, forms.BooleanField):
            if value:
                data[name] = "on"
        elif isinstance(field, forms.MultipleChoiceField):
            data[name] = [str(item) for item in value]
        else:
            data[name] = value
    return page, client.post(url, data)


@pytest.mark.django_db
def test_a_campaign_manager_cannot_revert_a_story_through_its_history(client, make_staff):
    """Finding 1: simple-history's revert form checked view permission only, so a role that may
    only read stories rewrote and republished one by posting the old version back."""
    story = Story.objects.create(
        title="Old title", slug="old", summary="First.", body="First body.",
        primary_point=AgendaPoint.objects.first(), status=Story.Status.DRAFT,
    )
    old = story.history.get()
    story.title = "Checked title"
    story.save()
    client.force_login(make_staff("marco", CAMPAIGN_MANAGERS))
    page, response = post_old_version(client, story, old)
    assert 'name="_save"' not in page.content.decode()  # no button to restore it...
    assert response.status_code == 403  # ...and posting the form anyway is refused
    story.refresh_from_db()
    assert story.title == "Checked title"
    assert story.history.count() == 2


@pytest.mark.django_db
@pytest.mark.parametrize("who", ["finance", "superuser"])
def test_nobody_rolls_a_paid_gift_back_through_its_history(client, make_staff, mailoutbox, who):
    """Finding 1: Finance rolled a paid gift back to pending through the revert form (and the donor
    got a second receipt). Money records follow Stripe only: not even a superuser reverts them."""
    donation = factories.donation(status=Donation.Status.PENDING, paid_at=None)
    pending = donation.history.get()
    donation.status = Donation.Status.SUCCEEDED
    donation.save()
    user = make_staff("boss", superuser=True) if who == "superuser" else make_staff("fiona", FINANCE)
    client.force_login(user)
    _page, response = post_old_version(client, donation, pending)
    assert response.status_code == 403
    donation.refresh_from_db()
    assert donation.status == Donation.Status.SUCCEEDED
    assert donation.history.count() == 2
    assert mailoutbox == []


@pytest.mark.django_db
def test_a_superuser_may_still_restore_an_old_version_of_content(client, make_staff):
    point = AgendaPoint.objects.create(title="Lawyers for children", slug="lawyers", summary="Counsel.", position=9)
    old = point.history.get()
    point.title = "Vandalized"
    point.save()
    client.force_login(make_staff("boss", superuser=True))
    page, response = post_old_version(client, point, old)
    assert 'name="_save"' in page.content.decode()
    assert response.status_code == 302
    point.refresh_from_db()
    assert point.title == "Lawyers for children"


def test_every_history_admin_is_read_only_for_roles():
    """A ModelAdmin added later with plain SimpleHistoryAdmin would bring the open revert form back."""
    from simple_history.admin import SimpleHistoryAdmin

    from staff.history import StaffHistoryAdmin

    for model, model_admin in admin.site._registry.items():
        if isinstance(model_admin, SimpleHistoryAdmin):
            assert isinstance(model_admin, StaffHistoryAdmin), model
