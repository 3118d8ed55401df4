import hashlib
from urllib.parse import urlencode

from django.conf import settings
from django.core.exceptions import ValidationError
from django.http import Http404, HttpResponse, HttpResponseBadRequest
from django.shortcuts import get_object_or_404, redirect, render
from django.utils.cache import add_never_cache_headers
from django.utils.translation import gettext as _
from django.views.decorators.cache import never_cache
from django.views.decorators.csrf import csrf_exempt
from django.views.decorators.http import require_http_methods, require_POST
from django_ratelimit.core import is_ratelimited

from core.client_ip import ratelimit_ip_key
from core.money import format_money

from . import services, stripe_gateway
from .forms import DonationForm, ManageGiftForm
from .models import Appeal, Donation, Frequency, RecurringDonation


def _over_limit(request, *, group: str, email: str) -> bool:
    """Card testers and mail bombers: a limit per client address and one per email address."""
    email_key = hashlib.sha256(email.strip().lower().encode()).hexdigest()
    by_ip = is_ratelimited(request, group=f"{group}:ip", key=ratelimit_ip_key,
                           rate=settings.DONATION_RATE_LIMIT_IP, method="POST", increment=True)
    by_email = is_ratelimited(request, group=f"{group}:email", key=lambda _group, _request: email_key,
                              rate=settings.DONATION_RATE_LIMIT_EMAIL, method="POST", increment=True)
    return by_ip or by_email


@require_http_methods(["GET", "POST"])
def donate(request, slug=None):
    appeal = Appeal.objects.active().with_raised()
    appeal = get_object_or_404(appeal, slug=slug) if slug else appeal.default_first().first()
    if appeal is None:
        return render(request, "donations/donate.html", {"appeal": None})
    # A link may preselect the frequency and amount (the thank-you page's "make it monthly").
    initial = DonationForm.initial_from_query(request.GET, appeal=appeal) if request.method == "GET" else {}
    # Only a link's own choices count as the caller's: a plain visit keeps the shared cached form.
    form = DonationForm(request.POST or None, appeal=appeal, **({"initial": initial} if initial else {}))
    status = 200
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        if _over_limit(request, group="donations:checkout", email=data["email"]):
            form.add_error(None, _("Too many attempts. Please wait a while before trying again."))
            status = 429
        else:
            try:
                _donation, url = services.donation_checkout_start(
                    appeal=appeal,
                    frequency=data["frequency"],
                    gift_cents=data["gift_cents"],
                    cover_fee=data["cover_fee"],
                    name=data["name"],
                    email=data["email"],
                    consent_updates=data["consent_updates"],
                    tribute_type=data.get("tribute_type") or "",
                    tribute_name=data.get("tribute_name") or "",
                )
            except ValidationError as exc:
                form.add_error(None, exc)
            else:
                return redirect(url)
    context = {"appeal": appeal, "form": form, "demo_mode": services.demo_mode_enabled(),
               # The blank form is cached as the story pages are (0 turns both off); its key names
               # the appeal's last edit, so a change shows at once.
               "form_cache_seconds": settings.STORIES_PAGE_CACHE_SECONDS}
    response = render(request, "donations/donate.html", context, status=status)
    if request.method == "POST":
        # The form shown again holds the donor's name and email: no cache may keep it.
        add_never_cache_headers(response)
    return response


@never_cache
def thanks(request, reference):
    # Only reads: the gift is marked paid by Stripe's event, never by this page.
    donation = get_object_or_404(Donation.objects.select_related("appeal"), reference=reference)
    context = {"donation": donation, "amount": format_money(donation.amount_cents, donation.currency, trim=True),
               "paid": donation.paid_at is not None}
    if donation.frequency == Frequency.ONCE and donation.appeal.is_active:
        # The invitation to make it monthly: the donate form with monthly and an amount preselected.
        cents = services.monthly_suggestion_cents(gift_cents=donation.amount_cents - donation.fee_cover_cents,
                                                  presets=[a.amount_cents for a in donation.appeal.amounts()])
        query = urlencode({"frequency": Frequency.MONTHLY, "amount": cents})
        context["monthly_url"] = f"{donation.appeal.get_absolute_url()}?{query}"
        context["monthly_amount"] = format_money(cents, donation.currency, trim=True)
    return render(request, "donations/thanks.html", context)


