import re
import uuid

from django.conf import settings
from django.contrib import admin, messages
from django.contrib.admin import helpers
from django.contrib.admin.options import IncorrectLookupParameters
from django.core.exceptions import BadRequest, PermissionDenied, ValidationError
from django.template.response import TemplateResponse
from django.urls import path
from django.utils.translation import gettext_lazy as _

from core.admin_languages import BothLanguagesAdmin, BothLanguagesTabularInline
from core.exports import csv_response
from core.money import format_money
from staff.history import StaffHistoryAdmin
from staff.paginators import COUNT_CAP, LargeTablePaginator

from . import services, stripe_gateway
from .forms import RefundAmountForm
from .models import Appeal, Donation, ManageLinkRequest, RecurringDonation, StripeEvent, SuggestedAmount

CSV_COLUMNS = [
    ("reference", _("reference")), ("created_at", _("created")), ("paid_at", _("paid")), ("status", _("status")),
    ("frequency", _("frequency")), ("amount_cents", _("amount (cents)")), ("fee_cover_cents", _("fee cover (cents)")),
    ("amount_refunded_cents", _("refunded (cents)")), ("currency", _("currency")), ("appeal__slug", _("appeal")),
    ("name", _("name")), ("email", _("email")), ("consent_updates", _("consents to updates")),
    ("tribute_type", _("tribute")), ("tribute_name", _("tribute name")),
    ("stripe_payment_intent_id", _("payment intent")), ("stripe_invoice_id", _("invoice")),
    ("recurring__stripe_subscription_id", _("subscription")), ("receipt_sent_at", _("receipt sent")),
    ("is_demo", _("demo")),
]


class SuggestedAmountInline(BothLanguagesTabularInline):
    """The appeal's amount buttons: amount, its line in English and in Spanish, order."""

    model = SuggestedAmount
    fields = ["amount_cents", "impact_line", "position"]
    extra = 1


@admin.register(Appeal)
class AppealAdmin(BothLanguagesAdmin, StaffHistoryAdmin):
    inlines = [SuggestedAmountInline]
    list_display = ["title", "slug", "is_active", "is_default", "goal", "raised"]
    list_filter = ["is_active", "is_default"]
    search_fields = ["title", "slug"]
    prepopulated_fields = {"slug": ["title"]}

    def get_queryset(self, request):
        return super().get_queryset(request).with_raised()

    @admin.display(description=_("goal"), ordering="goal_cents")
    def goal(self, obj):
        return format_money(obj.goal_cents, settings.DONATION_CURRENCY) if obj.goal_cents else "-"

    @admin.display(description=_("raised"), ordering="raised_cents")
    def raised(self, obj):
        # Every gift is taken in the one donation currency, so an appeal's sum is in it too.
        return format_money(obj.raised_cents, settings.DONATION_CURRENCY)


