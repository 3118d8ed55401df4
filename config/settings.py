"""Camino's settings: one module, every deployment-specific value read from the environment.

Defaults are for development only (SQLite and a server-less broker under ``var/``). With
``DJANGO_DEBUG=false`` a missing secret key or host list stops start-up instead of running insecurely.
Every variable is listed in the README's environment table.
"""

import os
from pathlib import Path

import environ
from django.core.exceptions import ImproperlyConfigured
from django.utils.translation import gettext_lazy as _

BASE_DIR = Path(__file__).resolve().parent.parent
VAR_DIR = BASE_DIR / "var"
VAR_DIR.mkdir(exist_ok=True)

env = environ.Env()

# pytest (8.2+) sets PYTEST_VERSION for the run and every process it starts (e.g. a test's Celery
# worker): tests then use their own broker folder and queue, so a `make run` worker on the same
# machine never takes a test's task, and vice versa.
TESTING = "PYTEST_VERSION" in os.environ
# Several test runs on one machine (e.g. two checkouts) keep apart by setting CAMINO_TEST_ID.
_TEST_ID = env("CAMINO_TEST_ID", default="")
_TEST_SUFFIX = f"-{_TEST_ID}" if _TEST_ID else ""

DEBUG = env.bool("DJANGO_DEBUG", default=True)

_DEV_SECRET_KEY = "django-insecure-camino-development-only"  # noqa: S105 - refused when DEBUG is off
SECRET_KEY = env("DJANGO_SECRET_KEY", default=_DEV_SECRET_KEY if DEBUG else "")
ALLOWED_HOSTS = env.list(
    "DJANGO_ALLOWED_HOSTS", default=["localhost", "127.0.0.1", "[::1]", "testserver"] if DEBUG else []
)

if not DEBUG:
    # Fail loudly rather than serve production with a guessable key or an open Host header.
    if not SECRET_KEY or SECRET_KEY == _DEV_SECRET_KEY or len(SECRET_KEY) < 50:
        raise ImproperlyConfigured(
            "DJANGO_SECRET_KEY must be set to a random value of at least 50 characters "
            "when DJANGO_DEBUG=false."
        )
    if not ALLOWED_HOSTS:
        raise ImproperlyConfigured("DJANGO_ALLOWED_HOSTS must be set when DJANGO_DEBUG=false.")

CSRF_TRUSTED_ORIGINS = env.list("DJANGO_CSRF_TRUSTED_ORIGINS", default=[])
SITE_URL = env("SITE_URL", default="http://127.0.0.1:8000").rstrip("/")

INSTALLED_APPS = [
    # Django's admin with Camino's site (two-factor login, staff dashboard) as admin.site.
    "accounts.admin_apps.CaminoAdminConfig",
    "django.contrib.auth",
    "django.contrib.contenttypes",
    "django.contrib.sessions",
    "django.contrib.messages",
    "whitenoise.runserver_nostatic",
    "django.contrib.staticfiles",
    "django.contrib.humanize",
    "django.contrib.sitemaps",
    "crispy_forms",
    "crispy_bootstrap5",
    "bootstrap",
    "sorl.thumbnail",
    "simple_history",
    "axes",
    "django_otp",
    "django_otp.plugins.otp_totp",
    "csp",
    "accounts",
    "core",
    "stories",
    "donations",
    "congress",
    "advocacy",
    "staff",
]

MIDDLEWARE = [
    "log_request_id.middleware.RequestIDMiddleware",
    "django.middleware.security.SecurityMiddleware",
    "whitenoise.middleware.WhiteNoiseMiddleware",
    "django.contrib.sessions.middleware.SessionMiddleware",
    "django.middleware.locale.LocaleMiddleware",
    "django.middleware.common.CommonMiddleware",
    "django.middleware.csrf.CsrfViewMiddleware",
    "django.contrib.auth.middleware.AuthenticationMiddleware",
    "django_otp.middleware.OTPMiddleware",
    "django.contrib.messages.middleware.MessageMiddleware",
    "django.middleware.clickjacking.XFrameOptionsMiddleware",
    "accounts.middleware.CaminoCSPMiddleware",
    "django_permissions_policy.PermissionsPolicyMiddleware",
    "simple_history.middleware.HistoryRequestMiddleware",
    # Last, as django-axes requires: turns a locked-out login into its 429 page.
    "axes.middleware.AxesMiddleware",
]

