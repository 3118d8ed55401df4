"""Role-limited CSV exports, streamed: rows go out as the database cursor yields them, so a
million rows take the memory of a thousand (core.exports.csv_response).

Each export is a header and a `values_list` query; the roles allowed are declared in
staff.roles.EXPORTS."""

from collections.abc import Callable
from dataclasses import dataclass

from django.apps import apps
from django.core.exceptions import PermissionDenied
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from .admin_params import id_value
from .roles import EXPORT_ALL_ADVOCATES, EXPORTS

CHUNK = 2000


@dataclass(frozen=True)
class Export:
    name: str
    title: str
    description: str
    header: list[str]
    rows: Callable  # (user, params) -> iterable of tuples


def _donations(user, params):
    Donation = apps.get_model("donations", "Donation")
    return (
        Donation.objects.order_by("pk")
        .values_list(
            "reference", "created_at", "paid_at", "status", "frequency", "amount_cents", "fee_cover_cents",
            "amount_refunded_cents", "currency", "appeal__slug", "recurring_id", "name", "email",
            "consent_updates", "tribute_type", "tribute_name", "is_demo", "stripe_payment_intent_id",
        )
        .iterator(chunk_size=CHUNK)
    )


def may_export_all_advocates(user) -> bool:
    return user.is_superuser or user.groups.filter(name__in=EXPORT_ALL_ADVOCATES).exists()


def _advocates(user, params):
    Supporter = apps.get_model("advocacy", "Supporter")
    supporters = Supporter.objects.order_by("pk")
    if not (params.get("all") == "1" and may_export_all_advocates(user)):
        # Only people who agreed to hear from us may be written to from a list.
        supporters = supporters.filter(consented_at__isnull=False)
    return supporters.values_list("email", "first_name", "last_name", "consented_at", "created_at").iterator(
        chunk_size=CHUNK
    )


def _deliveries(user, params):
    Delivery = apps.get_model("advocacy", "Delivery")
    deliveries = Delivery.objects.order_by("office_code", "pk")
    campaign_id = id_value(params, "campaign")  # `?campaign=abc` is a 400, not every campaign's rows
    if campaign_id is not None:
        deliveries = deliveries.filter(letter__campaign_id=campaign_id)
    return deliveries.values_list(
        "office_code", "recipient_name", "letter__campaign__slug", "backend", "status", "attempts", "created_at",
        "sent_at", "delivery_id",
    ).iterator(chunk_size=CHUNK)


EXPORT_LIST = [
    Export(
        "donations", _("Donations"), _("Every gift with its donor, amount, refunds and Stripe reference."),
        ["reference", "created_at", "paid_at", "status", "frequency", "amount_cents", "fee_cover_cents",
         "amount_refunded_cents", "currency", "appeal", "recurring_id", "name", "email", "consent_updates",
         "tribute_type", "tribute_name", "is_demo", "stripe_payment_intent"],
        _donations,
    ),
    Export(
        "advocates", _("Advocates"),
        _("People who wrote to Congress and agreed to hear from us (superusers may ask for all)."),
        ["email", "first_name", "last_name", "consented_at", "created_at"],
        _advocates,
    ),
    Export(
        "deliveries", _("Deliveries by office"),
        _("Every letter delivery, sorted by congressional office, with its status (no supporter data)."),
        ["office_code", "recipient", "campaign", "backend", "status", "attempts", "created_at", "sent_at",
         "delivery_id"],
        _deliveries,
    ),
]
EXPORTS_BY_NAME = {export.name: export for export in EXPORT_LIST}


def may_export(user, name: str) -> bool:
    if not (user.is_active and user.is_staff):
        return False
    if user.is_superuser:
        return True
    return user.groups.filter(name__in=EXPORTS.get(name, ())).exists()


def exports_for(user) -> list[Export]:
    return [export for export in EXPORT_LIST if may_export(user, export.name)]


def export_rows(*, user, name: str, params) -> tuple[Export, str, object]:
    """The export, its file name and its row iterator; PermissionDenied outside the roles."""
    export = EXPORTS_BY_NAME.get(name)
    if export is None or not may_export(user, name):
        raise PermissionDenied
    filename = f"camino-{name}-{timezone.localdate().isoformat()}.csv"
    return export, filename, export.rows(user, params)
