"""Each letter in its own submission's name, address and words (issue 10, findings 1 to 3): writing
again from a new address, someone else's email typed into the form, and what the confirmation and
thank-you pages promise. Through the web pages as a supporter meets them, and the XML an office
receives."""

import re
import threading
import xml.etree.ElementTree as ET

import pytest
from django.core import signing
from django.core.exceptions import ValidationError
from django.db import connection, connections, transaction
from django.urls import reverse

from advocacy import services
from advocacy.delivery.cwc import build_message
from advocacy.models import Consent, Delivery, Letter, Supporter
from tests.conftest import wait_until

from .conftest import sign
from .factories import CustomTargetFactory, LegislatorFactory, SupporterFactory, ZipDistrictFactory

pytestmark = pytest.mark.django_db

FORM = {
    "prefix": "Ms.",
    "first_name": "Maria",
    "last_name": "Lopez",
    "email": "maria@example.org",
    "street": "400 Broad St",
    "city": "Seattle",
    "state": "WA",
    "zip_code": "98109",
    "phone": "(206) 555-0100",
    "own_words": "",
    "website": "",
}
CHEYENNE = {"street": "200 W 24th St", "city": "Cheyenne", "state": "WY", "zip_code": "82001", "phone": ""}


@pytest.fixture
def cheyenne(db):
    """ZIP 82001: Wyoming's two senators and its at-large representative."""
    ZipDistrictFactory(zip_code="82001", state="WY", district=0)
    return [
        LegislatorFactory(senator=True, state="WY", senate_class=1, first_name="Hank", last_name="Tolliver"),
        LegislatorFactory(senator=True, state="WY", senate_class=2, first_name="June", last_name="Abernathy"),
        LegislatorFactory(state="WY", district=0, first_name="Cole", last_name="Redwine"),
    ]


@pytest.fixture
def split_zip(seattle):
    """ZIP 98101 lies in WA-7 and WA-9; the geocoder is off in tests, so the supporter chooses."""
    ZipDistrictFactory(zip_code="98101", district=7)
    ZipDistrictFactory(zip_code="98101", district=9)
    return LegislatorFactory(state="WA", district=9, first_name="Lena", last_name="Nine")


def _confirm_url(campaign):
    return reverse("advocacy:campaign_confirm", args=[campaign.slug])


def _fill(client, campaign, **changes):
    response = client.post(campaign.get_absolute_url(), {**FORM, **changes})
    assert response.status_code == 302, response.text
    return response.url


def _send(client, campaign):
    """Post the confirmation page's own form, as the browser does (with its hidden fields)."""
    page = client.get(_confirm_url(campaign)).text
    recipients = re.findall(r'name="recipient" value="([^"]+)"', page)
    fields = dict(re.findall(r'<input type="hidden" name="(draft)" value="([^"]+)"', page))
    return client.post(_confirm_url(campaign), {**fields, "recipient": recipients} if recipients else {})


def _constituent(delivery) -> dict:
    root = ET.fromstring(build_message(delivery))  # noqa: S314 - our own XML
    return {child.tag: child.text for child in root.find("Constituent")}


def _text(html: str) -> str:
    return " ".join(re.sub(r"<[^>]+>", " ", html).split())


# --- Finding 1: writing again from a new address --------------------------------------------------