AUTHENTICATION_BACKENDS = [
    # First: refuses a locked-out username+address before the password is even checked.
    "accounts.backends.LoginAttemptsBackend",
    "django.contrib.auth.backends.ModelBackend",
]

# Benchmarks swap in bench.urls (the site plus a bare baseline view) through this variable.
ROOT_URLCONF = env("DJANGO_ROOT_URLCONF", default="config.urls")
WSGI_APPLICATION = "config.wsgi.application"

TEMPLATES = [
    {
        "BACKEND": "django.template.backends.django.DjangoTemplates",
        "DIRS": [BASE_DIR / "templates"],
        "APP_DIRS": True,
        "OPTIONS": {
            "context_processors": [
                "django.template.context_processors.request",
                "django.contrib.auth.context_processors.auth",
                "django.contrib.messages.context_processors.messages",
                "core.context_processors.site",
            ],
        },
    },
]

# --- Database -------------------------------------------------------------------------------
DATABASES = {"default": env.db("DATABASE_URL", default=f"sqlite:///{VAR_DIR / 'camino.sqlite3'}")}
if DATABASES["default"]["ENGINE"] == "django.db.backends.sqlite3":
    # A file, not memory, for the test database too: a Celery worker in another process must see
    # what the tests commit. WAL lets the web process and the worker read while one writes.
    DATABASES["default"]["TEST"] = {"NAME": str(VAR_DIR / f"test_camino{_TEST_SUFFIX}.sqlite3")}
    DATABASES["default"]["OPTIONS"] = {
        "timeout": 20,
        "init_command": "PRAGMA journal_mode=WAL; PRAGMA synchronous=NORMAL;",
        "transaction_mode": "IMMEDIATE",
    }
else:
    if _TEST_ID:
        DATABASES["default"]["TEST"] = {"NAME": f"test_{DATABASES['default']['NAME']}_{_TEST_ID}"}
    DATABASES["default"]["CONN_MAX_AGE"] = env.int("DATABASE_CONN_MAX_AGE", default=60)
    DATABASES["default"]["CONN_HEALTH_CHECKS"] = True
# Services own their transactions, so no transaction stays open while a view talks to Stripe.
DATABASES["default"]["ATOMIC_REQUESTS"] = False
DEFAULT_AUTO_FIELD = "django.db.models.BigAutoField"

AUTH_USER_MODEL = "accounts.User"
AUTH_PASSWORD_VALIDATORS = [
    {"NAME": "django.contrib.auth.password_validation.UserAttributeSimilarityValidator"},
    {"NAME": "django.contrib.auth.password_validation.MinimumLengthValidator"},
    {"NAME": "django.contrib.auth.password_validation.CommonPasswordValidator"},
    {"NAME": "django.contrib.auth.password_validation.NumericPasswordValidator"},
]
LOGIN_URL = "admin:login"
if TESTING:
    # Hashing with a fast algorithm keeps tests that create users quick; never used outside tests.
    PASSWORD_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]

# --- Cache ----------------------------------------------------------------------------------
# A file cache by default: shared by every process on the machine, as rate limits need. Production
# uses Redis (CACHE_URL=rediscache://...). A filecache:// URL gets core.cache.FileCache, whose
# counters stay exact when several processes count at once, and room for more than Django's default
# 300 entries (each rate-limited email and IP address is one), unless the URL's ?max_entries= says.
CACHES = {
    "default": env.cache(
        "CACHE_URL", default=f"filecache://{VAR_DIR / (f'test-cache{_TEST_SUFFIX}' if TESTING else 'cache')}"
    )
}
if CACHES["default"]["BACKEND"] == "django.core.cache.backends.filebased.FileBasedCache":
    CACHES["default"]["BACKEND"] = "core.cache.FileCache"
    CACHES["default"].setdefault("OPTIONS", {}).setdefault("MAX_ENTRIES", 10_000)

# --- Internationalisation -------------------------------------------------------------------
LANGUAGE_CODE = "en-us"
# Only languages the site has a translation for: offering Spanish before locale/es exists gave
# Spanish-speaking browsers English pages marked lang="es" with Django's own messages in Spanish
# ("Este campo es obligatorio." under an English label). Add ("es", _("Spanish")) with its catalog.
LANGUAGES = [("en", _("English"))]
LOCALE_PATHS = [BASE_DIR / "locale"]
TIME_ZONE = env("TIME_ZONE", default="America/New_York")
USE_I18N = True
USE_TZ = True

