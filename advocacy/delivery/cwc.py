"""Communicating with Congress (CWC): the XML message an office's CRM receives, a validator that
checks it before anything is sent, and the POST to the House (``CWC_API_BASE/v2/message``) or,
for a Senate office, to the Senate's SOAPBox (``CWC_SENATE_API_URL``).

The element tree, order and value rules follow the House sample and the public implementations
summarized in docs/advocacy.md. A message that fails local validation is never sent."""

import re
import xml.etree.ElementTree as ET
from dataclasses import dataclass
from urllib.parse import urlsplit

import requests
from django.conf import settings
from django.utils import timezone, translation
from urllib3 import exceptions as urllib3_exceptions

from congress.lookup import STATE_CODES as CWC_STATE_CODES  # 50 states, DC, 5 territories

from .. import letter_rules
from ..topics import BILL_TYPES, LOC_TOPICS, PREFIXES
from . import OfficeUnreachable, PermanentDeliveryError, TransientDeliveryError, UnconfirmedDeliveryError

_PHONE = r"[0-9]{3}-[0-9]{3}-[0-9]{4}"
_EMAIL = letter_rules.CWC_EMAIL_RE.pattern


@dataclass(frozen=True)
class Node:
    """One element of the schema: its name, whether it must appear, and either a rule for its text
    (regex, choices, lengths) or its children in order."""

    tag: str
    required: bool = True
    pattern: str | None = None
    choices: frozenset | tuple | None = None
    min_len: int = 1
    max_len: int | None = None
    children: tuple = ()
    repeat: bool = False
    fixed: str | None = None


def _text(tag, required=True, **rules):
    return Node(tag, required=required, **rules)


SCHEMA = Node(
    "CWC",
    children=(
        _text("CWCVersion", fixed="2.0"),
        Node(
            "Delivery",
            children=(
                _text("DeliveryId", pattern=r"[a-zA-Z0-9]{32}"),
                _text("DeliveryDate", pattern=r"[0-9]{8}"),
                _text("DeliveryAgent", min_len=3),
                _text("DeliveryAgentAckEmailAddress", pattern=_EMAIL),
                Node(
                    "DeliveryAgentContact",
                    children=(
                        _text("DeliveryAgentContactName", min_len=6),
                        _text("DeliveryAgentContactEmail", pattern=_EMAIL),
                        _text("DeliveryAgentContactPhone", pattern=_PHONE),
                    ),
                ),
                _text("Organization", required=False, min_len=3),
                Node(
                    "OrganizationContact",
                    required=False,
                    children=(
                        _text("OrganizationContactName", required=False, min_len=2),
                        _text("OrganizationContactEmail", required=False, pattern=_EMAIL),
                        _text("OrganizationContactPhone", required=False, pattern=_PHONE),
                    ),
                ),
                _text("OrganizationAbout", required=False, min_len=6, max_len=500),
                _text("CampaignId", min_len=1, max_len=64),
            ),
        ),
        Node(
            "Recipient",
            children=(
                _text("MemberOffice", pattern=r"H[A-Z]{2}\d{2}|S[A-Z]{2}0[1-3]"),
                _text("IsResponseRequested", required=False, pattern=r"[YyNn]"),
                _text("NewsletterOptIn", required=False, pattern=r"[YyNn]"),
            ),
        ),
        Node(
            "Constituent",
            children=(
                _text("Prefix", choices=PREFIXES),
                _text("FirstName"),
                _text("MiddleName", required=False),
                _text("LastName"),
                _text("Suffix", required=False),
                _text("Title", required=False),
                _text("ConstituentOrganization", required=False, min_len=2),
                _text("Address1", min_len=letter_rules.STREET_MIN_LENGTH),
                _text("Address2", required=False, min_len=2),
                _text("City", min_len=letter_rules.CITY_MIN_LENGTH),
                _text("StateAbbreviation", choices=CWC_STATE_CODES),
                _text("Zip", pattern=letter_rules.CWC_ZIP_RE.pattern),
                _text("Phone", required=False, pattern=_PHONE),
                _text("AddressValidation", required=False, pattern=r"[YyNn]"),
                _text("Email", pattern=_EMAIL),
                _text("EmailValidation", required=False, pattern=r"[YyNn]"),
            ),
        ),
        Node(
            "Message",
            children=(
                _text("Subject", min_len=letter_rules.SUBJECT_MIN_LENGTH, max_len=letter_rules.SUBJECT_MAX_LENGTH),
                Node(
                    "LibraryOfCongressTopics",
                    children=(_text("LibraryOfCongressTopic", choices=LOC_TOPICS, repeat=True),),
                ),
                Node(
                    "Bills",
                    required=False,
                    children=(
                        Node(
                            "Bill",
                            required=False,
                            repeat=True,
                            children=(
                                _text("BillCongress", pattern=r"\d{1,3}"),
                                _text("BillTypeAbbreviation", choices=BILL_TYPES),
                                _text("BillNumber", pattern=r"\d{1,5}"),
                            ),
                        ),
                    ),
                ),
                _text("ProOrCon", required=False, pattern=r"[Pp][Rr][Oo]|[Cc][Oo][Nn]"),
                _text(
                    "OrganizationStatement",
                    required=False,
                    min_len=letter_rules.MESSAGE_MIN_LENGTH,
                    max_len=letter_rules.MESSAGE_MAX_LENGTH,
                ),
                _text(
                    "ConstituentMessage",
                    required=False,
                    min_len=letter_rules.MESSAGE_MIN_LENGTH,
                    max_len=letter_rules.MESSAGE_MAX_LENGTH,
                ),
                _text("MoreInfo", required=False, pattern=r"https?://\S+"),
            ),
        ),
    ),
)