def test_writing_again_after_moving_sends_the_new_address_and_the_page_says_so_first(
    client, seattle, cheyenne, campaign
):
    _fill(client, campaign)
    assert _send(client, campaign).status_code == 302

    _fill(client, campaign, **CHEYENNE)
    page = _text(client.get(_confirm_url(campaign)).text)
    assert "From Maria Lopez, 200 W 24th St, Cheyenne, WY 82001." in page  # before sending
    assert "Rep. Cole Redwine" in page and "Sen. Hank Tolliver" in page
    assert "Seattle" not in page and "400 Broad St" not in page and "Samuel Rep" not in page
    assert _send(client, campaign).status_code == 302

    wyoming = Delivery.objects.filter(letter__state="WY")
    assert sorted(d.office_code for d in wyoming) == ["HWY00", "SWY01", "SWY02"]
    for delivery in wyoming:
        constituent = _constituent(delivery)
        assert (constituent["Address1"], constituent["City"], constituent["StateAbbreviation"], constituent["Zip"]) == (
            "200 W 24th St",
            "Cheyenne",
            "WY",
            "82001",
        )
        assert "Phone" not in constituent  # not typed this time, and the old one is not reused
        assert "I live in Cheyenne" in delivery.statement
    seattle_letters = Delivery.objects.filter(letter__state="WA")
    assert {_constituent(d)["City"] for d in seattle_letters} == {"Seattle"}


def test_a_mistyped_zip_can_be_corrected(client, seattle, split_zip, campaign):
    _fill(client, campaign, zip_code="98109")  # meant 98101, and lives in district 9
    _send(client, campaign)
    _fill(client, campaign, zip_code="98101")
    client.post(reverse("advocacy:campaign_district", args=[campaign.slug]), {"district": "9"})
    assert _send(client, campaign).status_code == 302
    corrected = Letter.objects.get(zip_code="98101")
    assert [d.office_code for d in corrected.deliveries.all()] == ["HWA09"]
    assert _constituent(corrected.deliveries.get())["Zip"] == "98101"


def test_a_split_zip_choosing_another_district_writes_to_that_member_once_and_says_so(client, split_zip, campaign):
    _fill(client, campaign, zip_code="98101")
    client.post(reverse("advocacy:campaign_district", args=[campaign.slug]), {"district": "7"})
    _send(client, campaign)

    _fill(client, campaign, zip_code="98101")
    client.post(reverse("advocacy:campaign_district", args=[campaign.slug]), {"district": "9"})
    html = client.get(_confirm_url(campaign)).text
    recipients = _text(re.search(r'data-testid="recipients">(.*?)</p>', html, re.S).group(1))
    assert recipients == "Your letter will go to Rep. Lena Nine ."
    page = _text(html)
    assert "Not sent again: Sen. Avery Senator, Sen. Rosa Senator." in page
    assert "You chose WA district 9." in page and "that letter stands (it cannot be recalled)" in page
    assert "Samuel Rep" not in page  # the earlier House member is not this submission's: never named
    _send(client, campaign)

    second = Letter.objects.get(district=9)
    assert [d.office_code for d in second.deliveries.all()] == ["HWA09"]
    assert Delivery.objects.filter(office_code__in=["SWA01", "SWA03"]).count() == 2  # senators once

    # The same choice again: nothing new, said before anything is sent.
    _fill(client, campaign, zip_code="98101")
    client.post(reverse("advocacy:campaign_district", args=[campaign.slug]), {"district": "9"})
    page = _text(client.get(_confirm_url(campaign)).text)
    assert "nothing new to send" in page and "Send my letters" not in page
    assert Letter.objects.count() == 2


# --- Finding 2: someone else's email ------------------------------------------------------------


