"""The CWC message: built element by element as the format requires, validated before sending,
and POSTed to a local server that answers as CWC does."""

import re
import time
import xml.etree.ElementTree as ET
from datetime import date, timedelta

import pytest
import time_machine
from django.utils import timezone

from advocacy import services
from advocacy.delivery import DeliveryThrottled, cwc
from advocacy.models import Campaign, Delivery
from advocacy.topics import LOC_TOPICS
from tests.fakes.cwc_server import errors_body

from .conftest import sign

pytestmark = pytest.mark.django_db


def _delivery_for(campaign, office_prefix="H", **sign_overrides):
    result = sign(campaign, **sign_overrides)
    return next(d for d in result.new_deliveries if d.office_code.startswith(office_prefix))


@pytest.fixture
def house_delivery(seattle, campaign, settings):
    settings.DELIVERY_BACKEND_CONGRESS = "cwc"
    campaign.bill_congress, campaign.bill_type, campaign.bill_number, campaign.stance = 119, "H.R.", 1234, "pro"
    campaign.save()
    return _delivery_for(campaign, own_words="I volunteer with children who arrived alone.")


def xml_of(data: bytes) -> ET.Element:
    return ET.fromstring(data)  # noqa: S314 - XML this test just built


def _children(element):
    return [child.tag for child in element]


def test_cwc_message_has_every_required_element_in_order(house_delivery):
    root = xml_of(cwc.build_message(house_delivery, today=date(2026, 11, 28)))
    assert root.tag == "CWC"
    assert _children(root) == ["CWCVersion", "Delivery", "Recipient", "Constituent", "Message"]
    assert root.findtext("CWCVersion") == "2.0"
    assert _children(root.find("Delivery")) == [
        "DeliveryId",
        "DeliveryDate",
        "DeliveryAgent",
        "DeliveryAgentAckEmailAddress",
        "DeliveryAgentContact",
        "Organization",
        "OrganizationAbout",
        "CampaignId",
    ]
    assert _children(root.find("Delivery/DeliveryAgentContact")) == [
        "DeliveryAgentContactName",
        "DeliveryAgentContactEmail",
        "DeliveryAgentContactPhone",
    ]
    assert _children(root.find("Recipient")) == ["MemberOffice"]
    assert _children(root.find("Constituent")) == [
        "Prefix",
        "FirstName",
        "LastName",
        "Address1",
        "City",
        "StateAbbreviation",
        "Zip",
        "Phone",
        "Email",
    ]
    assert _children(root.find("Message")) == [
        "Subject",
        "LibraryOfCongressTopics",
        "Bills",
        "ProOrCon",
        "OrganizationStatement",
        "ConstituentMessage",
        "MoreInfo",
    ]


def test_cwc_message_values_follow_the_formats(house_delivery):
    root = xml_of(cwc.build_message(house_delivery, today=date(2026, 11, 28)))
    assert re.fullmatch(r"[a-zA-Z0-9]{32}", root.findtext("Delivery/DeliveryId"))
    assert root.findtext("Delivery/DeliveryId") == house_delivery.delivery_id
    assert root.findtext("Delivery/DeliveryDate") == "20261128"
    assert re.fullmatch(r"\d{3}-\d{3}-\d{4}", root.findtext("Delivery/DeliveryAgentContact/DeliveryAgentContactPhone"))
    assert root.findtext("Delivery/CampaignId") == house_delivery.letter.campaign.cwc_campaign_id
    assert root.findtext("Recipient/MemberOffice") == "HWA07"
    assert root.findtext("Constituent/Prefix") == "Ms."
    assert root.findtext("Constituent/StateAbbreviation") == "WA"
    assert root.findtext("Constituent/Zip") == "98109"
    assert root.findtext("Constituent/Phone") == "206-555-0100"
    assert root.findtext("Constituent/Email") == "maria@example.org"
    assert root.findtext("Message/LibraryOfCongressTopics/LibraryOfCongressTopic") == "Immigration"
    assert root.findtext("Message/LibraryOfCongressTopics/LibraryOfCongressTopic") in LOC_TOPICS
    bill = root.find("Message/Bills/Bill")
    assert [bill.findtext(tag) for tag in ("BillCongress", "BillTypeAbbreviation", "BillNumber")] == [
        "119",
        "H.R.",
        "1234",
    ]
    assert root.findtext("Message/ProOrCon") == "pro"
    # The campaign's untouched text and the supporter's own words travel separately.
    assert root.findtext("Message/OrganizationStatement").startswith("Dear Rep. Samuel Rep,")
    assert root.findtext("Message/ConstituentMessage") == "I volunteer with children who arrived alone."
    assert cwc.validate_message(cwc.build_message(house_delivery)) == []


