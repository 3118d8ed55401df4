"""What a CWC office system accepts, written from the reference notes
(`shared/reference/congress-delivery.md`, sections b1-b4: element tree and order, required and
optional elements, value patterns, lengths, enumerations) and never from Camino's own builder or
validator, so a test can check one against the other. The stand-in CWC server answers 400 with
these errors, as the House's and the Senate's do.

Strict where the notes are: text must be XML 1.0 (the parser refuses anything else), digits are
ASCII, lengths count the text without the white space at its ends (the minimums) and with it (the
maximums), and a required element must hold more than white space."""

import re
import xml.etree.ElementTree as ET

_STATE_LIST = (
    "AL AK AZ AR CA CO CT DE FL GA HI ID IL IN IA KS KY LA ME MD MA MI MN MS MO MT NE NV NH NJ NM NY "
    "NC ND OH OK OR PA RI SC SD TN TX UT VT VA WA WV WI WY AS DC GU MP PR VI"
)
STATES = frozenset(_STATE_LIST.split(" "))
assert len(STATES) == 56  # noqa: S101 - 50 states and the six others the notes list

PREFIXES = frozenset({"Mr.", "Mrs.", "Miss", "Ms.", "Dr."})
BILL_TYPES = frozenset(
    {"H.Amdt.", "H.Con.Res", "H.J.Res.", "H.R.", "H.Res.", "S.", "S.Amdt.", "S.Con.Res.", "S.J.Res.", "S.Res."}
)
TOPICS = frozenset(
    """Agriculture and Food
Animals
Armed Forces and National Security
Arts, Culture, Religion
Civil Rights and Liberties, Minority Issues
Commerce
Congress
Crime and Law Enforcement
Economics and Public Finance
Education
Emergency Management
Energy
Environmental Protection
Families
Finance and Financial Sector
Foreign Trade and International Finance
Government Operations and Politics
Health
Housing and Community Development
Immigration
International Affairs
Labor and Employment
Law
Native Americans
Public Lands and Natural Resources
Science, Technology, Communications
Social Sciences and History
Social Welfare
Sports and Recreation
Taxation
Transportation and Public Works
Water Resources Development""".splitlines()
)
assert len(TOPICS) == 32  # noqa: S101

PHONE = r"[0-9]{3}-[0-9]{3}-[0-9]{4}"
EMAIL = r"[^@]+@[^.]+\..+"
YN = r"[YyNn]"

# (tag, need, rule, children). REQ required, OPT optional, MANY 1..n, OPT_MANY 0..n. A rule is a
# dict of pattern / choices / min / max / fixed. Order is the House sample's.
REQ, OPT, MANY, OPT_MANY = "1", "0..1", "1..n", "0..n"


def leaf(tag, need=REQ, **rule):
    return (tag, need, rule, None)


def node(tag, need, *children):
    return (tag, need, {}, children)


