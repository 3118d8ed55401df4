"""Campaign managers' tools in the admin: counts, preview, duplicate, open/close, retry, reports, export."""

import csv
import io

import pytest
from django.urls import reverse
from django.utils import timezone

from advocacy import services
from advocacy.models import Campaign, Delivery

from .conftest import sign
from .factories import CampaignFactory, DeliveryFactory, SupporterFactory

pytestmark = pytest.mark.django_db


def test_campaign_list_counts_letters_and_deliveries_without_a_query_per_row(
    admin_client, seattle, django_assert_max_num_queries
):
    for n in range(3):
        campaign = CampaignFactory()
        sign(campaign)
        if n == 0:
            Delivery.objects.filter(letter__campaign=campaign).update(status=Delivery.Status.FAILED)
    url = reverse("admin:advocacy_campaign_changelist")
    admin_client.get(url)  # warm the session and permission caches
    with django_assert_max_num_queries(12) as few:
        response = admin_client.get(url)
    queries_for_three = len(few.captured_queries)
    for _n in range(5):
        sign(CampaignFactory())
    with django_assert_max_num_queries(queries_for_three):
        response = admin_client.get(url)
    assert response.status_code == 200
    row = next(c for c in response.context["cl"].result_list if c.failed_count)
    assert (row.letter_count, row.failed_count, row.queued_count) == (1, 3, 0)


def test_preview_shows_the_letter_as_a_chosen_member_gets_it(admin_client, seattle, campaign):
    url = reverse("admin:advocacy_campaign_preview", args=[campaign.pk])
    response = admin_client.get(url, {"member": seattle["senators"][1].pk})
    assert response.status_code == 200
    assert "Dear Sen. Rosa Senator," in response.text and "Protect children who arrive alone" in response.text


def test_duplicate_open_and_close_actions(admin_client, campaign):
    url = reverse("admin:advocacy_campaign_changelist")
    admin_client.post(url, {"action": "duplicate_selected", "_selected_action": [campaign.pk]})
    copy = Campaign.objects.exclude(pk=campaign.pk).get()
    assert copy.status == Campaign.Status.DRAFT
    admin_client.post(url, {"action": "open_selected", "_selected_action": [copy.pk]})
    assert Campaign.objects.get(pk=copy.pk).status == Campaign.Status.LIVE
    admin_client.post(url, {"action": "close_selected", "_selected_action": [campaign.pk]})
    assert Campaign.objects.get(pk=campaign.pk).status == Campaign.Status.CLOSED


def test_retry_action_requeues_failed_deliveries_only(admin_client, django_capture_on_commit_callbacks):
    failed = DeliveryFactory(status=Delivery.Status.FAILED, attempts=6, last_error="CWC answered 400")
    sent = DeliveryFactory(status=Delivery.Status.SENT, sent_at=timezone.now())
    with django_capture_on_commit_callbacks(execute=False) as callbacks:
        response = admin_client.post(
            reverse("admin:advocacy_delivery_changelist"),
            {"action": "retry_selected", "_selected_action": [failed.pk, sent.pk]},
            follow=True,
        )
    assert "1 deliveries queued again" in response.text
    assert len(callbacks) == 1
    assert Delivery.objects.get(pk=failed.pk).status == Delivery.Status.QUEUED
    assert Delivery.objects.get(pk=sent.pk).status == Delivery.Status.SENT


@pytest.mark.parametrize(
    "query", [{}, {"status__exact": "failed"}, {"backend__exact": "file"}, {"office_code": "HWA07"}, {"q": "HWA07"}]
)
def test_delivery_list_filters_and_search(admin_client, query):
    DeliveryFactory(status=Delivery.Status.FAILED)
    response = admin_client.get(reverse("admin:advocacy_delivery_changelist"), query)
    assert response.status_code == 200
    assert len(response.context["cl"].result_list) == 1


def test_letter_list_and_detail(admin_client, seattle, campaign):
    letter = sign(campaign).letter
    assert admin_client.get(reverse("admin:advocacy_letter_changelist"), {"q": "maria@"}).status_code == 200
    response = admin_client.get(reverse("admin:advocacy_letter_change", args=[letter.pk]))
    assert response.status_code == 200 and "HWA07" in response.text


def test_office_report_counts_deliveries_per_office(admin_client, seattle, campaign):
    sign(campaign)
    sign(campaign, email="second@example.org")
    Delivery.objects.filter(office_code="SWA01").update(status=Delivery.Status.SENT, sent_at=timezone.now())
    response = admin_client.get(reverse("admin:advocacy_delivery_offices"), {"campaign": campaign.pk})
    rows = {row["office_code"]: row for row in response.context["rows"]}
    assert rows["SWA01"]["total"] == 2 and rows["SWA01"]["sent"] == 2
    assert rows["HWA07"]["queued"] == 2 and rows["HWA07"]["failed"] == 0


def test_export_lists_only_supporters_who_consented(admin_client, seattle, campaign):
    services.consent_confirm(consent=sign(campaign, email="yes@example.org", consent=True).consent)
    sign(campaign, email="no@example.org", consent=False)
    sign(campaign, email="unconfirmed@example.org", consent=True)  # checked, never confirmed from the mailbox
    SupporterFactory(email="other-campaign@example.org")
    response = admin_client.post(
        reverse("admin:advocacy_campaign_changelist"),
        {"action": "export_supporters", "_selected_action": [campaign.pk]},
    )
    body = b"".join(response.streaming_content).decode()
    assert next(csv.reader(io.StringIO(body))) == ["email", "first_name", "last_name", "consented_at"]
    assert "yes@example.org" in body and "no@example.org" not in body and "other-campaign" not in body
    assert "unconfirmed@example.org" not in body


def test_campaign_change_form_and_history(admin_client, campaign):
    response = admin_client.get(reverse("admin:advocacy_campaign_change", args=[campaign.pk]))
    assert response.status_code == 200 and "Preview the letter" in response.text
    assert admin_client.get(reverse("admin:advocacy_campaign_history", args=[campaign.pk])).status_code == 200


def test_a_letters_request_for_updates_shows_read_only_with_its_wording(admin_client, seattle, campaign):
    letter = sign(campaign, consent=True).letter
    response = admin_client.get(reverse("admin:advocacy_letter_change", args=[letter.pk]))
    assert response.status_code == 200
    assert "Send me occasional updates about this campaign" in response.text
    assert 'name="consent-0-wording"' not in response.text  # shown, never editable