# --- Static and media -----------------------------------------------------------------------
STATIC_URL = "/static/"
STATIC_ROOT = BASE_DIR / "staticfiles"
STATICFILES_DIRS = [BASE_DIR / "static"]
MEDIA_URL = "/media/"
MEDIA_ROOT = Path(env("MEDIA_ROOT", default=str(VAR_DIR / "media")))
STORAGES = {
    "default": {"BACKEND": "django.core.files.storage.FileSystemStorage"},
    "staticfiles": {
        "BACKEND": "whitenoise.storage.CompressedManifestStaticFilesStorage"
        if not DEBUG
        else "django.contrib.staticfiles.storage.StaticFilesStorage"
    },
}
# In development whitenoise finds files in the apps directly (no collectstatic needed).
WHITENOISE_USE_FINDERS = DEBUG
WHITENOISE_AUTOREFRESH = DEBUG

CRISPY_ALLOWED_TEMPLATE_PACKS = "bootstrap5"
CRISPY_TEMPLATE_PACK = "bootstrap5"

# --- Email ----------------------------------------------------------------------------------
EMAIL_CONFIG = env.email_url("EMAIL_URL", default="consolemail://")
vars().update(EMAIL_CONFIG)
DEFAULT_FROM_EMAIL = env("DEFAULT_FROM_EMAIL", default="Camino <hello@camino.example.org>")
SERVER_EMAIL = DEFAULT_FROM_EMAIL

# --- Celery ---------------------------------------------------------------------------------
CELERY_BROKER_URL = env("CELERY_BROKER_URL", default="filesystem://")
if CELERY_BROKER_URL.startswith("filesystem://"):
    # The server-less default: messages are files under var/broker, shared by every process on
    # this machine. Production uses Redis (CELERY_BROKER_URL=redis://...).
    _broker_dir = Path(
        env("CELERY_BROKER_FOLDER", default=str(VAR_DIR / (f"test-broker{_TEST_SUFFIX}" if TESTING else "broker")))
    )
    for _sub in ("queue", "processed", "control"):
        (_broker_dir / _sub).mkdir(parents=True, exist_ok=True)
    CELERY_BROKER_TRANSPORT_OPTIONS = {
        "data_folder_in": str(_broker_dir / "queue"),
        "data_folder_out": str(_broker_dir / "queue"),
        "processed_folder": str(_broker_dir / "processed"),
        "control_folder": str(_broker_dir / "control"),
        "store_processed": False,
        # The transport sleeps this long whenever the queue looks empty; Kombu's 1 s default
        # makes a worker with prefetch 1 idle a second between small batches.
        "polling_interval": 0.1,
    }
else:
    CELERY_BROKER_TRANSPORT_OPTIONS = {"visibility_timeout": 3600}
CELERY_BROKER_CONNECTION_RETRY_ON_STARTUP = True
CELERY_TASK_SERIALIZER = "json"
CELERY_RESULT_SERIALIZER = "json"
CELERY_ACCEPT_CONTENT = ["json"]
CELERY_TASK_IGNORE_RESULT = True
CELERY_TASK_TIME_LIMIT = 300
CELERY_TASK_SOFT_TIME_LIMIT = 240
CELERY_WORKER_PREFETCH_MULTIPLIER = 1
CELERY_WORKER_HIJACK_ROOT_LOGGER = False
CELERY_TIMEZONE = TIME_ZONE
CELERY_TASK_DEFAULT_QUEUE = env("CELERY_QUEUE", default=f"camino-test{_TEST_SUFFIX}" if TESTING else "camino")
CELERY_BEAT_SCHEDULE = {
    "worker-heartbeat": {"task": "core.tasks.worker_heartbeat_task", "schedule": 60.0},
}