@admin.register(Donation)
class DonationAdmin(StaffHistoryAdmin):
    list_display = ["created_at", "email", "amount_display", "frequency", "status", "appeal", "paid_at",
                    "receipt_sent_at", "is_demo"]
    list_filter = ["status", "frequency", "appeal", ("created_at", admin.DateFieldListFilter),
                   ("paid_at", admin.DateFieldListFilter), "is_demo"]
    search_fields = ["email"]
    list_select_related = ["appeal"]
    show_full_result_count = False  # a COUNT(*) over every gift on each page view is wasted
    # Big-table admin (staff operations): no COUNT(*), and the date filters below instead of
    # date_hierarchy, which reads every gift for its years and days.
    paginator = LargeTablePaginator
    actions = ["refund_selected"]
    change_list_template = "admin/donations/donation/change_list.html"
    fieldsets = [
        (None, {"fields": ["reference", "appeal", "recurring", "frequency", "status", "is_demo"]}),
        (_("Money (set by Stripe's events)"), {"fields": [
            "amount_cents", "fee_cover_cents", "amount_refunded_cents", "currency", "paid_at",
            "refund_requested_at", "dispute_status", "dispute_reason", "dispute_amount_cents", "hold_reason"]}),
        (_("Donor"), {"fields": ["name", "email", "consent_updates", "tribute_type", "tribute_name",
                                 "receipt_sent_at"]}),
        (_("Stripe"), {"fields": ["stripe_checkout_session_id", "stripe_payment_intent_id", "stripe_charge_id",
                                  "stripe_invoice_id", "stripe_customer_id"]}),
    ]
    # Finance staff read gifts; every money field changes only through Stripe's events.
    readonly_fields = [field for fieldset in fieldsets for field in fieldset[1]["fields"]]

    def has_add_permission(self, request):
        return False

    def has_delete_permission(self, request, obj=None):
        return False

    @admin.display(description=_("amount"), ordering="amount_cents")
    def amount_display(self, obj):
        return format_money(obj.amount_cents, obj.currency)

    def changelist_view(self, request, extra_context=None):
        response = super().changelist_view(request, extra_context=extra_context)
        changelist = getattr(response, "context_data", {}) or {}
        cl = changelist.get("cl")
        # Totals of a list up to COUNT_CAP gifts; beyond that each page load would sum the table.
        if cl is not None and cl.result_count <= COUNT_CAP:
            totals = cl.queryset.order_by().totals()
            currency = settings.DONATION_CURRENCY  # every gift is taken in the one donation currency
            response.context_data["donation_totals"] = {
                "count": totals["count"],
                "gross": format_money(totals["gross_cents"], currency),
                "refunded": format_money(totals["refunded_cents"], currency),
                "has_lost": bool(totals["lost_cents"]),
                "lost": format_money(totals["lost_cents"], currency),
                "net": format_money(totals["net_cents"], currency),
            }
        return response

    def get_urls(self):
        return [
            path("export.csv", self.admin_site.admin_view(self.export_view), name="donations_donation_export"),
        ] + super().get_urls()

    def export_view(self, request):
        """The filtered list (same filters and search as the page), streamed as CSV."""
        if not self.has_view_permission(request):
            raise PermissionDenied
        try:
            queryset = self.get_changelist_instance(request).get_queryset(request)
        except IncorrectLookupParameters:
            # The list page answers a filter it cannot read with `?e=1`; a file download has no
            # page to show it on, so it is the client's error (it was a 500).
            raise BadRequest("unknown filter") from None
        rows = queryset.order_by("created_at").values_list(*[c for c, _label in CSV_COLUMNS]).iterator(chunk_size=2000)
        return csv_response("donations.csv", [str(label) for _c, label in CSV_COLUMNS], rows)

    @admin.action(description=_("Refund selected gifts (through Stripe)…"), permissions=["change"])
    def refund_selected(self, request, queryset):
        """First a confirmation page with an amount per gift (what is left to refund, or less);
        only its "Refund" button asks Stripe. The page carries one request key: sending it twice
        (a double click, a reload) is one refund per gift at Stripe."""
        donations = list(queryset.select_related("appeal").order_by("pk"))
        refusals = [(d, services.refund_refusal(d)) for d in donations]
        for donation, refusal in refusals:
            if refusal:
                self.message_user(request, f"{donation}: {refusal}", messages.ERROR)
        refundable = [d for d, refusal in refusals if not refusal]
        if not refundable:
            return None
        confirming = request.POST.get("confirm") == "yes"
        forms = [RefundAmountForm(request.POST if confirming else None, donation=d) for d in refundable]
        request_key = request.POST.get("request_key", "")
        if not re.fullmatch(r"[0-9a-f]{32}", request_key):
            request_key = uuid.uuid4().hex
        if confirming and all(form.is_valid() for form in forms):
            self._refund(request, forms, request_key)
            return None
        return TemplateResponse(request, "admin/donations/donation/refund_confirmation.html", {
            **self.admin_site.each_context(request),
            "title": _("Refund gifts"),
            "opts": self.model._meta,
            "forms": forms,
            "request_key": request_key,
            "action_checkbox_name": helpers.ACTION_CHECKBOX_NAME,
            "selected": [d.pk for d in refundable],
            "total": format_money(sum(form.left_cents for form in forms), settings.DONATION_CURRENCY),
        })

    def _refund(self, request, forms, request_key: str) -> None:
        asked = []
        for form in forms:
            donation, cents = form.donation, form.cleaned_data["amount"]
            try:
                services.donation_refund_request(donation=donation, amount_cents=cents, request_key=request_key,
                                                 requested_by=request.user)
            except (ValidationError, stripe_gateway.PaymentProviderError) as exc:
                message = exc.messages[0] if isinstance(exc, ValidationError) else str(exc)
                self.message_user(request, f"{donation}: {message}", messages.ERROR)
            else:
                asked.append(format_money(cents, donation.currency))
        if asked:
            self.message_user(request, _("Refund requested for %(count)d gift(s): %(amounts)s. Their status changes "
                                         "when Stripe confirms the refund, and then each donor gets one email saying "
                                         "what was refunded.") % {"count": len(asked), "amounts": ", ".join(asked)},
                              messages.SUCCESS)