class CWCValidationError(PermanentDeliveryError):
    def __init__(self, errors: list[str]):
        self.errors = errors
        super().__init__("; ".join(errors))


def _check_text(node: Node, element: ET.Element, path: str, errors: list[str]) -> None:
    text = (element.text or "").strip()
    if node.fixed is not None and text != node.fixed:
        errors.append(f"{path}: must be {node.fixed!r}")
    if len(text) < node.min_len:
        errors.append(f"{path}: at least {node.min_len} characters")
    if node.max_len is not None and len(text) > node.max_len:
        errors.append(f"{path}: at most {node.max_len} characters")
    if node.pattern and not re.fullmatch(node.pattern, text):
        errors.append(f"{path}: {text!r} is not in the expected format")
    if node.choices is not None and text not in node.choices:
        errors.append(f"{path}: {text!r} is not an allowed value")


def _check(node: Node, element: ET.Element, path: str, errors: list[str]) -> None:
    if not node.children:
        if len(element):
            errors.append(f"{path}: must not contain elements")
        _check_text(node, element, path, errors)
        return
    if (element.text or "").strip():
        errors.append(f"{path}: must contain only elements")
    known = {child.tag: child for child in node.children}
    order = [child.tag for child in node.children]
    position = 0
    seen: dict[str, int] = {}
    for child in element:
        if child.tag not in known:
            errors.append(f"{path}/{child.tag}: unknown element")
            continue
        index = order.index(child.tag)
        if index < position:
            errors.append(f"{path}/{child.tag}: out of order")
        position = max(position, index)
        seen[child.tag] = seen.get(child.tag, 0) + 1
        if seen[child.tag] > 1 and not known[child.tag].repeat:
            errors.append(f"{path}/{child.tag}: may appear once")
        _check(known[child.tag], child, f"{path}/{child.tag}", errors)
    for child_node in node.children:
        if child_node.required and child_node.tag not in seen:
            errors.append(f"{path}/{child_node.tag}: required")


def validate_message(xml: bytes) -> list[str]:
    """Every problem with a CWC message, element by element; an empty list means it may be sent."""
    try:
        root = ET.fromstring(xml)  # noqa: S314 - our own XML, built just before
    except ET.ParseError as exc:
        return [f"not well-formed XML: {exc}"]
    errors: list[str] = []
    if root.tag != SCHEMA.tag:
        return [f"root element must be <{SCHEMA.tag}>"]
    _check(SCHEMA, root, SCHEMA.tag, errors)
    message = root.find("Message")
    if (
        message is not None
        and message.find("OrganizationStatement") is None
        and message.find("ConstituentMessage") is None
    ):
        errors.append("CWC/Message: needs OrganizationStatement or ConstituentMessage")
    return errors


def _add(parent: ET.Element, tag: str, text: str | None = None) -> ET.Element:
    element = ET.SubElement(parent, tag)
    if text is not None:
        # The form stores text this way already; letters stored before it did (a Word line break,
        # a vertical tab, XML cannot carry) become sendable on a retry.
        element.text = letter_rules.normalize_line_breaks(str(text))
    return element


