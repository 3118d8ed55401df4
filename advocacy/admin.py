from django.contrib import admin, messages
from django.core.exceptions import PermissionDenied, ValidationError
from django.shortcuts import get_object_or_404
from django.template.response import TemplateResponse
from django.urls import path
from django.utils.formats import date_format
from django.utils.html import format_html, format_html_join
from django.utils.translation import gettext_lazy as _

from congress.models import Legislator
from core.admin_languages import BothLanguagesAdmin
from core.exports import csv_response
from staff.admin_filters import OfficeListFilter, StateListFilter
from staff.admin_params import id_param
from staff.history import StaffHistoryAdmin
from staff.paginators import LargeTablePaginator

from . import services
from .models import (
    CallReport,
    Campaign,
    CampaignDay,
    Consent,
    CustomTarget,
    Delivery,
    DeliveryAttempt,
    Letter,
    Supporter,
)


def _office_label(row: dict) -> str:
    """ "Sen. Rosa Senator (WA)" from an office_counts row, without loading the member."""
    member = Legislator(
        first_name=row["legislator__first_name"],
        last_name=row["legislator__last_name"],
        official_full_name=row["legislator__official_full_name"],
        chamber=row["legislator__chamber"],
        state=row["legislator__state"],
        district=row["legislator__district"],
    )
    return str(member)


class CustomTargetInline(admin.TabularInline):
    model = CustomTarget
    extra = 0


