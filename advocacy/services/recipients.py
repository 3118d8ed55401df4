"""Who a supporter writes to, and which backend carries each letter."""

from dataclasses import dataclass

from django.conf import settings

from congress.lookup import MemberLookup
from congress.models import Legislator

from ..models import Campaign, CustomTarget, Delivery


@dataclass(frozen=True)
class Recipient:
    key: str
    name: str
    title: str
    legislator: Legislator | None = None
    custom_target: CustomTarget | None = None

    @property
    def label(self) -> str:
        return f"{self.title} {self.name}".strip()

    @property
    def office_code(self) -> str:
        return self.legislator.cwc_office_code if self.legislator else ""

    @property
    def email(self) -> str:
        if self.custom_target:
            return self.custom_target.email
        return self.legislator.email if self.legislator else ""


def member_recipient(legislator: Legislator) -> Recipient:
    return Recipient(
        key=f"office:{legislator.cwc_office_code or legislator.bioguide_id}",
        name=legislator.display_name,
        title=legislator.title,
        legislator=legislator,
    )


def campaign_recipients(*, campaign: Campaign, lookup: MemberLookup | None) -> list[Recipient]:
    """Who this supporter writes to: their own members as the campaign targets them (House first,
    then the senators), then the campaign's custom targets. Vacant seats get nothing."""
    return _recipients_among(campaign=campaign, members=lookup.members if lookup is not None else [])


def campaign_recipients_in_state(*, campaign: Campaign, state: str) -> list[Recipient]:
    """Everyone a supporter from `state` might write to through this campaign, before their district
    is known: the state's members the campaign targets, then its custom targets. The letter form
    checks the supporter's words against each (the longest name filled in must still fit)."""
    members = list(Legislator.objects.active().filter(state=state)) if campaign.writes_to_congress else []
    return _recipients_among(campaign=campaign, members=members)


def _recipients_among(*, campaign: Campaign, members: list[Legislator]) -> list[Recipient]:
    targets = campaign.targets
    wanted: list[Legislator] = []
    if targets in (Campaign.Targets.HOUSE, Campaign.Targets.BOTH):
        wanted += [m for m in members if m.chamber == Legislator.Chamber.HOUSE]
    if targets in (Campaign.Targets.SENATE, Campaign.Targets.BOTH):
        wanted += [m for m in members if m.chamber == Legislator.Chamber.SENATE]
    if targets == Campaign.Targets.CHOSEN:
        # CWC offices only take mail from their own constituents, so a chosen member hears only
        # from the people they represent.
        chosen = set(campaign.chosen_members.values_list("pk", flat=True))
        wanted += [m for m in sorted(members, key=lambda m: m.chamber) if m.pk in chosen]
    recipients = [member_recipient(member) for member in wanted]
    recipients += [
        Recipient(key=f"target:{target.pk}", name=target.name, title=target.title, custom_target=target)
        for target in campaign.custom_targets.all()
    ]
    return recipients


def backend_for(recipient: Recipient) -> str:
    """Custom targets get email; members get the Congress backend (CWC in production), unless
    their office does not take CWC: then email if we have an address, else the fallback backend."""
    if recipient.custom_target is not None:
        return settings.DELIVERY_BACKEND_CUSTOM
    backend = settings.DELIVERY_BACKEND_CONGRESS
    member = recipient.legislator
    if (backend == Delivery.Backend.CWC and not member.accepts_cwc) or (
        backend == Delivery.Backend.EMAIL and not member.email
    ):
        backend = Delivery.Backend.EMAIL if member.email else settings.DELIVERY_BACKEND_FALLBACK
    return backend
