"""The supporter's journey: the campaign and form → (district choice) → confirmation with a preview
of each letter → thank-you page; and the private status page linked from the confirmation email.

Between steps the form's data waits in the session as a `services.SignDraft`; the district
decision and the letters are the service layer's."""

from urllib.parse import urlencode

from django.conf import settings
from django.contrib import messages
from django.contrib.sessions.backends.base import UpdateError
from django.core.exceptions import ValidationError
from django.db import DatabaseError
from django.http import Http404
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.utils.cache import add_never_cache_headers
from django.utils.translation import gettext as _
from django.views.decorators.cache import never_cache
from django.views.decorators.http import require_POST
from django_ratelimit.core import is_ratelimited

from congress.models import Legislator
from core.client_ip import ratelimit_ip_key

from . import services
from .forms import DistrictForm, SignForm
from .models import CallReport, Campaign, Delivery, Letter


def _open_campaign(slug):
    campaign = get_object_or_404(Campaign.objects.select_related("story", "appeal"), slug=slug)
    if campaign.status == Campaign.Status.DRAFT:
        raise Http404
    return campaign


def campaign_list(request):
    campaigns = list(Campaign.objects.live().order_by("-created_at"))
    counts = Letter.objects.counts_for_progress(campaign.pk for campaign in campaigns)
    for campaign in campaigns:
        campaign.letter_count = counts[campaign.pk]
        campaign.percent = campaign.progress_percent(campaign.letter_count)
    return render(request, "advocacy/campaign_list.html", {"campaigns": campaigns})


def campaign_detail(request, slug):
    campaign = _open_campaign(slug)
    count = Letter.objects.counts_for_progress([campaign.pk])[campaign.pk]
    draft = services.SignDraft.load(request.session, campaign=campaign)
    form = SignForm(request.POST or None, campaign=campaign, initial=draft.data if draft else None)
    if request.method == "POST" and campaign.is_open and form.is_valid():
        data = {key: value for key, value in form.cleaned_data.items() if key != "website"}
        try:
            draft = services.sign_draft_create(campaign=campaign, data=data)
        except ValidationError as exc:
            form.add_error(None, exc)
        else:
            draft.save(request.session)
            step = "advocacy:campaign_district" if draft.needs_district_choice else "advocacy:campaign_confirm"
            return redirect(step, slug=campaign.slug)
    if request.method == "GET":
        services.campaign_view_record(campaign_id=campaign.pk, user_agent=request.headers.get("User-Agent", ""))
    context = {
        "campaign": campaign,
        "form": form,
        "letter_count": count,
        "progress": campaign.progress_percent(count),
        # The blank form is cached as the story pages are (0 turns both off); its key names the
        # campaign's last edit, so a change shows at once.
        "form_cache_seconds": settings.STORIES_PAGE_CACHE_SECONDS,
    }
    response = render(request, "advocacy/campaign_detail.html", context)
    if draft or request.method == "POST":
        # The form shows what the supporter typed (name, street): no shared cache may keep it.
        add_never_cache_headers(response)
    return response


# Every page from here on shows what one supporter typed (name, street, district) or wrote: none
# may be kept by a shared cache or the browser's (never_cache: no-store, private).
@never_cache
def campaign_district(request, slug):
    campaign = _open_campaign(slug)
    draft = services.SignDraft.load(request.session, campaign=campaign)
    if not draft or not draft.candidates:
        return redirect(campaign)
    page = services.district_page(
        state=draft.data["state"], zip_code=draft.data["zip_code"], candidates=draft.candidates
    )
    form = DistrictForm(request.POST or None, choices=page.choices)
    if request.method == "POST" and form.is_valid():
        draft.district = form.cleaned_data["district"]
        draft.save(request.session)
        return redirect("advocacy:campaign_confirm", slug=campaign.slug)
    context = {"campaign": campaign, "form": form, "page": page, "data": draft.data}
    return render(request, "advocacy/campaign_district.html", context)


def _session_saved(request) -> bool:
    """Save the session now rather than in the middleware, where a failed save (a database blip)
    answers "Bad Request (400)" for a letter already stored and on its way."""
    try:
        request.session.save()
    except (DatabaseError, UpdateError):
        saved = False
    else:
        saved = True
    request.session.modified = False  # saved, or left as it was: the middleware must not try again
    return saved


@never_cache
def campaign_confirm(request, slug):
    campaign = _open_campaign(slug)
    draft = services.SignDraft.load(request.session, campaign=campaign)
    if not draft or not draft.is_placed:
        return redirect(campaign)
    lookup = draft.lookup()
    status = 200
    if request.method == "POST":
        limited_ip = is_ratelimited(
            request, group="advocacy-sign-ip", key=ratelimit_ip_key, rate=settings.ADVOCACY_SIGN_RATE_IP, increment=True
        )
        limited_email = is_ratelimited(
            request,
            group="advocacy-sign-email",
            key=lambda group, request: draft.email,
            rate=settings.ADVOCACY_SIGN_RATE_EMAIL,
            increment=True,
        )
        # The recipients the page showed as getting a letter: what is sent must be what was said.
        expected = request.POST.getlist("recipient") if "recipient" in request.POST else None
        if limited_ip or limited_email:
            status = 429
            messages.error(request, _("Too many letters from here in a short time. Please try again later."))
        else:
            try:
                draft.check_shown(request.POST.get("draft"))
                result = services.campaign_sign(
                    campaign=campaign, lookup=lookup, expected_recipients=expected, **draft.data
                )
            except ValidationError as exc:
                status = 400
                for message in exc.messages:
                    messages.error(request, message)
            else:
                draft.discard(request.session)
                result.thanks.save(request.session, campaign=campaign)
                if not _session_saved(request):
                    return _thanks_page(request, campaign, result.thanks)
                return redirect("advocacy:campaign_thanks", slug=campaign.slug)
    plan = draft.plan(lookup)
    context = {
        "campaign": campaign,
        "data": draft.data,
        "draft": draft,
        "previews": draft.previews(plan),
        "already": [r.label for r in plan.already],
        "new_keys": plan.new_keys,
        "fingerprint": draft.fingerprint,
        "vacant": lookup.vacant_seats if lookup else [],
        "lookup": lookup,
    }
    return render(request, "advocacy/campaign_confirm.html", context, status=status)


