"""The letter form tells phones what each field is (WCAG 1.3.5): autofill tokens, a number pad
for the ZIP, the phone and email keyboards; and the ZIP pattern never refuses what the server keeps."""

import re
from html.parser import HTMLParser

import pytest

from advocacy import letter_rules

pytestmark = pytest.mark.django_db

TOKENS = {
    "prefix": "honorific-prefix",
    "first_name": "given-name",
    "last_name": "family-name",
    "email": "email",
    "street": "address-line1",
    "city": "address-level2",
    "state": "address-level1",
    "zip_code": "postal-code",
    "phone": "tel",
}


class _Controls(HTMLParser):
    def __init__(self):
        super().__init__()
        self.by_name = {}

    def handle_starttag(self, tag, attrs):
        attrs = dict(attrs)
        if tag in ("input", "select", "textarea") and attrs.get("name") in TOKENS:
            self.by_name.setdefault(attrs["name"], attrs)


def _fields(client, campaign):
    parser = _Controls()
    parser.feed(client.get(campaign.get_absolute_url()).text)
    return parser.by_name


def test_each_field_carries_its_autocomplete_token(client, campaign):
    fields = _fields(client, campaign)
    assert {name: field.get("autocomplete") for name, field in fields.items()} == TOKENS


def test_zip_phone_and_email_get_the_right_keyboards(client, campaign):
    fields = _fields(client, campaign)
    assert fields["zip_code"]["inputmode"] == "numeric" and fields["zip_code"].get("pattern")
    assert fields["phone"]["type"] == "tel"
    assert fields["email"]["type"] == "email"


@pytest.mark.parametrize("value", ["98109", "98109-1234", "98109 1234", "981091234", " 98109 "])
def test_the_zip_pattern_admits_every_zip_the_server_keeps(client, campaign, value):
    pattern = _fields(client, campaign)["zip_code"]["pattern"]
    assert letter_rules.normalize_zip(value) is not None
    # The browser anchors the pattern and compiles it with the 'v' flag; fullmatch is the anchoring.
    assert re.fullmatch(pattern, value)