def test_senate_office_code_and_a_locked_letter_send_only_the_statement(seattle, campaign, settings):
    settings.DELIVERY_BACKEND_CONGRESS = "cwc"
    campaign.editing_policy = Campaign.EditingPolicy.LOCKED
    campaign.save()
    delivery = _delivery_for(campaign, office_prefix="S")
    root = xml_of(cwc.build_message(delivery))
    assert root.findtext("Recipient/MemberOffice") in {"SWA01", "SWA03"}
    assert root.find("Message/ConstituentMessage") is None
    assert root.find("Message/Bills") is None and root.find("Message/ProOrCon") is None
    assert cwc.validate_message(cwc.build_message(delivery)) == []


def test_an_edited_letter_goes_as_the_constituents_message_only(seattle, campaign):
    campaign.editing_policy = Campaign.EditingPolicy.EDITABLE
    campaign.save()
    delivery = _delivery_for(campaign, own_words="Dear {member_title} {member_name}, my own letter about children.")
    root = xml_of(cwc.build_message(delivery))
    assert root.find("Message/OrganizationStatement") is None
    assert root.findtext("Message/ConstituentMessage") == "Dear Rep. Samuel Rep, my own letter about children."


def test_text_is_escaped_not_interpreted(seattle, campaign):
    delivery = _delivery_for(campaign, own_words="<script>alert(1)</script> & ]]> end")
    xml = cwc.build_message(delivery)
    assert b"<script>" not in xml
    assert xml_of(xml).findtext("Message/ConstituentMessage") == "<script>alert(1)</script> & ]]> end"


def _mutate(xml: bytes, change) -> bytes:
    root = xml_of(xml)
    change(root)
    return ET.tostring(root, encoding="UTF-8", xml_declaration=True)


@pytest.mark.parametrize(
    ("change", "expected"),
    [
        (lambda r: r.find("Delivery").remove(r.find("Delivery/DeliveryId")), "CWC/Delivery/DeliveryId: required"),
        (lambda r: setattr(r.find("Delivery/DeliveryId"), "text", "abc-123"), "CWC/Delivery/DeliveryId"),
        (lambda r: setattr(r.find("Delivery/DeliveryDate"), "text", "2026-11-28"), "CWC/Delivery/DeliveryDate"),
        (lambda r: setattr(r.find("Recipient/MemberOffice"), "text", "HWA7"), "CWC/Recipient/MemberOffice"),
        (lambda r: setattr(r.find("Constituent/Prefix"), "text", "Rev."), "CWC/Constituent/Prefix"),
        (lambda r: setattr(r.find("Constituent/Zip"), "text", "9810"), "CWC/Constituent/Zip"),
        (lambda r: setattr(r.find("Constituent/Email"), "text", "not-an-email"), "CWC/Constituent/Email"),
        (lambda r: setattr(r.find("Constituent/Phone"), "text", "2065550100"), "CWC/Constituent/Phone"),
        (lambda r: setattr(r.find("Constituent/StateAbbreviation"), "text", "XX"), "StateAbbreviation"),
        (lambda r: setattr(r.find("Message/Subject"), "text", "Hi"), "CWC/Message/Subject: at least 6"),
        (
            lambda r: setattr(r.find("Message/LibraryOfCongressTopics/LibraryOfCongressTopic"), "text", "Children"),
            "LibraryOfCongressTopic: 'Children' is not an allowed value",
        ),
        (lambda r: setattr(r.find("CWCVersion"), "text", "1.0"), "CWC/CWCVersion"),
        (lambda r: r.find("Message").remove(r.find("Message/OrganizationStatement")), "needs OrganizationStatement"),
        (lambda r: r.remove(r.find("Constituent")), "CWC/Constituent: required"),
    ],
)
def test_validator_rejects_each_broken_element(seattle, campaign, change, expected):
    campaign.editing_policy = Campaign.EditingPolicy.LOCKED
    campaign.save()
    xml = cwc.build_message(_delivery_for(campaign))
    errors = cwc.validate_message(_mutate(xml, change))
    assert any(expected in error for error in errors), errors


def test_validator_rejects_elements_out_of_order(seattle, campaign):
    xml = cwc.build_message(_delivery_for(campaign))

    def swap(root):
        constituent = root.find("Constituent")
        first = constituent.find("FirstName")
        constituent.remove(first)
        constituent.append(first)

    assert any("FirstName: out of order" in e for e in cwc.validate_message(_mutate(xml, swap)))


def test_topic_list_has_the_32_cwc_values():
    assert len(LOC_TOPICS) == len(set(LOC_TOPICS)) == 32
    assert "Civil Rights and Liberties, Minority Issues" in LOC_TOPICS
    assert {choice for choice, _label in Campaign._meta.get_field("topic").choices} == set(LOC_TOPICS)