def _add_delivery_head(root: ET.Element, *, delivery_id: str, today, campaign_id: str) -> ET.Element:
    """<Delivery>: who sends (our settings) and this message's ids."""
    head = _add(root, "Delivery")
    _add(head, "DeliveryId", delivery_id)
    _add(head, "DeliveryDate", today.strftime("%Y%m%d"))
    _add(head, "DeliveryAgent", settings.CWC_DELIVERY_AGENT)
    _add(head, "DeliveryAgentAckEmailAddress", settings.CWC_DELIVERY_AGENT_ACK_EMAIL)
    contact = _add(head, "DeliveryAgentContact")
    _add(contact, "DeliveryAgentContactName", settings.CWC_DELIVERY_AGENT_CONTACT_NAME)
    _add(contact, "DeliveryAgentContactEmail", settings.CWC_DELIVERY_AGENT_CONTACT_EMAIL)
    _add(contact, "DeliveryAgentContactPhone", settings.CWC_DELIVERY_AGENT_CONTACT_PHONE)
    if settings.CWC_ORGANIZATION:
        _add(head, "Organization", settings.CWC_ORGANIZATION)
        if settings.CWC_ORGANIZATION_CONTACT_NAME:
            org_contact = _add(head, "OrganizationContact")
            _add(org_contact, "OrganizationContactName", settings.CWC_ORGANIZATION_CONTACT_NAME)
            if settings.CWC_ORGANIZATION_CONTACT_EMAIL:
                _add(org_contact, "OrganizationContactEmail", settings.CWC_ORGANIZATION_CONTACT_EMAIL)
            if settings.CWC_ORGANIZATION_CONTACT_PHONE:
                _add(org_contact, "OrganizationContactPhone", settings.CWC_ORGANIZATION_CONTACT_PHONE)
        if settings.CWC_ORGANIZATION_ABOUT:
            _add(head, "OrganizationAbout", settings.CWC_ORGANIZATION_ABOUT)
    _add(head, "CampaignId", campaign_id)
    return head


def settings_errors() -> list[str]:
    """What CWC would refuse in the settings every message carries (the delivery agent, its
    contact, the organization): one such error fails every letter, so the start-up check reports
    it (advocacy.E002) before any is sent."""
    root = ET.Element("CWC")
    head = _add_delivery_head(root, delivery_id="0" * 32, today=timezone.localdate(), campaign_id="0" * 32)
    (schema,) = (node for node in SCHEMA.children if node.tag == "Delivery")
    errors: list[str] = []
    _check(schema, head, "CWC/Delivery", errors)
    return errors


def build_message(delivery, *, today=None) -> bytes:
    """The CWC XML for one delivery. Text is escaped by ElementTree; nothing is interpreted.
    English whatever the worker's language (the campaign's fields and its MoreInfo address):
    offices read English; the supporter's own words are carried as written (UTF-8)."""
    with translation.override("en"):
        return _build_message(delivery, today=today)


def _build_message(delivery, *, today=None) -> bytes:
    letter = delivery.letter
    campaign = letter.campaign
    today = today or timezone.localdate()
    root = ET.Element("CWC")
    _add(root, "CWCVersion", "2.0")

    _add_delivery_head(root, delivery_id=delivery.delivery_id, today=today, campaign_id=campaign.cwc_campaign_id)

    recipient = _add(root, "Recipient")
    _add(recipient, "MemberOffice", delivery.office_code)

    constituent = _add(root, "Constituent")
    _add(constituent, "Prefix", letter.prefix)
    _add(constituent, "FirstName", letter.first_name)
    _add(constituent, "LastName", letter.last_name)
    _add(constituent, "Address1", letter.street)
    _add(constituent, "City", letter.city)
    _add(constituent, "StateAbbreviation", letter.state)
    # As the form stores it; "981091234" from before becomes "98109-1234".
    _add(constituent, "Zip", letter_rules.normalize_zip(letter.zip_code) or letter.zip_code)
    if letter.phone:
        _add(constituent, "Phone", letter.phone)
    _add(constituent, "Email", letter.supporter.email)

    message = _add(root, "Message")
    _add(message, "Subject", delivery.subject)
    topics = _add(message, "LibraryOfCongressTopics")
    _add(topics, "LibraryOfCongressTopic", campaign.topic)
    if campaign.has_bill:
        bill = _add(_add(message, "Bills"), "Bill")
        _add(bill, "BillCongress", campaign.bill_congress)
        _add(bill, "BillTypeAbbreviation", campaign.bill_type)
        _add(bill, "BillNumber", campaign.bill_number)
        if campaign.stance:
            _add(message, "ProOrCon", campaign.stance)
    # Untouched campaign text and the supporter's own words go in separate elements: offices group
    # identical statements into one campaign and read personal messages individually.
    if delivery.statement:
        _add(message, "OrganizationStatement", delivery.statement)
    if delivery.personal:
        _add(message, "ConstituentMessage", delivery.personal)
    more_info = settings.SITE_URL + campaign.get_absolute_url()
    if more_info.startswith(("http://", "https://")):
        _add(message, "MoreInfo", more_info)

    ET.indent(root)  # one element per line: office staff read raw XML in their CRM
    return ET.tostring(root, encoding="UTF-8", xml_declaration=True)


