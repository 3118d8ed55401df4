import factory
from django.utils import timezone

from advocacy.models import CallReport, Campaign, CustomTarget, Delivery, Letter, Supporter
from congress.models import Legislator, ZipDistrict


class LegislatorFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Legislator

    bioguide_id = factory.Sequence(lambda n: f"T{n:06d}")
    first_name = factory.Sequence(lambda n: f"Member{n}")
    last_name = "Example"
    chamber = Legislator.Chamber.HOUSE
    state = "WA"
    district = 7
    senate_class = None
    party = "Independent"
    phone = "202-555-0142"
    accepts_cwc = True

    class Params:
        senator = factory.Trait(chamber=Legislator.Chamber.SENATE, district=None, senate_class=1)


class ZipDistrictFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = ZipDistrict

    zip_code = "98109"
    state = "WA"
    district = 7


class CampaignFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Campaign

    title = factory.Sequence(lambda n: f"Protect children {n}")
    slug = factory.Sequence(lambda n: f"protect-children-{n}")
    summary = "Ask Congress to protect children who arrive alone."
    ask = "Every child deserves a lawyer."
    # A live campaign has its page in Spanish too (Campaign.clean); the letter to offices is English.
    title_es = factory.Sequence(lambda n: f"Protejamos a los niños {n}")
    summary_es = "Pida al Congreso que proteja a los niños que llegan solos."
    ask_es = "Todo niño merece un abogado."
    status = Campaign.Status.LIVE
    goal = 100
    counter_shown_from = 0  # the counter always shown, as most tests count letters on the page
    targets = Campaign.Targets.BOTH
    subject_template = "Protect children who arrive alone"
    body_template = "Dear {member_title} {member_name},\n\nI live in {city}. Please protect children.\n\n{full_name}"
    editing_policy = Campaign.EditingPolicy.NOTE
    topic = "Immigration"


class CustomTargetFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = CustomTarget

    campaign = factory.SubFactory(CampaignFactory)
    name = "Dana Chair"
    title = "Chair, Judiciary Committee"
    email = factory.Sequence(lambda n: f"chair{n}@committee.example.gov")


class SupporterFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Supporter

    email = factory.Sequence(lambda n: f"supporter{n}@example.org")
    first_name = "Maria"
    last_name = "Lopez"
    consented_at = factory.LazyFunction(timezone.now)


class LetterFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Letter

    campaign = factory.SubFactory(CampaignFactory)
    supporter = factory.SubFactory(SupporterFactory)
    prefix = "Ms."
    first_name = "Maria"
    last_name = "Lopez"
    street = "400 Broad St"
    city = "Seattle"
    state = "WA"
    zip_code = "98109"
    phone = "206-555-0100"
    district = 7


class DeliveryFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Delivery

    letter = factory.SubFactory(LetterFactory)
    legislator = factory.SubFactory(LegislatorFactory)
    recipient_key = factory.LazyAttribute(lambda o: f"office:{o.legislator.cwc_office_code}")
    recipient_name = factory.LazyAttribute(lambda o: f"{o.legislator.title} {o.legislator.display_name}")
    office_code = factory.LazyAttribute(lambda o: o.legislator.cwc_office_code)
    subject = "Protect children who arrive alone"
    statement = "Dear Rep. Example,\n\nPlease protect children who arrive alone."
    personal = ""
    backend = Delivery.Backend.FILE


class CallReportFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = CallReport

    letter = factory.SubFactory(LetterFactory)
    legislator = factory.SubFactory(LegislatorFactory)
    outcome = CallReport.Outcome.TALKED