def test_someone_elses_email_never_brings_back_their_address_offices_link_or_consent(
    client, seattle, cheyenne, campaign, mailoutbox
):
    victim = sign(campaign, email="activist@example.org", street="12 Private Ln", phone="206-555-0199", consent=False)

    form = {**CHEYENNE, "email": "activist@example.org", "first_name": "Someone", "last_name": "Else", "consent": "on"}
    _fill(client, campaign, **form)
    confirm = client.get(_confirm_url(campaign)).text
    assert "You asked for updates: that email has a link to confirm it" in confirm
    response = _send(client, campaign)
    assert response.status_code == 302
    thanks = client.get(response.url).text
    for page in (confirm, thanks):
        for secret in ("12 Private Ln", "206-555-0199", "Samuel Rep", "Avery Senator", "Rosa Senator", "Seattle"):
            assert secret not in page
        assert "/act/status/" not in page  # no status link at all, the victim's or a new one

    letter = Letter.objects.get(state="WY")
    assert [d.office_code for d in letter.deliveries.order_by("office_code")] == ["HWY00", "SWY01", "SWY02"]
    constituent = _constituent(letter.deliveries.first())
    assert (constituent["FirstName"], constituent["Address1"]) == ("Someone", "200 W 24th St")
    assert "Phone" not in constituent

    # Checking the box opted nobody in: the mailbox owner is asked, and only their click counts.
    assert Supporter.objects.get(email="activist@example.org").consented_at is None
    consent = Consent.objects.get(letter=letter)
    assert consent.confirmed_at is None and consent.wording == "Send me occasional updates about this campaign"
    assert services.letter_confirmation_send(letter_id=letter.pk)
    (email,) = mailoutbox
    assert email.to == ["activist@example.org"]
    (consent_url,) = re.findall(r"https?://[^/\s]+(/act/updates/[^/\s]+/)", email.body)
    assert services.consent_from_token(consent_url.split("/")[-2]) == consent
    # This letter's link and the earlier letters' reach the mailbox that owns the address.
    tokens = re.findall(r"/act/status/([^/\s]+)/", email.body)
    assert [services.letter_from_status_token(token) for token in tokens] == [letter, victim.letter]

    page = client.get(consent_url)  # a mail scanner opening the link confirms nothing
    assert page.status_code == 200 and "Send me occasional updates about this campaign" in page.text
    assert Consent.objects.get(pk=consent.pk).confirmed_at is None
    client.post(consent_url)
    consent.refresh_from_db()
    assert consent.confirmed_at is not None
    assert Supporter.objects.get(email="activist@example.org").consented_at == consent.confirmed_at


def test_a_forged_or_foreign_consent_link_is_not_found(client, seattle, campaign):
    consent = sign(campaign, consent=True).consent
    token = services.consent_confirm_url(consent).rstrip("/").rsplit("/", 1)[1]
    assert client.post(reverse("advocacy:consent_confirm", args=[token + "x"])).status_code == 404
    other_purpose = signing.dumps(consent.pk)  # signed with the site's key, but not for this
    assert client.post(reverse("advocacy:consent_confirm", args=[other_purpose])).status_code == 404
    assert Consent.objects.get().confirmed_at is None


# --- Finding 3: writing twice -------------------------------------------------------------------


def test_the_confirmation_page_promises_only_the_letters_sent_and_the_new_note_reaches_them(
    client, seattle, campaign, django_capture_on_commit_callbacks
):
    _fill(client, campaign, own_words="My first note.")
    _send(client, campaign)
    target = CustomTargetFactory(campaign=campaign, name="Dana Chair")

    _fill(client, campaign, own_words="A new note for the chair.")
    html = client.get(_confirm_url(campaign)).text
    recipients = _text(re.search(r'data-testid="recipients">(.*?)</p>', html, re.S).group(1))
    assert recipients == "Your letter will go to Chair, Judiciary Committee Dana Chair ."
    page = _text(html)
    assert "Not sent again: Rep. Samuel Rep, Sen. Avery Senator, Sen. Rosa Senator." in page
    assert "They will not get this letter or the words you wrote now." in page
    assert page.count("To ") >= 1 and "To Rep. Samuel Rep" not in page  # no preview of a letter not sent

    with django_capture_on_commit_callbacks(execute=False) as callbacks:
        response = _send(client, campaign)
    assert response.status_code == 302
    (delivery,) = Letter.objects.latest("pk").deliveries.all()
    assert delivery.custom_target == target and delivery.personal == "A new note for the chair."
    assert len(callbacks) == 2  # its one delivery and the confirmation email the thank-you page announces
    thanks = _text(client.get(response.url).text)
    assert "Your letter is on its way to Chair, Judiciary Committee Dana Chair." in thanks
    assert "We are emailing a confirmation" in thanks