TREE = node(
    "CWC",
    REQ,
    leaf("CWCVersion", fixed="2.0"),
    node(
        "Delivery",
        REQ,
        leaf("DeliveryId", pattern=r"[a-zA-Z0-9]{32}"),
        leaf("DeliveryDate", pattern=r"[0-9]{8}"),
        leaf("DeliveryAgent"),
        leaf("DeliveryAgentAckEmailAddress", pattern=EMAIL),
        node(
            "DeliveryAgentContact",
            REQ,
            leaf("DeliveryAgentContactName", min=6),
            leaf("DeliveryAgentContactEmail", pattern=EMAIL),
            leaf("DeliveryAgentContactPhone", pattern=PHONE),
        ),
        leaf("Organization", OPT, min=3),
        node(
            "OrganizationContact",
            OPT,
            leaf("OrganizationContactName", OPT, min=2),
            leaf("OrganizationContactEmail", OPT, pattern=EMAIL),
            leaf("OrganizationContactPhone", OPT, pattern=PHONE),
        ),
        leaf("OrganizationAbout", OPT, min=6, max=500),
        leaf("CampaignId"),
    ),
    node(
        "Recipient",
        REQ,
        leaf("MemberOffice", pattern=r"H[A-Z]{2}[0-9]{2}|S[A-Z]{2}0[1-3]"),
        leaf("IsResponseRequested", OPT, pattern=YN),
        leaf("NewsletterOptIn", OPT, pattern=YN),
    ),
    node(
        "Constituent",
        REQ,
        leaf("Prefix", choices=PREFIXES),
        leaf("FirstName"),
        leaf("MiddleName", OPT),
        leaf("LastName"),
        leaf("Suffix", OPT),
        leaf("Title", OPT),
        leaf("ConstituentOrganization", OPT, min=2),
        leaf("Address1", min=3),
        leaf("Address2", OPT, min=2),
        leaf("City", min=3),
        leaf("StateAbbreviation", choices=STATES),
        leaf("Zip", pattern=r"[0-9]{5}(-[0-9]{4})?"),
        leaf("Phone", OPT, pattern=PHONE),
        leaf("AddressValidation", OPT, pattern=YN),
        leaf("Email", pattern=EMAIL),
        leaf("EmailValidation", OPT, pattern=YN),
    ),
    node(
        "Message",
        REQ,
        leaf("Subject", min=6, max=500),
        node("LibraryOfCongressTopics", REQ, leaf("LibraryOfCongressTopic", MANY, choices=TOPICS)),
        node(
            "Bills",
            OPT,
            node(
                "Bill",
                OPT_MANY,
                leaf("BillCongress", pattern=r"[0-9]+"),
                leaf("BillTypeAbbreviation", choices=BILL_TYPES),
                leaf("BillNumber", pattern=r"[0-9]+"),
            ),
        ),
        leaf("ProOrCon", OPT, pattern=r"[Pp][Rr][Oo]|[Cc][Oo][Nn]"),
        leaf("OrganizationStatement", OPT, min=6, max=10_000),
        leaf("ConstituentMessage", OPT, min=6, max=10_000),
        leaf("MoreInfo", OPT, pattern=r"https?://\S+"),
    ),
)


def _leaf_errors(path: str, rule: dict, element: ET.Element) -> list[str]:
    if len(element):
        return [f"{path}: text only"]
    raw = element.text or ""
    text = raw.strip()
    errors = []
    if not text:
        errors.append(f"{path}: empty")
    if "fixed" in rule and text != rule["fixed"]:
        errors.append(f"{path}: must be {rule['fixed']}")
    if "pattern" in rule and not re.fullmatch(rule["pattern"], raw):
        errors.append(f"{path}: {raw!r} does not match {rule['pattern']}")
    if "choices" in rule and raw not in rule["choices"]:
        errors.append(f"{path}: {raw!r} is not an allowed value")
    if len(text) < rule.get("min", 1):
        errors.append(f"{path}: shorter than {rule['min']}")
    if "max" in rule and len(raw) > rule["max"]:
        errors.append(f"{path}: longer than {rule['max']}")
    return errors


def _errors(spec, element: ET.Element, path: str) -> list[str]:
    tag, _need, rule, children = spec
    if children is None:
        return _leaf_errors(path, rule, element)
    errors = []
    if (element.text or "").strip():
        errors.append(f"{path}: elements only")
    order = [child[0] for child in children]
    got = [child.tag for child in element]
    for name in got:
        if name not in order:
            errors.append(f"{path}/{name}: not allowed here")
    indices = [order.index(name) for name in got if name in order]
    if indices != sorted(indices):
        errors.append(f"{path}: children out of order ({', '.join(got)})")
    for child_spec in children:
        name, need = child_spec[0], child_spec[1]
        found = [child for child in element if child.tag == name]
        if need in (REQ, MANY) and not found:
            errors.append(f"{path}/{name}: missing")
        if need in (REQ, OPT) and len(found) > 1:
            errors.append(f"{path}/{name}: more than once")
        for child in found:
            errors += _errors(child_spec, child, f"{path}/{name}")
    return errors


def cwc_errors(body: bytes) -> list[str]:
    """Every reason a CWC service would refuse this message; [] when it would take it."""
    if not body.startswith(b"<?xml") or b"encoding" in body[:60] and b"UTF-8" not in body[:60].upper():
        return ["not a UTF-8 XML document"]
    try:
        root = ET.fromstring(body)  # noqa: S314 - a test's own message
    except ET.ParseError as exc:
        return [f"not well-formed XML 1.0: {exc}"]
    if root.tag != "CWC":
        return ["root element is not CWC"]
    errors = _errors(TREE, root, "CWC")
    message = root.find("Message")
    if message is not None:
        tags = [child.tag for child in message]
        if "OrganizationStatement" not in tags and "ConstituentMessage" not in tags:
            errors.append("CWC/Message: needs OrganizationStatement or ConstituentMessage")
    return errors