@admin.register(Campaign)
class CampaignAdmin(BothLanguagesAdmin, StaffHistoryAdmin):
    list_display = [
        "title",
        "status",
        "opens_at",
        "closes_at",
        "goal",
        "letters",
        "queued",
        "sent",
        "unconfirmed",
        "failed",
    ]
    list_filter = ["status", "targets", "topic"]
    search_fields = ["title", "slug", "summary"]
    prepopulated_fields = {"slug": ["title"]}
    filter_horizontal = ["chosen_members"]
    readonly_fields = ["cwc_campaign_id", "created_at", "updated_at", "funnel", "calls"]
    inlines = [CustomTargetInline]
    actions = ["open_selected", "close_selected", "duplicate_selected", "export_supporters"]
    change_form_template = "admin/advocacy/campaign/change_form.html"
    fieldsets = [
        (
            None,
            {
                "fields": [
                    "title",
                    "slug",
                    "summary",
                    "ask",
                    "image",
                    "image_alt",
                    "story",
                    "status",
                    "opens_at",
                    "closes_at",
                    "goal",
                    "counter_shown_from",
                ]
            },
        ),
        (_("Who receives it"), {"fields": ["targets", "chosen_members"]}),
        (
            _("The letter"),
            {"fields": ["subject_template", "body_template", "editing_policy", "min_length", "max_length"]},
        ),
        (
            _("For congressional offices"),
            {"fields": ["topic", "bill_congress", "bill_type", "bill_number", "stance", "cwc_campaign_id"]},
        ),
        (_("After sending"), {"fields": ["thank_you_text", "share_text", "call_script", "appeal"]}),
        (_("Results"), {"fields": ["funnel", "calls"]}),
        (_("Record"), {"fields": ["created_at", "updated_at"]}),
    ]

    def get_queryset(self, request):
        return super().get_queryset(request).with_counts()

    @admin.display(description=_("last 14 days"))
    def funnel(self, obj):
        """Views of the campaign page, letters written and the share of views that became letters,
        per day. Views reach the database once a minute (CAMPAIGN_VIEWS_FLUSH_INTERVAL)."""
        if obj.pk is None:
            return "-"
        rows = CampaignDay.objects.funnel(obj)
        head = format_html(
            "<tr><th>{}</th><th>{}</th><th>{}</th><th>{}</th></tr>",
            _("day"),
            _("page views"),
            _("letters"),
            _("views that became letters"),
        )
        body = format_html_join(
            "",
            '<tr data-testid="funnel-row"><td>{}</td><td>{}</td><td>{}</td><td>{}</td></tr>',
            (
                (
                    date_format(row["day"]),
                    row["views"],
                    row["letters"],
                    "-" if row["conversion"] is None else f"{row['conversion']}%",
                )
                for row in rows
            ),
        )
        return format_html('<table class="campaign-funnel"><thead>{}</thead><tbody>{}</tbody></table>', head, body)

    @admin.display(description=_("calls to offices"))
    def calls(self, obj):
        """How supporters said their calls went, per office (the thank-you page's buttons): one
        query. A supporter who answers again changes their answer, so each call counts once."""
        if obj.pk is None:
            return "-"
        rows = CallReport.objects.office_counts(obj)
        if not rows:
            return _("No calls reported yet.")
        head = format_html(
            "<tr><th>{}</th><th>{}</th><th>{}</th><th>{}</th><th>{}</th></tr>",
            _("office"),
            CallReport.Outcome.TALKED.label,
            CallReport.Outcome.VOICEMAIL.label,
            CallReport.Outcome.NO_ANSWER.label,
            _("calls"),
        )
        body = format_html_join(
            "",
            '<tr data-testid="calls-row"><td>{}</td><td>{}</td><td>{}</td><td>{}</td><td>{}</td></tr>',
            ((_office_label(row), row["talked"], row["voicemail"], row["no_answer"], row["total"]) for row in rows),
        )
        return format_html('<table class="campaign-calls"><thead>{}</thead><tbody>{}</tbody></table>', head, body)

    @admin.display(description=_("letters"), ordering="letter_count")
    def letters(self, obj):
        return obj.letter_count

    @admin.display(description=_("on their way"))
    def queued(self, obj):
        return obj.queued_count + obj.sending_count + obj.waiting_count

    @admin.display(description=_("sent, not confirmed"), ordering="unconfirmed_count")
    def unconfirmed(self, obj):
        return obj.unconfirmed_count

    @admin.display(description=_("delivered"), ordering="sent_count")
    def sent(self, obj):
        return obj.sent_count

    @admin.display(description=_("failed"), ordering="failed_count")
    def failed(self, obj):
        return obj.failed_count

    def _each(self, request, queryset, service, done):
        for campaign in queryset:
            try:
                service(campaign=campaign)
            except ValidationError as exc:
                self.message_user(request, f"{campaign}: {' '.join(exc.messages)}", messages.WARNING)
            else:
                self.message_user(request, done % {"campaign": campaign}, messages.SUCCESS)

    @admin.action(description=_("Open (make live)"), permissions=["change"])
    def open_selected(self, request, queryset):
        self._each(request, queryset, services.campaign_open, _("%(campaign)s is live."))

    @admin.action(description=_("Close"), permissions=["change"])
    def close_selected(self, request, queryset):
        self._each(request, queryset, services.campaign_close, _("%(campaign)s is closed."))

    @admin.action(description=_("Duplicate as a draft"), permissions=["add"])
    def duplicate_selected(self, request, queryset):
        self._each(request, queryset, services.campaign_duplicate, _("Copied %(campaign)s."))

    @admin.action(description=_("Export supporters who agreed to updates (CSV)"), permissions=["view"])
    def export_supporters(self, request, queryset):
        rows = (
            # Confirmed by the mailbox owner, through one of these campaigns (the box says "about
            # this campaign"): a checked box alone is a request anyone could make.
            Supporter.objects.filter(letters__consent__confirmed_at__isnull=False, letters__campaign__in=queryset)
            .distinct()
            .order_by("pk")
            .values_list("email", "first_name", "last_name", "consented_at")
            .iterator(chunk_size=2000)
        )
        return csv_response("supporters.csv", ["email", "first_name", "last_name", "consented_at"], rows)

    def get_urls(self):
        return [
            path("<int:pk>/preview/", self.admin_site.admin_view(self.preview_view), name="advocacy_campaign_preview"),
        ] + super().get_urls()

    def preview_view(self, request, pk):
        """The letter as one chosen member's office would receive it, from a sample supporter."""
        # admin_view only checks is_staff: the page is the campaign's, so is the right to read it.
        if not self.has_view_permission(request):
            raise PermissionDenied
        campaign = get_object_or_404(Campaign, pk=pk)
        member_id = id_param(request, "member")
        if member_id is not None:
            member = get_object_or_404(Legislator, pk=member_id)
        else:
            member = Legislator.objects.active().order_by("state", "chamber").first()
        sample = Letter(
            first_name="Ana", last_name="Sample", city="Springfield", state=member.state if member else "DC"
        )
        preview = None
        if member is not None:
            (preview,) = services.letter_previews(
                campaign=campaign, recipients=[services.member_recipient(member)], sender=sample, own_words=""
            )
        context = {
            **self.admin_site.each_context(request),
            "opts": self.model._meta,
            "campaign": campaign,
            "preview": preview,
            "members": Legislator.objects.active().only(
                "pk", "first_name", "last_name", "official_full_name", "chamber", "state", "district"
            ),
            "title": _("Preview: %(title)s") % {"title": campaign.title},
        }
        return TemplateResponse(request, "admin/advocacy/campaign/preview.html", context)