def test_nothing_new_to_send_stores_nothing_and_claims_no_email(client, seattle, campaign, mailoutbox):
    sign(campaign)
    _fill(client, campaign, own_words="Me again!")
    page = _text(client.get(_confirm_url(campaign)).text)
    assert "nothing new to send" in page and "Send my letters" not in page and "We will email" not in page
    response = client.post(_confirm_url(campaign))
    assert response.status_code == 400 and "nothing new to send" in response.text
    assert "We are emailing" not in response.text
    assert Letter.objects.count() == 1 and Delivery.objects.count() == 3


def test_letters_that_changed_since_the_page_are_not_sent(client, seattle, campaign):
    _fill(client, campaign)
    page = client.get(_confirm_url(campaign)).text
    shown = re.findall(r'name="recipient" value="([^"]+)"', page)
    assert len(shown) == 3
    sign(campaign)  # the same email sends from another window meanwhile
    response = client.post(_confirm_url(campaign), {"recipient": shown})
    assert response.status_code == 400 and "Your letters changed since you checked them" in response.text
    assert Letter.objects.count() == 1 and Delivery.objects.count() == 3


def test_a_page_from_another_tab_does_not_send_the_letter_typed_in_this_one(client, seattle, campaign):
    """Two tabs of one browser share the draft: the first tab's page, showing Maria's address and
    words, must not send what was typed in the second tab since (same offices, other letter)."""
    _fill(client, campaign, own_words="Written in the first tab.")
    first_tab = client.get(_confirm_url(campaign)).text
    assert "Written in the first tab." in first_tab and "400 Broad St" in first_tab
    _fill(client, campaign, email="jo@example.org", street="9 Other Ave", own_words="Typed in the second tab.")
    fields = dict(re.findall(r'<input type="hidden" name="(draft)" value="([^"]+)"', first_tab))
    recipients = re.findall(r'name="recipient" value="([^"]+)"', first_tab)
    response = client.post(_confirm_url(campaign), {**fields, "recipient": recipients})
    assert response.status_code == 400 and "Your letters changed since you checked them" in response.text
    assert "Typed in the second tab." in response.text  # the page now shows what would be sent
    assert not Letter.objects.exists()
    # The second tab's own page sends its own letter.
    assert _send(client, campaign).status_code == 302
    letter = Letter.objects.get()
    assert (letter.street, letter.own_words, letter.supporter.email) == (
        "9 Other Ave",
        "Typed in the second tab.",
        "jo@example.org",
    )


def test_two_windows_sending_at_once_write_to_each_office_once(postgresql_only, transactional_db, seattle, campaign):
    """The same email submits twice at the same moment (two tabs): the second waits for the first
    and then finds nothing new, instead of both reading "not written yet" and doubling every letter."""
    SupporterFactory(email="maria@example.org")  # wrote before: no new row whose unique index serializes them
    outcome = {}

    def second_window():
        try:
            sign(campaign)
            outcome["second"] = "sent"
        except ValidationError as exc:
            outcome["second"] = exc.code
        finally:
            connections.close_all()

    def someone_waits_for_a_lock():
        # pg_locks is live, not a snapshot: this sees the other session waiting from inside ours.
        with connection.cursor() as cursor:
            cursor.execute("SELECT count(*) FROM pg_locks WHERE NOT granted")
            return cursor.fetchone()[0] > 0

    second = threading.Thread(target=second_window)
    with transaction.atomic():
        sign(campaign)  # the first window, its transaction still open
        second.start()
        wait_until(someone_waits_for_a_lock, timeout=20, message="the second submission to wait for the first")
    second.join(timeout=30)
    assert outcome == {"second": "nothing_new"}
    assert Delivery.objects.count() == 3 and Letter.objects.count() == 1