@never_cache
def cancel(request, reference):
    # Stripe sends the donor here when they leave its page by the way back: the gift is canceled.
    donation = get_object_or_404(Donation.objects.select_related("appeal"), reference=reference)
    donation = services.donation_checkout_cancel(donation=donation)
    if donation.paid_at is not None:  # paid after all (another tab): never say no money was taken
        return redirect("donations:thanks", reference=donation.reference)
    return render(request, "donations/cancel.html", {"donation": donation})


@never_cache
@require_http_methods(["GET", "POST"])
def demo_checkout(request, reference):
    if not services.demo_mode_enabled():
        raise Http404
    donation = get_object_or_404(Donation.objects.select_related("appeal"), reference=reference, is_demo=True)
    if request.method == "POST":
        if request.POST.get("outcome") == "pay":
            services.demo_checkout_complete(donation=donation)
            return redirect("donations:thanks", reference=donation.reference)
        services.demo_checkout_cancel(donation=donation)
        return redirect("donations:cancel", reference=donation.reference)
    # Not trimmed: the page stands in for Stripe's, which shows cents, and reads exactly as the
    # donate form's summary did ("You will be charged $100.00 once.").
    return render(request, "donations/demo_checkout.html", {
        "donation": donation, "amount": format_money(donation.amount_cents, donation.currency),
        "fee": format_money(donation.fee_cover_cents, donation.currency)})


@never_cache  # the answer names whoever asked; no shared cache may keep it
@require_http_methods(["GET", "POST"])
def manage(request):
    form = ManageGiftForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        email = form.cleaned_data["email"]
        if _over_limit(request, group="donations:manage", email=email):
            form.add_error(None, _("Too many attempts. Please wait a while before trying again."))
            return render(request, "donations/manage.html", {"form": form}, status=429)
        services.donor_manage_link_request(email=email)
        # The same answer for every address: nobody learns who gives.
        return render(request, "donations/manage.html", {"sent": True})
    return render(request, "donations/manage.html", {"form": form})


DEMO_PORTAL_SESSION_KEY = "donations:demo-portal"


def _link_error(request, exc):
    context = {"form": ManageGiftForm(), "link_error": exc.messages[0]}
    return render(request, "donations/manage.html", context, status=400)


@never_cache
@require_http_methods(["GET", "POST"])
def manage_open(request, token):
    """The emailed link shows a button; only the button (a POST) uses the one-time link, so a mail
    scanner that follows every link in an inbox uses nothing up."""
    try:
        if request.method == "GET":
            services.donor_manage_link_check(token=token)
            return render(request, "donations/manage_open.html")
        opened = services.donor_portal_open(token=token)
    except ValidationError as exc:
        return _link_error(request, exc)
    if services.demo_mode_enabled():
        # The demo portal's later clicks (stop a gift) need to know whose it is: the session says.
        request.session[DEMO_PORTAL_SESSION_KEY] = opened.recurring_id
    return redirect(opened.url)


@never_cache
@require_http_methods(["GET", "POST"])
def demo_portal(request):
    if not services.demo_mode_enabled():
        raise Http404
    opened = RecurringDonation.objects.filter(pk=request.session.get(DEMO_PORTAL_SESSION_KEY)).first()
    if opened is None:
        message = _("This link is not valid. Please ask for a new one.")
        return _link_error(request, ValidationError(message, code="link_invalid"))
    gifts = RecurringDonation.objects.for_email(opened.email).select_related("appeal")
    if request.method == "POST":
        recurring = get_object_or_404(gifts, pk=request.POST.get("recurring"))
        services.demo_subscription_cancel(recurring=recurring)
        return redirect("donations:demo_portal")
    return render(request, "donations/demo_portal.html", {"gifts": gifts})


@csrf_exempt  # Stripe cannot send our CSRF token; the signature check replaces it
@require_POST
def stripe_webhook(request):
    try:
        services.stripe_event_receive(payload=request.body, signature=request.headers.get("Stripe-Signature", ""))
    except stripe_gateway.InvalidWebhook:
        return HttpResponseBadRequest("invalid signature")
    return HttpResponse("ok")