class DeliveryInline(admin.TabularInline):
    model = Delivery
    extra = 0
    can_delete = False
    fields = [
        "recipient_name",
        "office_code",
        "backend",
        "status",
        "attempts",
        "next_attempt_at",
        "sent_at",
        "last_error",
    ]
    readonly_fields = fields
    show_change_link = True

    def has_add_permission(self, request, obj=None):
        return False


class ConsentInline(admin.StackedInline):
    """The request for updates this letter made, the words of the checked box and whether the mailbox owner
    confirmed it: a record of what someone agreed to, so nobody edits it."""

    model = Consent
    extra = 0
    can_delete = False
    fields = ["wording", "language", "requested_at", "confirmed_at"]
    readonly_fields = fields

    def has_add_permission(self, request, obj=None):
        return False


class DeliveryAttemptInline(admin.TabularInline):
    """Every attempt, oldest first: a staff retry adds to the list and never empties it."""

    model = DeliveryAttempt
    extra = 0
    can_delete = False
    fields = ["started_at", "duration_ms", "outcome", "status_code", "answer"]
    readonly_fields = fields
    verbose_name_plural = _("attempts (every one, with what the office's system answered)")

    def has_add_permission(self, request, obj=None):
        return False


@admin.register(Letter)
class LetterAdmin(admin.ModelAdmin):
    list_display = ["__str__", "campaign", "state", "district", "created_at"]
    # Big-table admin (staff operations): no filter choice or count reads the whole table, and
    # the newest-first order walks the primary key instead of sorting every letter.
    list_filter = ["campaign", StateListFilter]
    search_fields = ["supporter__email", "last_name", "zip_code"]
    list_select_related = ["campaign", "supporter"]
    show_full_result_count = False
    paginator = LargeTablePaginator
    ordering = ["-pk"]
    # personal_erased_at: when the retention policy erased the street, phone and own words.
    readonly_fields = ["campaign", "supporter", "created_at", "confirmation_sent_at", "personal_erased_at"]
    # What the supporter wrote and where they live: staff may read it, not rewrite it (a changed
    # name or own words would go to Congress under the supporter's name). Superusers correct it.
    written_by_the_supporter = [
        "prefix",
        "first_name",
        "last_name",
        "street",
        "city",
        "state",
        "zip_code",
        "phone",
        "own_words",
    ]
    inlines = [DeliveryInline, ConsentInline]
    actions = ["revoke_status_links"]

    def has_add_permission(self, request):
        return False

    def get_readonly_fields(self, request, obj=None):
        fields = list(super().get_readonly_fields(request, obj))
        if not request.user.is_superuser:
            fields += self.written_by_the_supporter
        return fields

    @admin.action(description=_("Revoke the private status links"), permissions=["change"])
    def revoke_status_links(self, request, queryset):
        # E.g. a supporter forwarded their confirmation email by mistake: the links in it stop working.
        count = services.letter_status_links_revoke(letter_ids=queryset.values_list("pk", flat=True))
        self.message_user(request, _("%(count)d status links revoked.") % {"count": count}, messages.SUCCESS)