# --- Logging: stdout, with a request id, no personal data -----------------------------------
LOG_REQUEST_ID_HEADER = "HTTP_X_REQUEST_ID"
GENERATE_REQUEST_ID_IF_NOT_IN_HEADER = True
REQUEST_ID_RESPONSE_HEADER = "X-Request-ID"
LOG_LEVEL = env("LOG_LEVEL", default="INFO")
LOGGING = {
    "version": 1,
    "disable_existing_loggers": False,
    "filters": {
        "request_id": {"()": "log_request_id.filters.RequestIDFilter"},
        "redact": {"()": "core.logging.RedactPersonalDataFilter"},
    },
    "formatters": {
        # UTC, like gunicorn's lines (config/gunicorn.py): one console, one zone.
        "plain": {
            "class": "core.logging.UTCFormatter",
            "format": "%(asctime)s %(levelname)s [%(request_id)s] %(name)s: %(message)s",
        },
    },
    "handlers": {
        "stdout": {
            "class": "logging.StreamHandler",
            "stream": "ext://sys.stdout",
            "filters": ["request_id", "redact"],
            "formatter": "plain",
        },
    },
    "root": {"handlers": ["stdout"], "level": LOG_LEVEL},
    "loggers": {
        "django.db.backends": {"level": "WARNING"},
    },
}

# --- Security (production) ------------------------------------------------------------------
SECURE_PROXY_SSL_HEADER = ("HTTP_X_FORWARDED_PROTO", "https")
SECURE_CONTENT_TYPE_NOSNIFF = True
SECURE_REFERRER_POLICY = "same-origin"
X_FRAME_OPTIONS = "DENY"
if not DEBUG:
    SECURE_SSL_REDIRECT = env.bool("DJANGO_SECURE_SSL_REDIRECT", default=True)
    # The load balancer's health check speaks plain HTTP.
    SECURE_REDIRECT_EXEMPT = [r"^healthz$"]
    SESSION_COOKIE_SECURE = True
    CSRF_COOKIE_SECURE = True
    SECURE_HSTS_SECONDS = env.int("DJANGO_SECURE_HSTS_SECONDS", default=60 * 60 * 24 * 365)
    SECURE_HSTS_INCLUDE_SUBDOMAINS = True
    SECURE_HSTS_PRELOAD = env.bool("DJANGO_SECURE_HSTS_PRELOAD", default=True)

# --- The organisation -----------------------------------------------------------------------
ORGANIZATION_NAME = env("ORGANIZATION_NAME", default="Camino")
ORGANIZATION_LEGAL_NAME = env("ORGANIZATION_LEGAL_NAME", default="Camino for Children, Inc.")
ORGANIZATION_EIN = env("ORGANIZATION_EIN", default="00-0000000")
ORGANIZATION_ADDRESS = env("ORGANIZATION_ADDRESS", default="1 Example Street, Washington, DC 20001")

# --- Stories (issue: story library) ---------------------------------------------------------
# Anonymous visitors get public story pages from the cache for this many seconds (0 turns the
# cache off); any edit made through the services empties it at once. Kept short because the Give
# Today and Tell Congress modules on those pages show live totals.
STORIES_PAGE_CACHE_SECONDS = env.int("STORIES_PAGE_CACHE_SECONDS", default=60)
STORIES_PER_PAGE = env.int("STORIES_PER_PAGE", default=12)
# Uploaded photos: a size cap, and dimensions large enough for the page yet bounded, so a
# decompression bomb never reaches Pillow's full decode.
STORIES_IMAGE_MAX_BYTES = env.int("STORIES_IMAGE_MAX_BYTES", default=8 * 1024 * 1024)
STORIES_IMAGE_MIN_DIMENSIONS = (
    env.int("STORIES_IMAGE_MIN_WIDTH", default=600),
    env.int("STORIES_IMAGE_MIN_HEIGHT", default=300),
)
STORIES_IMAGE_MAX_SIDE = env.int("STORIES_IMAGE_MAX_SIDE", default=8000)