@never_cache
def campaign_thanks(request, slug):
    campaign = _open_campaign(slug)
    thanks = services.SignThanks.load(request.session, campaign=campaign)
    if not thanks:
        return redirect(campaign)
    return _thanks_page(request, campaign, thanks)


@never_cache
@require_POST
def campaign_call_report(request, slug):
    """A button under one office on the thank-you page: how the call to it went. The letter is the
    one this browser's session wrote (as on the thank-you page), the office one of its own: anyone
    else (another browser, a guessed id) gets 404 and nothing is recorded. A plain form post that
    redirects back, so it works without JavaScript."""
    campaign = _open_campaign(slug)
    thanks = services.SignThanks.load(request.session, campaign=campaign)
    if not thanks:
        raise Http404
    letter = get_object_or_404(Letter, pk=thanks.letter_id, campaign=campaign)
    try:
        office_id = int(request.POST.get("office", ""))
    except ValueError:
        raise Http404 from None
    if office_id not in thanks.members:
        raise Http404
    if is_ratelimited(
        request,
        group="advocacy-call-report-ip",
        key=ratelimit_ip_key,
        rate=settings.ADVOCACY_CALL_REPORT_RATE_IP,
        increment=True,
    ):
        messages.error(request, _("Too many answers from here in a short time. Please try again later."))
        return _thanks_page(request, campaign, thanks, status=429)
    try:
        services.call_report_record(
            letter=letter, legislator_id=office_id, outcome=request.POST.get("outcome", ""), offices=thanks.members
        )
    except ValidationError as exc:
        for message in exc.messages:
            messages.error(request, message)
        return _thanks_page(request, campaign, thanks, status=400)
    messages.success(request, _("Thank you for calling. We have counted how your call went."))
    return redirect(reverse("advocacy:campaign_thanks", kwargs={"slug": campaign.slug}) + f"#call-{office_id}")


def _thanks_page(request, campaign, thanks, *, status=200):
    letter = get_object_or_404(Letter.objects.select_related("campaign"), pk=thanks.letter_id, campaign=campaign)
    # This submission's own members (written now or before), to call; never another letter's.
    offices = list(Legislator.objects.filter(pk__in=thanks.members).order_by("chamber", "pk"))
    # What the writer already said about each call: the button they chose shows as chosen.
    reported = dict(letter.call_reports.values_list("legislator_id", "outcome"))
    for member in offices:
        member.call_outcome = reported.get(member.pk, "")
        member.call_outcome_label = CallReport.Outcome(member.call_outcome).label if member.call_outcome else ""
    page_url = request.build_absolute_uri(campaign.get_absolute_url())
    share_text = campaign.share_text or campaign.summary
    share = {
        "x": "https://twitter.com/intent/tweet?" + urlencode({"text": share_text, "url": page_url}),
        "facebook": "https://www.facebook.com/sharer/sharer.php?" + urlencode({"u": page_url}),
        "email": "mailto:?"
        + urlencode({"subject": campaign.title, "body": f"{share_text}\n\n{page_url}"}).replace("+", "%20"),
    }
    # No status link here: it is emailed to the address typed, so only that mailbox can follow
    # the letters (whoever typed an address into the form sees this page).
    context = {
        "campaign": campaign,
        "letter": letter,
        "new": thanks.new,
        "already": thanks.already,
        "asked_for_updates": thanks.asked_for_updates,
        "offices": offices,
        "call_outcomes": CallReport.Outcome.choices,
        "share": share,
        "page_url": page_url,
    }
    return render(request, "advocacy/campaign_thanks.html", context, status=status)


@never_cache
def letter_status(request, token):
    letter = services.letter_from_status_token(token)
    if letter is None:
        raise Http404
    deliveries = sorted(letter.deliveries.all(), key=lambda d: d.created_at)
    pending = any(d.status not in Delivery.FINAL_STATUSES for d in deliveries)
    response = render(
        request, "advocacy/letter_status.html", {"letter": letter, "deliveries": deliveries, "pending": pending}
    )
    response["X-Robots-Tag"] = "noindex"
    return response


@never_cache
def consent_confirm(request, token):
    """The link in the confirmation email. A GET only asks (mail scanners open links), a POST
    confirms: the request for updates counts from then."""
    consent = services.consent_from_token(token)
    if consent is None:
        raise Http404
    if request.method == "POST":
        consent = services.consent_confirm(consent=consent)
    response = render(
        request, "advocacy/consent_confirm.html", {"consent": consent, "campaign": consent.letter.campaign}
    )
    response["X-Robots-Tag"] = "noindex"
    return response