@admin.register(Delivery)
class DeliveryAdmin(admin.ModelAdmin):
    list_display = [
        "recipient_name",
        "office_code",
        "campaign",
        "backend",
        "status",
        "attempts",
        "next_attempt_at",
        "sent_at",
        "updated_at",
    ]
    list_filter = [
        "status",
        "backend",
        ("letter__campaign", admin.RelatedFieldListFilter),
        ("legislator__chamber", admin.ChoicesFieldListFilter),
        OfficeListFilter,
        ("created_at", admin.DateFieldListFilter),
    ]
    search_fields = ["office_code", "recipient_name", "delivery_id", "letter__supporter__email"]
    list_select_related = ["letter__campaign"]
    show_full_result_count = False
    # Big-table admin (staff operations): a date filter instead of date_hierarchy (which scans
    # every row for its years and days), no COUNT(*), newest first along the primary key.
    paginator = LargeTablePaginator
    ordering = ["-pk"]
    actions = ["retry_selected"]
    change_list_template = "admin/advocacy/delivery/change_list.html"
    readonly_fields = [f.name for f in Delivery._meta.fields]
    inlines = [DeliveryAttemptInline]

    def has_add_permission(self, request):
        return False

    @admin.display(description=_("campaign"), ordering="letter__campaign__title")
    def campaign(self, obj):
        return obj.letter.campaign

    @admin.action(description=_("Retry the selected failed or unconfirmed deliveries"), permissions=["change"])
    def retry_selected(self, request, queryset):
        retried = 0
        for delivery in queryset.filter(status__in=[Delivery.Status.FAILED, Delivery.Status.UNCONFIRMED]):
            try:
                services.delivery_retry(delivery=delivery)
            except ValidationError as exc:
                self.message_user(request, f"{delivery}: {' '.join(exc.messages)}", messages.WARNING)
            else:
                retried += 1
        self.message_user(request, _("%(count)d deliveries queued again.") % {"count": retried}, messages.SUCCESS)

    def get_urls(self):
        return [
            path("offices/", self.admin_site.admin_view(self.office_report_view), name="advocacy_delivery_offices"),
        ] + super().get_urls()

    def office_report_view(self, request):
        """Deliveries per office and status, optionally for one campaign."""
        if not self.has_view_permission(request):
            raise PermissionDenied
        deliveries = Delivery.objects.all()
        campaign = None
        campaign_id = id_param(request, "campaign")
        if campaign_id is not None:
            campaign = get_object_or_404(Campaign, pk=campaign_id)
            deliveries = deliveries.filter(letter__campaign=campaign)
        context = {
            **self.admin_site.each_context(request),
            "opts": self.model._meta,
            "rows": deliveries.office_report(),
            "campaign": campaign,
            "campaigns": Campaign.objects.order_by("-created_at").only("pk", "title"),
            "title": _("Deliveries by office"),
        }
        return TemplateResponse(request, "admin/advocacy/delivery/office_report.html", context)


@admin.register(Supporter)
class SupporterAdmin(admin.ModelAdmin):
    list_display = ["email", "first_name", "last_name", "consented_at", "created_at"]
    list_filter = [("consented_at", admin.EmptyFieldListFilter)]
    search_fields = ["email", "last_name"]
    show_full_result_count = False
    readonly_fields = ["created_at"]
    # The address and the consent are the supporter's own word: a changed email would send their
    # letters' news to someone else, a set consent would sign them up for mail they never asked for.
    supporters_own = ["email", "consented_at"]

    def get_readonly_fields(self, request, obj=None):
        fields = list(super().get_readonly_fields(request, obj))
        if not request.user.is_superuser:
            fields += self.supporters_own
        return fields
