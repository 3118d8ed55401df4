"""Headers, logins and the content policy: what protects visitors and staff on every page."""

import os

from django.core.exceptions import ImproperlyConfigured

from .campaign import ORGANIZATION_NAME, STRIPE_CHECKOUT_DOMAINS
from .environment import DEBUG, env

# --- Client address -------------------------------------------------------------------------
# Proxies in front of the site that append to X-Forwarded-For (a load balancer: 1). 0 trusts no
# header and uses the connection's address. One policy for every rate limit and the login
# lockout: core.client_ip reads it.
TRUSTED_PROXY_COUNT = env.int("DJANGO_TRUSTED_PROXY_COUNT", default=0)
# DONATION_TRUSTED_PROXIES, the donations app's own count from before there was one policy, is gone.
# A deployment that still sets only it would silently read 0 and give every visitor the proxy's
# address (one rate limit for everyone), so it refuses to start and says what to set instead.
if "DONATION_TRUSTED_PROXIES" in os.environ and "DJANGO_TRUSTED_PROXY_COUNT" not in os.environ:
    raise ImproperlyConfigured(
        "DONATION_TRUSTED_PROXIES was removed: set DJANGO_TRUSTED_PROXY_COUNT (the one client-address "
        "setting, for every rate limit and the login lockout) to the same number, and unset the old one."
    )
RATELIMIT_IP_META_KEY = "core.client_ip.client_ip"

# --- Headers (HTTPS-only ones are in production.py) -----------------------------------------
SECURE_PROXY_SSL_HEADER = ("HTTP_X_FORWARDED_PROTO", "https")
SECURE_CONTENT_TYPE_NOSNIFF = True
SECURE_REFERRER_POLICY = "same-origin"
X_FRAME_OPTIONS = "DENY"

# --- Staff logins ---------------------------------------------------------------------------
# Admin login rate limit (django-axes): after AXES_FAILURE_LIMIT wrong passwords for one username
# from one address, that pair is refused for AXES_COOLOFF_MINUTES. Keyed on the pair, not the
# username alone, so nobody can lock a colleague out by guessing at their name.
AXES_FAILURE_LIMIT = env.int("AXES_FAILURE_LIMIT", default=5)
AXES_COOLOFF_TIME = env.int("AXES_COOLOFF_MINUTES", default=30) / 60  # hours, as axes reads a float
AXES_LOCKOUT_PARAMETERS = [["username", "ip_address"]]
AXES_RESET_ON_SUCCESS = True
AXES_LOCKOUT_TEMPLATE = "admin/accounts/lockout.html"
# The same address, stored as a keyed hash (core.client_ip.client_ip_pseudonym): axes keeps an
# address per failed and per successful login, and no address is ever stored in the clear. Lockouts
# still work (the same address always gives the same pseudonym); the admin shows fdxx:... values.
AXES_CLIENT_IP_CALLABLE = "core.client_ip.client_ip_pseudonym"
AXES_VERBOSE = False  # its start-up banner is noise in every management command

# Every failed login from one client address counts here, whatever the username (password spraying
# over many usernames stays under axes' per-username limit); past it the address is locked out for
# the rest of the window (accounts.login_limit).
LOGIN_RATE_LIMIT_IP = env("LOGIN_RATE_LIMIT_IP", default="20/h")

# Staff sessions (accounts.sessions): at most this long after the login, and ended after this long
# without a request.
STAFF_SESSION_HOURS = env.int("STAFF_SESSION_HOURS", default=12)
STAFF_SESSION_IDLE_MINUTES = env.int("STAFF_SESSION_IDLE_MINUTES", default=30)

# Two-factor (django-otp, TOTP). Required of every staff user, superusers included, unless turned
# off (the default with DJANGO_DEBUG=true, for `make run` and the tests); whoever enrolled must
# use it either way. The issuer is the name authenticator apps show next to the code.
STAFF_TWO_FACTOR_REQUIRED = env.bool("STAFF_TWO_FACTOR_REQUIRED", default=not DEBUG)
OTP_TOTP_ISSUER = env("OTP_TOTP_ISSUER", default=ORGANIZATION_NAME)
OTP_ADMIN_HIDE_SENSITIVE_DATA = True  # superusers reset devices; nobody re-reads a secret

# Content-Security-Policy (django-csp). No 'unsafe-inline' anywhere on the public site: scripts and
# styles come from our static files. It lists only what a page uses: no page loads Stripe.js or
# frames a Stripe page (Checkout and the portal are full-page redirects), so no Stripe host may run
# a script, be framed or be fetched here. form-action also governs the redirect after a form posts,
# so it lists where Checkout and the customer portal live: STRIPE_CHECKOUT_DOMAINS (campaign.py),
# Stripe's own hosts unless the account uses a custom checkout domain.
_STRIPE_FORM_TARGETS = STRIPE_CHECKOUT_DOMAINS
CONTENT_SECURITY_POLICY = {
    "DIRECTIVES": {
        "default-src": ["'self'"],
        "script-src": ["'self'"],
        "style-src": ["'self'"],
        # data: for the small SVG icons inside Bootstrap's stylesheet (selects, close buttons).
        "img-src": ["'self'", "data:"],  # base.py adds a photo bucket's host
        "font-src": ["'self'"],
        "connect-src": ["'self'"],
        "frame-src": ["'none'"],
        "form-action": ["'self'", *_STRIPE_FORM_TARGETS],
        "frame-ancestors": ["'none'"],
        "base-uri": ["'self'"],
        "object-src": ["'none'"],
        "upgrade-insecure-requests": not DEBUG,
    },
}
# Where browsers report what the policy blocked (e.g. a monitoring service's CSP endpoint); empty: no reports.
_CSP_REPORT_URI = env("CONTENT_SECURITY_POLICY_REPORT_URI", default="")
if _CSP_REPORT_URI:
    CONTENT_SECURITY_POLICY["DIRECTIVES"]["report-uri"] = [_CSP_REPORT_URI]
# The admin site only: simple-history's and the autocomplete widget's templates write style=""
# attributes. Scripts stay 'self' there too (Django's admin has no inline scripts).
STAFF_ADMIN_CSP_REPLACE = {"style-src": ["'self'", "'unsafe-inline'"]}

# Other security headers. COOP keeps other windows (an opener) away from ours; Django sends it.
SECURE_CROSS_ORIGIN_OPENER_POLICY = "same-origin"
PERMISSIONS_POLICY = {
    "accelerometer": [],
    "camera": [],
    "geolocation": [],
    "gyroscope": [],
    "magnetometer": [],
    "microphone": [],
    "usb": [],
    # Stripe's payment pages run on their own origin; ours never ask for Payment Request.
    "payment": [],
}