def parse_errors(body: bytes | str) -> list[str]:
    """The <Error> texts of a 400 answer; the raw body when it is not the expected XML."""
    try:
        root = ET.fromstring(body)  # noqa: S314 - a small answer from the configured CWC host
    except ET.ParseError:
        text = body.decode(errors="replace") if isinstance(body, bytes) else body
        return [text.strip()[:1000] or "no details"]
    found = [(error.text or "").strip() for error in root.iter("Error")]
    return [text for text in found if text] or ["no details"]


def endpoint_for(office_code: str) -> tuple[str, str, str]:
    """(URL, API key, the key's setting name) of the CWC service that serves this office: the House
    and the Senate run separate ones, each with its own key."""
    if office_code.startswith("S"):
        return settings.CWC_SENATE_API_URL, settings.CWC_SENATE_API_KEY, "CWC_SENATE_API_KEY"
    return f"{settings.CWC_API_BASE}/v2/message", settings.CWC_API_KEY, "CWC_API_KEY"


def _not_sent(exc: requests.RequestException) -> bool:
    """Whether the request never reached the office: no connection was made (refused, DNS, connect
    timeout, TLS handshake). Anything after that (a read timeout, a connection dropped once the
    request was written) may have delivered it."""
    if isinstance(exc, requests.ConnectTimeout | requests.exceptions.SSLError):
        return True
    if isinstance(exc, requests.ConnectionError) and not isinstance(exc, requests.Timeout):
        inner = exc.args[0] if exc.args else None  # urllib3's MaxRetryError, or its ProtocolError
        reason = getattr(inner, "reason", inner)
        return isinstance(reason, urllib3_exceptions.NewConnectionError)  # DNS failures are one too
    return False


def send(delivery) -> str:
    url, api_key, key_setting = endpoint_for(delivery.office_code)
    if not api_key:
        raise PermanentDeliveryError(f"{key_setting} is not set.")
    xml = build_message(delivery)
    errors = validate_message(xml)
    if errors:
        raise CWCValidationError(errors)
    try:
        response = requests.post(
            url,
            params={"apikey": api_key},
            data=xml,
            # The Senate answers 415 to any other type.
            headers={"Content-Type": "application/xml"},
            # Connecting is quick or not at all; a slow office may take long to answer a message it
            # is saving, and every answer we give up on is a copy we might post twice.
            timeout=(settings.CWC_CONNECT_TIMEOUT, settings.CWC_TIMEOUT),
            # A redirect is never followed: requests would turn the POST into a GET, get a 200
            # from some page and report a letter delivered that no office received.
            allow_redirects=False,
        )
    except requests.RequestException as exc:
        if _not_sent(exc):
            raise OfficeUnreachable(f"CWC unreachable ({exc.__class__.__name__}): not sent") from exc
        raise UnconfirmedDeliveryError(
            f"CWC did not answer ({exc.__class__.__name__}) after the message was sent: it may have arrived"
        ) from exc
    status = response.status_code
    if 200 <= status < 300:  # the House answers 200, the Senate 201
        return delivery.delivery_id
    if status == 409:
        # The Senate's answer to a DeliveryId it already has: an earlier attempt got through and
        # only its answer was lost. Reporting success is right; sending again would be a duplicate.
        return delivery.delivery_id
    if 300 <= status < 400:
        location = urlsplit(response.headers.get("Location", ""))._replace(query="", fragment="").geturl()
        raise PermanentDeliveryError(
            f"CWC answered {status}, a redirect{f' to {location}' if location else ''}, for the configured URL "
            f"{url} ({'CWC_SENATE_API_URL' if delivery.office_code.startswith('S') else 'CWC_API_BASE'}). "
            "Redirects are not followed: nothing was delivered. Correct the setting, then retry.",
            status_code=status,
        )
    if status == 504:
        # A gateway gave up waiting for the office's system, which may still have saved the message.
        raise UnconfirmedDeliveryError(
            f"CWC answered {status} (gateway timeout): it may have arrived", status_code=status
        )
    if status == 429 or status >= 500:
        raise TransientDeliveryError(f"CWC answered {status}", status_code=status)
    raise PermanentDeliveryError(
        f"CWC answered {status}: " + "; ".join(parse_errors(response.content)), status_code=status
    )