# --- Donations (issue: Stripe donations) ----------------------------------------------------
# With no secret key the site runs a clearly labelled demo processor, and only while DEBUG is on:
# with DJANGO_DEBUG=false and no key, checkout is refused at use (donations.services).
STRIPE_SECRET_KEY = env("STRIPE_SECRET_KEY", default="")
STRIPE_WEBHOOK_SECRET = env("STRIPE_WEBHOOK_SECRET", default="")
# Tests and local stand-ins point the SDK elsewhere; production leaves Stripe's own address.
STRIPE_API_BASE = env("STRIPE_API_BASE", default="https://api.stripe.com")
# Optional: a Customer Portal configuration id (bpc_...); blank uses the account's default one.
STRIPE_PORTAL_CONFIGURATION = env("STRIPE_PORTAL_CONFIGURATION", default="")
DONATION_CURRENCY = env("DONATION_CURRENCY", default="usd")
DONATION_MIN_CENTS = env.int("DONATION_MIN_CENTS", default=500)  # $1 gifts are card testers' favourite
DONATION_MAX_CENTS = env.int("DONATION_MAX_CENTS", default=2_500_000)
# "Cover the fee" adds what the processor keeps: percent of the total plus a fixed amount.
DONATION_FEE_PERCENT = env.float("DONATION_FEE_PERCENT", default=2.2)
DONATION_FEE_FIXED_CENTS = env.int("DONATION_FEE_FIXED_CENTS", default=30)
DONATION_MANAGE_LINK_MAX_AGE = env.int("DONATION_MANAGE_LINK_MAX_AGE", default=60 * 60 * 24)  # seconds
# django-ratelimit rates ("count/period") on checkout creation and manage-link requests.
DONATION_RATE_LIMIT_IP = env("DONATION_RATE_LIMIT_IP", default="10/h")
DONATION_RATE_LIMIT_EMAIL = env("DONATION_RATE_LIMIT_EMAIL", default="5/h")
# How many proxies (load balancer...) add to X-Forwarded-For in front of the app; 0 uses REMOTE_ADDR.
DONATION_TRUSTED_PROXIES = env.int("DONATION_TRUSTED_PROXIES", default=0)
# A broker outage only delays: stored events and unsent receipts are queued again every few minutes.
CELERY_BEAT_SCHEDULE["donations-sweep"] = {"task": "donations.tasks.donations_sweep_task", "schedule": 300.0}

# --- Congress data and lookup (issue: Tell Congress) ---------------------------------------
# Where `load_legislators` and `load_zip_districts` download from when given no --file.
LEGISLATORS_URL = env(
    "LEGISLATORS_URL", default="https://unitedstates.github.io/congress-legislators/legislators-current.json"
)
ZIP_DISTRICTS_URL = env(
    "ZIP_DISTRICTS_URL",
    default="https://raw.githubusercontent.com/OpenSourceActivismTech/us-zipcodes-congress/master/zccd.csv",
)
# Default source of `load_senate_cwc_offices`: the Senate offices that take CWC messages.
CWC_SENATE_ACTIVE_OFFICES_URL = env(
    "CWC_SENATE_ACTIVE_OFFICES_URL", default="https://soapbox.senate.gov/api/active_offices.json"
)
CONGRESS_DATA_TIMEOUT = env.float("CONGRESS_DATA_TIMEOUT", default=60.0)
# The Congress whose districts the loaded data describe (zccd.csv and congress-legislators: 119th);
# the geocoder's answer for this Congress wins when it also returns the next one's districts.
CONGRESS_NUMBER = env.int("CONGRESS_NUMBER", default=119)
# The US Census geocoder (free, no key) places a street address in its district when the ZIP spans
# several. Empty switches it off: supporters then choose among the ZIP's districts. Tests default to
# off so no test reaches the internet; geocoder tests point it at tests/fakes/census_geocoder.py.
CENSUS_GEOCODER_URL = env(
    "CENSUS_GEOCODER_URL",
    default="" if TESTING else "https://geocoding.geo.census.gov/geocoder/geographies/address",
)
CENSUS_GEOCODER_BENCHMARK = env("CENSUS_GEOCODER_BENCHMARK", default="Public_AR_Current")
CENSUS_GEOCODER_VINTAGE = env("CENSUS_GEOCODER_VINTAGE", default="Current_Current")
# Short: the supporter is waiting on the page, and the fallback (choosing a district) is always there.
CENSUS_GEOCODER_TIMEOUT = env.float("CENSUS_GEOCODER_TIMEOUT", default=5.0)
CENSUS_GEOCODER_CACHE_SECONDS = env.int("CENSUS_GEOCODER_CACHE_SECONDS", default=60 * 60 * 24)

