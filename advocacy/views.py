"""The supporter's journey: the campaign and form → (district choice) → confirmation with a preview
of each letter → thank-you page; and the private status page linked from the confirmation email.

Between steps the form's data waits in the session (server-side), so the recipients on the
confirmation page are the ones the service writes to."""

from urllib.parse import urlencode

from django.conf import settings
from django.contrib import messages
from django.core.exceptions import ValidationError
from django.http import Http404
from django.shortcuts import get_object_or_404, redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.cache import never_cache
from django_ratelimit.core import is_ratelimited

from congress.lookup import lookup_by_address, lookup_by_district, lookup_by_zip

from . import services
from .forms import DistrictForm, SignForm
from .models import Campaign, Delivery, Letter


def _draft_key(campaign):
    return f"advocacy:draft:{campaign.slug}"


def _thanks_key(campaign):
    return f"advocacy:thanks:{campaign.slug}"


def _open_campaign(slug):
    campaign = get_object_or_404(Campaign.objects.select_related("story", "appeal"), slug=slug)
    if campaign.status == Campaign.Status.DRAFT:
        raise Http404
    return campaign


def _lookup(draft):
    if draft.get("district") is not None:
        return lookup_by_district(state=draft["state"], district=draft["district"])
    return lookup_by_zip(draft["zip_code"])


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
    draft = request.session.get(_draft_key(campaign), {}).get("data")
    form = SignForm(request.POST or None, campaign=campaign, initial=draft)
    if request.method == "POST" and campaign.is_open and form.is_valid():
        data = {key: value for key, value in form.cleaned_data.items() if key != "website"}
        step = _place_supporter(campaign, form, data)
        if step:
            request.session[_draft_key(campaign)] = step
            if step["district"] is None and step["candidates"]:
                return redirect("advocacy:campaign_district", slug=campaign.slug)
            return redirect("advocacy:campaign_confirm", slug=campaign.slug)
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
    return render(request, "advocacy/campaign_detail.html", context)


def _place_supporter(campaign, form, data):
    """Where the supporter is represented: a district, a choice of districts, or a form error."""
    state = data["state"]
    step = {"data": data, "state": state, "district": None, "candidates": [], "zip_code": data["zip_code"]}
    if not campaign.writes_to_congress:
        return step
    lookup = lookup_by_address(street=data["street"], city=data["city"], state=state, zip_code=data["zip_code"])
    if not lookup.needs_address:
        if lookup.state != state:
            form.add_error(
                "zip_code", _("This ZIP code is in %(state)s; please check your state.") % {"state": lookup.state}
            )
            return None
        step["district"] = lookup.district
        return step
    candidates = [[s, d] for s, d in lookup.candidate_districts if s == state]
    if lookup.candidate_districts and not candidates:
        form.add_error("zip_code", _zip_elsewhere(lookup.candidate_districts[0][0]))
        return None
    if campaign.targets == Campaign.Targets.SENATE and lookup.state == state:
        return step
    if candidates:
        step["candidates"] = candidates
        return step
    form.add_error(
        None, _("We could not find the congressional district for this address. Please check the street and ZIP code.")
    )
    return None


def _zip_elsewhere(state):
    return _("This ZIP code is in %(state)s; please check your state and ZIP code.") % {"state": state}


def campaign_district(request, slug):
    campaign = _open_campaign(slug)
    draft = request.session.get(_draft_key(campaign))
    if not draft or not draft.get("candidates"):
        return redirect(campaign)
    form = DistrictForm(request.POST or None, candidates=[tuple(c) for c in draft["candidates"]])
    if request.method == "POST" and form.is_valid():
        draft["district"] = form.cleaned_data["district"]
        request.session[_draft_key(campaign)] = draft
        return redirect("advocacy:campaign_confirm", slug=campaign.slug)
    return render(request, "advocacy/campaign_district.html", {"campaign": campaign, "form": form})


def _email_key(group, request):
    return (
        (request.session.get(f"advocacy:draft:{request.resolver_match.kwargs['slug']}") or {})
        .get("data", {})
        .get("email", "")
    )