def test_accepted_message_is_marked_sent_with_the_delivery_id(cwc_server, house_delivery):
    assert services.delivery_send(delivery_id=house_delivery.pk) == Delivery.Status.SENT
    (request,) = cwc_server.requests
    assert request.path == "/v2/message"
    assert request.query["apikey"] == ["test-key"]
    assert request.headers["Content-Type"] == "application/xml"
    assert request.delivery_id == house_delivery.delivery_id
    assert cwc.validate_message(request.body) == []
    house_delivery.refresh_from_db()
    assert house_delivery.status == Delivery.Status.SENT
    assert house_delivery.backend == Delivery.Backend.CWC
    assert house_delivery.backend_message_id == house_delivery.delivery_id
    assert house_delivery.sent_at is not None and house_delivery.attempts == 1


def test_rejected_message_fails_at_once_with_the_offices_errors(cwc_server, house_delivery):
    cwc_server.respond(400, errors_body("Invalid Zip for MemberOffice HWA07", "Email is required"))
    assert services.delivery_send(delivery_id=house_delivery.pk) == Delivery.Status.FAILED
    house_delivery.refresh_from_db()
    assert house_delivery.status == Delivery.Status.FAILED
    assert "Invalid Zip for MemberOffice HWA07" in house_delivery.last_error
    assert "Email is required" in house_delivery.last_error
    # Permanent: sending again does not call CWC again.
    services.delivery_send(delivery_id=house_delivery.pk)
    assert len(cwc_server.requests) == 1


def test_server_error_waits_for_the_office_and_retries_with_the_same_delivery_id(cwc_server, house_delivery):
    cwc_server.respond(500, b"Internal Server Error")
    assert services.delivery_send(delivery_id=house_delivery.pk) == Delivery.Status.WAITING
    house_delivery.refresh_from_db()
    assert house_delivery.status == Delivery.Status.WAITING and house_delivery.next_attempt_at > timezone.now()
    assert house_delivery.attempts == 1 and "500" in house_delivery.last_error
    # Not due yet: an early message does nothing.
    assert services.delivery_send(delivery_id=house_delivery.pk) == "not_due"

    Delivery.objects.filter(pk=house_delivery.pk).update(next_attempt_at=timezone.now())
    assert services.delivery_send(delivery_id=house_delivery.pk) == Delivery.Status.SENT
    first, second = cwc_server.requests
    assert first.delivery_id == second.delivery_id == house_delivery.delivery_id
    house_delivery.refresh_from_db()
    assert house_delivery.status == Delivery.Status.SENT and house_delivery.attempts == 2
    assert [(a.outcome, a.status_code) for a in house_delivery.attempt_log.all()] == [("busy", 500), ("accepted", None)]


def test_unreachable_cwc_is_not_sent_and_is_tried_until_the_time_budget_runs_out(house_delivery, settings):
    settings.CWC_API_KEY = "test-key"
    settings.CWC_API_BASE = "http://127.0.0.1:9"  # discard port: connection refused
    settings.DELIVERY_RETRY_BUDGET_HOURS = 24
    start = timezone.now()
    with time_machine.travel(start, tick=False) as clock:
        assert services.delivery_send(delivery_id=house_delivery.pk) == Delivery.Status.WAITING
        clock.shift(timedelta(hours=23, minutes=59))
        Delivery.objects.filter(pk=house_delivery.pk).update(next_attempt_at=timezone.now())
        assert services.delivery_send(delivery_id=house_delivery.pk) == Delivery.Status.WAITING
        clock.shift(timedelta(minutes=2))
        Delivery.objects.filter(pk=house_delivery.pk).update(next_attempt_at=timezone.now())
        assert services.delivery_send(delivery_id=house_delivery.pk) == Delivery.Status.FAILED
    house_delivery.refresh_from_db()
    assert house_delivery.attempts == 3 and house_delivery.unconfirmed_posts == 0
    assert "Gave up after 24 hours" in house_delivery.last_error and "unreachable" in house_delivery.last_error
    assert {a.outcome for a in house_delivery.attempt_log.all()} == {"not_sent"}


def test_a_message_that_fails_validation_is_never_posted(cwc_server, house_delivery):
    Delivery.objects.filter(pk=house_delivery.pk).update(office_code="XWA07")
    assert services.delivery_send(delivery_id=house_delivery.pk) == Delivery.Status.FAILED
    assert cwc_server.requests == []
    assert "MemberOffice" in Delivery.objects.get(pk=house_delivery.pk).last_error