class AtRiskListFilter(admin.SimpleListFilter):
    """Monthly gifts whose latest payment failed (RecurringDonationQuerySet.at_risk)."""

    title = _("payments")
    parameter_name = "at_risk"

    def lookups(self, request, model_admin):
        return [("yes", _("At risk: last payment failed"))]

    def queryset(self, request, queryset):
        return queryset.at_risk() if self.value() == "yes" else queryset


@admin.register(RecurringDonation)
class RecurringDonationAdmin(admin.ModelAdmin):
    list_display = ["email", "amount_display", "status", "cancel_at_period_end", "current_period_end",
                    "last_payment_failed_at", "appeal", "created_at"]
    list_filter = [AtRiskListFilter, "status", "cancel_at_period_end", "appeal"]
    search_fields = ["email", "stripe_subscription_id", "stripe_customer_id"]
    list_select_related = ["appeal"]
    show_full_result_count = False
    readonly_fields = ["appeal", "name", "email", "amount_cents", "currency", "status", "stripe_subscription_id",
                       "stripe_customer_id", "cancel_at_period_end", "current_period_end", "canceled_at",
                       "last_payment_failed_at", "last_event_created", "created_at", "updated_at"]

    def has_add_permission(self, request):
        return False

    @admin.display(description=_("amount per month"), ordering="amount_cents")
    def amount_display(self, obj):
        return format_money(obj.amount_cents, obj.currency)

    def has_delete_permission(self, request, obj=None):
        return False


@admin.register(StripeEvent)
class StripeEventAdmin(admin.ModelAdmin):
    list_display = ["received_at", "type", "stripe_event_id", "status", "result", "attempts", "is_demo"]
    list_filter = ["status", "type", "is_demo"]
    search_fields = ["stripe_event_id"]
    show_full_result_count = False
    readonly_fields = ["stripe_event_id", "type", "api_version", "livemode", "is_demo", "created", "payload",
                       "status", "result", "attempts", "waiting_for", "next_attempt_at", "received_at",
                       "processed_at"]
    actions = ["reprocess_selected"]

    def has_add_permission(self, request):
        return False

    def has_delete_permission(self, request, obj=None):
        return False

    @admin.action(description=_("Process selected events again"), permissions=["change"])
    def reprocess_selected(self, request, queryset):
        for event in queryset:
            try:
                services.stripe_event_reprocess(event=event)
            except ValidationError as exc:
                self.message_user(request, f"{event}: {exc.messages[0]}", messages.WARNING)


@admin.register(ManageLinkRequest)
class ManageLinkRequestAdmin(admin.ModelAdmin):
    list_display = ["recurring", "created_at", "sent_at"]
    list_select_related = ["recurring"]
    readonly_fields = ["recurring", "created_at", "claimed_at", "sent_at"]

    def has_add_permission(self, request):
        return False