def campaign_confirm(request, slug):
    campaign = _open_campaign(slug)
    draft = request.session.get(_draft_key(campaign))
    if not draft or (campaign.writes_to_congress and draft["district"] is None and campaign.targets != "senate"):
        return redirect(campaign)
    data = draft["data"]
    lookup = _lookup(draft) if campaign.writes_to_congress else None
    status = 200
    if request.method == "POST":
        limited_ip = is_ratelimited(
            request, group="advocacy-sign-ip", key="ip", rate=settings.ADVOCACY_SIGN_RATE_IP, increment=True
        )
        limited_email = is_ratelimited(
            request, group="advocacy-sign-email", key=_email_key, rate=settings.ADVOCACY_SIGN_RATE_EMAIL, increment=True
        )
        if limited_ip or limited_email:
            status = 429
            messages.error(request, _("Too many letters from here in a short time. Please try again later."))
        else:
            try:
                result = services.campaign_sign(campaign=campaign, lookup=lookup, **data)
            except ValidationError as exc:
                status = 400
                for message in exc.messages:
                    messages.error(request, message)
            else:
                request.session.pop(_draft_key(campaign), None)
                request.session[_thanks_key(campaign)] = {
                    "letter": result.letter.pk,
                    "new": [d.recipient_name for d in result.new_deliveries],
                    "already": [r.label for r in result.already_written],
                }
                return redirect("advocacy:campaign_thanks", slug=campaign.slug)
    recipients = services.campaign_recipients(campaign=campaign, lookup=lookup)
    values = Letter(**{k: data[k] for k in ("first_name", "last_name", "city", "state")}).template_values()
    previews = []
    for recipient in recipients:
        subject, statement, personal = services.letter_texts(
            campaign=campaign, values=values, own_words=data.get("own_words", ""), recipient=recipient
        )
        previews.append({"recipient": recipient, "subject": subject, "statement": statement, "personal": personal})
    context = {
        "campaign": campaign,
        "data": data,
        "previews": previews,
        "vacant": lookup.vacant_seats if lookup else [],
        "lookup": lookup,
    }
    return render(request, "advocacy/campaign_confirm.html", context, status=status)


def campaign_thanks(request, slug):
    campaign = _open_campaign(slug)
    outcome = request.session.get(_thanks_key(campaign))
    if not outcome:
        return redirect(campaign)
    letter = get_object_or_404(Letter.objects.select_related("campaign"), pk=outcome["letter"], campaign=campaign)
    offices = (
        Delivery.objects.filter(letter=letter, legislator__isnull=False)
        .select_related("legislator")
        .order_by("legislator__chamber", "pk")
    )
    page_url = request.build_absolute_uri(campaign.get_absolute_url())
    share_text = campaign.share_text or campaign.summary
    share = {
        "x": "https://twitter.com/intent/tweet?" + urlencode({"text": share_text, "url": page_url}),
        "facebook": "https://www.facebook.com/sharer/sharer.php?" + urlencode({"u": page_url}),
        "email": "mailto:?"
        + urlencode({"subject": campaign.title, "body": f"{share_text}\n\n{page_url}"}).replace("+", "%20"),
    }
    context = {
        "campaign": campaign,
        "letter": letter,
        "new": outcome["new"],
        "already": outcome["already"],
        "offices": [d.legislator for d in offices],
        "share": share,
        "page_url": page_url,
        "status_url": services.letter_status_url(letter),
    }
    return render(request, "advocacy/campaign_thanks.html", context)


@never_cache
def letter_status(request, token):
    letter = services.letter_from_status_token(token)
    if letter is None:
        raise Http404
    deliveries = sorted(letter.deliveries.all(), key=lambda d: d.created_at)
    pending = any(d.status in (Delivery.Status.QUEUED, Delivery.Status.SENDING) for d in deliveries)
    response = render(
        request, "advocacy/letter_status.html", {"letter": letter, "deliveries": deliveries, "pending": pending}
    )
    response["X-Robots-Tag"] = "noindex"
    return response