# --- Advocacy (issue: Tell Congress) --------------------------------------------------------
# Communicating with Congress. The House needs an allow-listed IP and a key from its vendor
# programme; DeliveryAgent must be the key owner's legal name. See docs/advocacy.md.
CWC_API_BASE = env("CWC_API_BASE", default="https://test-cwc.house.gov").rstrip("/")
CWC_API_KEY = env("CWC_API_KEY", default="")
# The Senate's CWC (SOAPBox) is a service of its own, with its own key; only about half the Senate
# offices take it (`load_senate_cwc_offices` marks which). A full URL, because the test and
# production paths differ (.../api/testing-messages/, .../api/production-messages/).
CWC_SENATE_API_URL = env("CWC_SENATE_API_URL", default="https://soapbox.senate.gov/api/testing-messages/")
CWC_SENATE_API_KEY = env("CWC_SENATE_API_KEY", default="")
CWC_TIMEOUT = env.float("CWC_TIMEOUT", default=20.0)
CWC_DELIVERY_AGENT = env("CWC_DELIVERY_AGENT", default=ORGANIZATION_LEGAL_NAME)
CWC_DELIVERY_AGENT_ACK_EMAIL = env("CWC_DELIVERY_AGENT_ACK_EMAIL", default="cwc-ack@camino.example.org")
CWC_DELIVERY_AGENT_CONTACT_NAME = env("CWC_DELIVERY_AGENT_CONTACT_NAME", default="Camino Advocacy Team")
CWC_DELIVERY_AGENT_CONTACT_EMAIL = env("CWC_DELIVERY_AGENT_CONTACT_EMAIL", default="advocacy@camino.example.org")
CWC_DELIVERY_AGENT_CONTACT_PHONE = env("CWC_DELIVERY_AGENT_CONTACT_PHONE", default="202-555-0100")
CWC_ORGANIZATION = env("CWC_ORGANIZATION", default=ORGANIZATION_NAME)
CWC_ORGANIZATION_CONTACT_NAME = env("CWC_ORGANIZATION_CONTACT_NAME", default="")
CWC_ORGANIZATION_CONTACT_EMAIL = env("CWC_ORGANIZATION_CONTACT_EMAIL", default="")
CWC_ORGANIZATION_CONTACT_PHONE = env("CWC_ORGANIZATION_CONTACT_PHONE", default="")
CWC_ORGANIZATION_ABOUT = env(
    "CWC_ORGANIZATION_ABOUT", default="A campaign for the rights of children who migrate from Central America."
)
# Delivery backends per kind of target: cwc, email, console or file. Development prints letters
# on the worker's console; production sends members through CWC and custom targets by email.
DELIVERY_BACKEND_CONGRESS = env("DELIVERY_BACKEND_CONGRESS", default="console" if DEBUG else "cwc")
DELIVERY_BACKEND_CUSTOM = env("DELIVERY_BACKEND_CUSTOM", default="console" if DEBUG else "email")
# For offices that take no CWC and gave no email address.
DELIVERY_BACKEND_FALLBACK = env("DELIVERY_BACKEND_FALLBACK", default="console" if DEBUG else "email")
DELIVERY_FILE_PATH = env("DELIVERY_FILE_PATH", default=str(VAR_DIR / "deliveries.jsonl"))
DELIVERY_MAX_ATTEMPTS = env.int("DELIVERY_MAX_ATTEMPTS", default=6)
DELIVERY_RETRY_BACKOFF = env.float("DELIVERY_RETRY_BACKOFF", default=30.0)  # seconds, doubled per attempt
DELIVERY_RETRY_BACKOFF_MAX = env.float("DELIVERY_RETRY_BACKOFF_MAX", default=600.0)
# Longer than the longest backoff, so the sweeper never races a scheduled retry.
DELIVERY_STUCK_AFTER = env.int("DELIVERY_STUCK_AFTER", default=900)
DELIVERY_SWEEP_INTERVAL = env.float("DELIVERY_SWEEP_INTERVAL", default=300.0)
DELIVERY_SWEEP_BATCH = env.int("DELIVERY_SWEEP_BATCH", default=5000)
# Sends per second per backend, for all workers together (0: no limit).
DELIVERY_RATE_LIMITS = {
    "cwc": env.int("DELIVERY_RATE_LIMIT_CWC", default=5),  # the House
    "cwc_senate": env.int("DELIVERY_RATE_LIMIT_CWC_SENATE", default=5),  # it asks for 5-10 at most
    "email": env.int("DELIVERY_RATE_LIMIT_EMAIL", default=10),
    "console": env.int("DELIVERY_RATE_LIMIT_CONSOLE", default=0),
    "file": env.int("DELIVERY_RATE_LIMIT_FILE", default=0),
}
# Without CWC_API_KEY a CWC delivery fails with that reason (visible in the admin, retryable once
# the key is set) rather than stopping start-up: the rest of the site works without it.
# Letter submissions (django-ratelimit rates) per IP address and per email address.
ADVOCACY_SIGN_RATE_IP = env("ADVOCACY_SIGN_RATE_IP", default="20/h")
ADVOCACY_SIGN_RATE_EMAIL = env("ADVOCACY_SIGN_RATE_EMAIL", default="5/h")
# How old the letter counters on the public campaign pages may be (0: count on every request).
ADVOCACY_PROGRESS_CACHE_SECONDS = env.int("ADVOCACY_PROGRESS_CACHE_SECONDS", default=10)
# Campaign page views are counted in the cache and written to the database this often (seconds).
CAMPAIGN_VIEWS_FLUSH_INTERVAL = env.float("CAMPAIGN_VIEWS_FLUSH_INTERVAL", default=60.0)
CELERY_BEAT_SCHEDULE["campaign-views-flush"] = {
    "task": "advocacy.tasks.campaign_views_flush_task",
    "schedule": CAMPAIGN_VIEWS_FLUSH_INTERVAL,
}
CELERY_BEAT_SCHEDULE["delivery-sweep"] = {
    "task": "advocacy.tasks.deliveries_sweep_task",
    "schedule": DELIVERY_SWEEP_INTERVAL,
}