def test_office_without_cwc_falls_back_to_email_then_to_the_fallback(seattle, campaign, settings):
    settings.DELIVERY_BACKEND_CONGRESS = "cwc"
    settings.DELIVERY_BACKEND_FALLBACK = "console"
    first, second = seattle["senators"]
    first.accepts_cwc = second.accepts_cwc = False
    first.email = "letters@senator-one.example.gov"
    first.save()
    second.save()
    backends = {d.legislator_id: d.backend for d in sign(campaign).new_deliveries}
    assert backends == {seattle["rep"].pk: "cwc", first.pk: "email", second.pk: "console"}


# --- The Senate's CWC (SOAPBox) ------------------------------------------------------------------


@pytest.fixture
def senate_delivery(seattle, campaign, settings):
    settings.DELIVERY_BACKEND_CONGRESS = "cwc"
    return _delivery_for(campaign, office_prefix="S")


@pytest.fixture
def senate_and_house_delivery(seattle, campaign, settings):
    settings.DELIVERY_BACKEND_CONGRESS = "cwc"
    deliveries = sign(campaign).new_deliveries
    return [next(d for d in deliveries if d.office_code.startswith(prefix)) for prefix in "SH"]


def test_senate_offices_go_to_the_senate_with_its_own_key(cwc_server, senate_and_house_delivery):
    senate_delivery, house_delivery = senate_and_house_delivery
    assert services.delivery_send(delivery_id=senate_delivery.pk) == Delivery.Status.SENT
    assert services.delivery_send(delivery_id=house_delivery.pk) == Delivery.Status.SENT
    senate, house = cwc_server.requests
    assert (senate.path, senate.query["apikey"]) == ("/api/testing-messages/", ["senate-key"])
    assert senate.headers["Content-Type"] == "application/xml"
    assert senate.xml.findtext("Recipient/MemberOffice") == senate_delivery.office_code
    assert (house.path, house.query["apikey"]) == ("/v2/message", ["test-key"])
    senate_delivery.refresh_from_db()
    assert senate_delivery.backend_message_id == senate_delivery.delivery_id and senate_delivery.sent_at


def test_senate_duplicate_answer_means_an_earlier_attempt_got_through(cwc_server, senate_delivery):
    # The first POST reaches the Senate (201) but its answer is lost: the worker saw a network error.
    cwc_server.senate_delivery_ids.add(senate_delivery.delivery_id)

    assert services.delivery_send(delivery_id=senate_delivery.pk) == Delivery.Status.SENT
    (request,) = cwc_server.requests
    assert request.delivery_id == senate_delivery.delivery_id  # answered 409, not sent twice


def test_senate_rejection_fails_with_its_errors(cwc_server, senate_delivery):
    cwc_server.respond(400, errors_body("Prefix must be one of Mr., Mrs., Miss, Ms., Dr."))
    assert services.delivery_send(delivery_id=senate_delivery.pk) == Delivery.Status.FAILED
    assert "Prefix must be one of" in Delivery.objects.get(pk=senate_delivery.pk).last_error


def test_without_a_senate_key_senate_letters_fail_visibly_and_house_letters_still_go(
    cwc_server, senate_and_house_delivery, settings
):
    senate_delivery, house_delivery = senate_and_house_delivery
    settings.CWC_SENATE_API_KEY = ""
    assert services.delivery_send(delivery_id=senate_delivery.pk) == Delivery.Status.FAILED
    assert "CWC_SENATE_API_KEY is not set" in Delivery.objects.get(pk=senate_delivery.pk).last_error
    assert services.delivery_send(delivery_id=house_delivery.pk) == Delivery.Status.SENT
    assert [request.path for request in cwc_server.requests] == ["/v2/message"]


def test_house_and_senate_cwc_have_separate_rate_limits(cwc_server, senate_and_house_delivery, settings):
    settings.DELIVERY_RATE_LIMITS = {**settings.DELIVERY_RATE_LIMITS, "cwc": 1, "cwc_senate": 1}
    senate_delivery, house_delivery = senate_and_house_delivery
    other_senator = (
        Delivery.objects.filter(letter=senate_delivery.letter, office_code__startswith="S")
        .exclude(pk=senate_delivery.pk)
        .get()
    )
    # One send a second each: the House's slot is not used up by the Senate's, and vice versa.
    time.sleep(1 - time.time() % 1)  # the limit counts per clock second: start at the top of one
    assert services.delivery_send(delivery_id=senate_delivery.pk) == Delivery.Status.SENT
    assert services.delivery_send(delivery_id=house_delivery.pk) == Delivery.Status.SENT
    with pytest.raises(DeliveryThrottled, match="cwc_senate"):
        services.delivery_send(delivery_id=other_senator.pk)