# --- Staff operations (issue: roles, dashboard, hardening) ----------------------------------
# Admin login rate limit (django-axes): after AXES_FAILURE_LIMIT wrong passwords for one username
# from one address, that pair is refused for AXES_COOLOFF_MINUTES. Keyed on the pair, not the
# username alone, so nobody can lock a colleague out by guessing at their name.
AXES_FAILURE_LIMIT = env.int("AXES_FAILURE_LIMIT", default=5)
AXES_COOLOFF_TIME = env.int("AXES_COOLOFF_MINUTES", default=30) / 60  # hours, as axes reads a float
AXES_LOCKOUT_PARAMETERS = [["username", "ip_address"]]
AXES_RESET_ON_SUCCESS = True
AXES_LOCKOUT_TEMPLATE = "admin/accounts/lockout.html"
AXES_CLIENT_IP_CALLABLE = "accounts.security.client_ip"
# Proxies in front of the site that append to X-Forwarded-For (a load balancer: 1). 0 trusts no
# header and uses the connection's address.
TRUSTED_PROXY_COUNT = env.int("DJANGO_TRUSTED_PROXY_COUNT", default=0)
AXES_VERBOSE = False  # its start-up banner is noise in every management command
# Axes notes every login at INFO; the access log table keeps that record, the stream keeps problems.
LOGGING["loggers"]["axes"] = {"level": "WARNING"}

# Two-factor (django-otp, TOTP): optional; whoever enrolled must use it. The issuer is the name
# authenticator apps show next to the code.
OTP_TOTP_ISSUER = env("OTP_TOTP_ISSUER", default=ORGANIZATION_NAME)
OTP_ADMIN_HIDE_SENSITIVE_DATA = True  # superusers reset devices; nobody re-reads a secret

# Content-Security-Policy (django-csp). No 'unsafe-inline' anywhere on the public site: scripts and
# styles come from our static files. Stripe's hosts are the ones Stripe documents for Checkout and
# the customer portal (form-action also governs the redirect after a form posts).
_STRIPE_FORM_TARGETS = ["https://checkout.stripe.com", "https://billing.stripe.com"]
CONTENT_SECURITY_POLICY = {
    "DIRECTIVES": {
        "default-src": ["'self'"],
        "script-src": ["'self'", "https://js.stripe.com"],
        "style-src": ["'self'"],
        # data: for the small SVG icons inside Bootstrap's stylesheet (selects, close buttons).
        "img-src": ["'self'", "data:"],
        "font-src": ["'self'"],
        "connect-src": ["'self'", "https://api.stripe.com"],
        "frame-src": ["https://js.stripe.com", "https://hooks.stripe.com"],
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

# Staff dashboard: its figures are cached this long (seconds); warnings are always live. A worker
# whose last heartbeat is older than STAFF_WORKER_SILENT_MINUTES raises a warning (beat sends one a
# minute); deliveries count as stuck after the advocacy app's DELIVERY_STUCK_AFTER.
STAFF_DASHBOARD_CACHE_SECONDS = env.int("STAFF_DASHBOARD_CACHE_SECONDS", default=60)
STAFF_WORKER_SILENT_MINUTES = env.int("STAFF_WORKER_SILENT_MINUTES", default=5)
