"""Camino's settings, read from the environment: every server process (web, worker, beat, manage.py)
loads them through ``config.settings.production``, the test run through ``config.settings.test``.

The defaults are production's: ``DJANGO_DEBUG`` is false unless set, and then a missing secret key
or host list stops start-up (``production.py``). ``make run`` sets ``DJANGO_DEBUG=true`` for a local
site on SQLite and the embedded broker under ``var/``. Every variable is in the README's table.

This module holds Django's own and the infrastructure's settings; ``security.py`` the headers,
logins and content policy; ``campaign.py`` what each of Camino's apps reads. The beat schedule
is written once, at the end of this module.
"""

from pathlib import Path

from kombu import Exchange, Queue

from .environment import BASE_DIR, DEBUG, VAR_DIR, env

# Only for a local site (DEBUG on); production.py refuses it.
DEV_SECRET_KEY = "django-insecure-camino-development-only"  # noqa: S105
SECRET_KEY = env("DJANGO_SECRET_KEY", default=DEV_SECRET_KEY if DEBUG else "")
ALLOWED_HOSTS = env.list(
    "DJANGO_ALLOWED_HOSTS", default=["localhost", "127.0.0.1", "[::1]", "testserver"] if DEBUG else []
)
CSRF_TRUSTED_ORIGINS = env.list("DJANGO_CSRF_TRUSTED_ORIGINS", default=[])
# A form sent after its CSRF cookie expired gets the site's (or the admin's) page saying what to do.
CSRF_FAILURE_VIEW = "core.errors.csrf_failure"
# The address in emails (receipts, manage links, letter status links). `make run` sets it from PORT.
SITE_URL = env("SITE_URL", default="http://127.0.0.1:8000").rstrip("/")

INSTALLED_APPS = [
    # Before the admin: it patches the admin's widgets for the _en/_es fields (content in both
    # languages, registered in each app's translation.py).
    "modeltranslation",
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
    # axes and otp_totp under Camino's names for them, translated (accounts/third_party_apps.py).
    "accounts.third_party_apps.LoginLockoutsConfig",
    "django_otp",
    "accounts.third_party_apps.TwoFactorDevicesConfig",
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
    # A NUL in the query string is a 400, not a database error (core/middleware.py).
    "core.middleware.nul_in_query_refused",
    "whitenoise.middleware.WhiteNoiseMiddleware",
    "django.contrib.sessions.middleware.SessionMiddleware",
    # Django's LocaleMiddleware with the first-visit rule (Accept-Language only picks the first
    # language, the remembered choice wins) and the admin by cookie/header: core/middleware.py.
    "core.middleware.CaminoLocaleMiddleware",
    "django.middleware.common.CommonMiddleware",
    "django.middleware.csrf.CsrfViewMiddleware",
    "django.contrib.auth.middleware.AuthenticationMiddleware",
    # Staff sessions: STAFF_SESSION_HOURS at most, STAFF_SESSION_IDLE_MINUTES idle.
    "accounts.sessions.StaffSessionTimeoutMiddleware",
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
    # WAL lets the web process and the worker read while one writes.
    DATABASES["default"]["OPTIONS"] = {
        "timeout": 20,
        "init_command": "PRAGMA journal_mode=WAL; PRAGMA synchronous=NORMAL;",
        "transaction_mode": "IMMEDIATE",
    }
else:
    DATABASES["default"]["CONN_MAX_AGE"] = env.int("DATABASE_CONN_MAX_AGE", default=60)
    DATABASES["default"]["CONN_HEALTH_CHECKS"] = True
# Services own their transactions, so no transaction stays open while a view talks to Stripe.
DATABASES["default"]["ATOMIC_REQUESTS"] = False
DEFAULT_AUTO_FIELD = "django.db.models.BigAutoField"

AUTH_USER_MODEL = "accounts.User"
AUTH_PASSWORD_VALIDATORS = [
    {"NAME": "django.contrib.auth.password_validation.UserAttributeSimilarityValidator"},
    # 12 characters at least (OWASP ASVS 2.1.1): staff passwords guard supporters' addresses.
    {"NAME": "django.contrib.auth.password_validation.MinimumLengthValidator", "OPTIONS": {"min_length": 12}},
    {"NAME": "django.contrib.auth.password_validation.CommonPasswordValidator"},
    {"NAME": "django.contrib.auth.password_validation.NumericPasswordValidator"},
]
LOGIN_URL = "admin:login"
# --- Cache ----------------------------------------------------------------------------------
# A file cache by default: shared by every process on the machine, as rate limits need. Production
# uses Redis (CACHE_URL=rediscache://...). A filecache:// URL gets core.cache.FileCache, whose
# counters stay exact when several processes count at once, and room for more than Django's default
# 300 entries (each rate-limited email and IP address is one), unless the URL's ?max_entries= says.
CACHES = {
    "default": env.cache(
        "CACHE_URL", default=f"filecache://{VAR_DIR / 'cache'}"
    )
}
if CACHES["default"]["BACKEND"] == "django.core.cache.backends.filebased.FileBasedCache":
    CACHES["default"]["BACKEND"] = "core.cache.FileCache"
    CACHES["default"].setdefault("OPTIONS", {}).setdefault("MAX_ENTRIES", 10_000)
elif CACHES["default"]["BACKEND"] == "django.core.cache.backends.redis.RedisCache":
    # A dead or frozen Redis must never fail or stall a page or a letter: core.cache.FailSafeRedisCache
    # answers a miss (limits fail open) after CACHE_SOCKET_TIMEOUT seconds, then leaves Redis alone for
    # CACHE_CIRCUIT_SECONDS in that process before trying again.
    _cache_timeout = env.float("CACHE_SOCKET_TIMEOUT", default=0.5)
    CACHES["default"]["BACKEND"] = "core.cache.FailSafeRedisCache"
    _cache_options = CACHES["default"].setdefault("OPTIONS", {})
    _cache_options.setdefault("socket_timeout", _cache_timeout)
    _cache_options.setdefault("socket_connect_timeout", _cache_timeout)
    _cache_options.setdefault("CIRCUIT_SECONDS", env.float("CACHE_CIRCUIT_SECONDS", default=5.0))

# --- Internationalization -------------------------------------------------------------------
# "en", not "en-us": i18n_patterns leaves only LANGUAGE_CODE's pages unprefixed, and the active
# language is "en" (LANGUAGES' code), so "en-us" would have given English pages an /en/ prefix.
LANGUAGE_CODE = "en"
# English at /..., Spanish at /es/... (config/urls.py, docs/i18n.md). Each name is written in its own
# language: the switcher and the admin show "Español" to the Spanish reader, whatever is active.
LANGUAGES = [("en", "English"), ("es", "Español")]
# The person's own choice (the switcher, set_language): remembered a year and winning over
# Accept-Language thereafter (core.middleware.CaminoLocaleMiddleware). Lax: followed from a link.
LANGUAGE_COOKIE_NAME = "django_language"
LANGUAGE_COOKIE_AGE = 365 * 24 * 3600
LANGUAGE_COOKIE_SAMESITE = "Lax"
LOCALE_PATHS = [BASE_DIR / "locale"]
# Content staff type (stories, agenda points, campaigns, appeals, home figures) in both languages:
# django-modeltranslation adds a <field>_en and <field>_es column per translated field (each app's
# translation.py). A Spanish reader sees the English text where the Spanish is still empty, rather
# than a blank headline; the admin marks which rows still lack Spanish.
MODELTRANSLATION_DEFAULT_LANGUAGE = "en"
MODELTRANSLATION_LANGUAGES = ("en", "es")
MODELTRANSLATION_FALLBACK_LANGUAGES = ("en",)
# Our date formats per language first, then Django's (config/formats/<lang>/formats.py).
FORMAT_MODULE_PATH = ["config.formats"]
TIME_ZONE = env("TIME_ZONE", default="America/New_York")
USE_I18N = True
USE_TZ = True

# --- Static and media -----------------------------------------------------------------------
STATIC_URL = "/static/"
STATIC_ROOT = Path(env("STATIC_ROOT", default=str(BASE_DIR / "staticfiles")))
STATICFILES_DIRS = [BASE_DIR / "static"]
# Uploaded photos. Two ways to serve them, chosen by the environment (README, "Uploaded media"):
# - on one machine, files under MEDIA_ROOT, served by the app itself (MEDIA_SERVE, on by default;
#   core.media adds long cache headers) or by the proxy in front of it (MEDIA_SERVE=false, a
#   `location /media/` pointing at MEDIA_ROOT);
# - on several machines, an S3-compatible bucket through django-storages (MEDIA_S3_BUCKET set):
#   the bucket serves them and MEDIA_URL is its address.
MEDIA_ROOT = Path(env("MEDIA_ROOT", default=str(VAR_DIR / "media")))
MEDIA_S3_BUCKET = env("MEDIA_S3_BUCKET", default="")
if MEDIA_S3_BUCKET:
    _media_storage = {
        "BACKEND": "storages.backends.s3.S3Storage",
        "OPTIONS": {
            "bucket_name": MEDIA_S3_BUCKET,
            "endpoint_url": env("MEDIA_S3_ENDPOINT_URL", default="") or None,
            "region_name": env("MEDIA_S3_REGION", default="") or None,
            "access_key": env("MEDIA_S3_ACCESS_KEY_ID", default="") or None,
            "secret_key": env("MEDIA_S3_SECRET_ACCESS_KEY", default="") or None,
            "custom_domain": env("MEDIA_S3_CUSTOM_DOMAIN", default="") or None,
            # Photos are public page images: plain URLs that browsers and caches can keep.
            "querystring_auth": False,
            # "public-read" where the bucket has no public-read policy of its own.
            "default_acl": env("MEDIA_S3_DEFAULT_ACL", default="") or None,
            "file_overwrite": False,
        },
    }
    MEDIA_URL = env("MEDIA_URL", default="")
    MEDIA_SERVE = False
else:
    _media_storage = {"BACKEND": "django.core.files.storage.FileSystemStorage"}
    MEDIA_URL = env("MEDIA_URL", default="/media/")
    MEDIA_SERVE = env.bool("MEDIA_SERVE", default=True)
STORAGES = {
    "default": _media_storage,
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
# Seconds an SMTP conversation may take; shorter than a send's claim (below), so a hung mail server
# can never let a second worker send the same receipt while the first is still talking.
EMAIL_TIMEOUT = env.int("EMAIL_TIMEOUT", default=30)
# "Send exactly once" claims (core.claims) are leases: a claim left by a killed worker is taken
# back after this many seconds. Longer than EMAIL_TIMEOUT and CWC_TIMEOUT.
CLAIM_LEASE_SECONDS = env.int("CLAIM_LEASE_SECONDS", default=90)

# --- Celery ---------------------------------------------------------------------------------
# A task running longer is killed (the soft limit raises inside it first).
CELERY_TASK_TIME_LIMIT = 300
CELERY_TASK_SOFT_TIME_LIMIT = 240
# The server-less default (no CELERY_BROKER_URL): core.embedded_broker, one SQLite file under
# var/broker shared by every process on this machine; production uses Redis. Measured against
# Kombu's own server-less transports (README, "The embedded broker"): with the filesystem transport a
# worker read a message file still being written and died (JSONDecodeError, celery/kombu #1551), and
# a killed worker lost the messages it held; with the SQLAlchemy transport a killed worker's messages
# never came back. Here a publish is one transaction, and a message stays until it is acknowledged.
_broker_dir = Path(env("CELERY_BROKER_FOLDER", default=str(VAR_DIR / "broker")))
CELERY_BROKER_URL = env("CELERY_BROKER_URL", default=f"sqlite:///{_broker_dir / 'broker.sqlite3'}")
if CELERY_BROKER_URL.startswith("sqlite://"):
    _broker_dir.mkdir(parents=True, exist_ok=True)
    CELERY_BROKER_TRANSPORT_OPTIONS = {
        # A worker looks for new messages this often (s) when it finds none, or all its slots are
        # busy: one indexed read. Measured: 0.1 s let it take 45 tasks/s, 0.02 s 250/s (the
        # filesystem broker: 160/s), for 0.8% of a CPU while idle.
        "polling_interval": 0.02,
        # A killed worker's unacknowledged messages are handed out again this long after it last
        # renewed them; a live worker renews its own every quarter of it, however long a task runs.
        "lease_seconds": env.float("CELERY_BROKER_LEASE_SECONDS", default=60.0),
    }
elif CELERY_BROKER_URL.startswith("filesystem://"):
    # Kombu's filesystem transport, only when asked for by name (see above for why not by default).
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
    # Redis hands a message not acknowledged within visibility_timeout to another worker. A bit more
    # than the longest a task may run (then it is killed): no running task is delivered twice, and a
    # killed worker's messages come back in minutes, not after an hour. A retry waiting for a longer
    # countdown may be delivered again meanwhile; harmless, as every send is claimed (core.claims).
    CELERY_BROKER_TRANSPORT_OPTIONS = {"visibility_timeout": CELERY_TASK_TIME_LIMIT + 60}
# A publish happens after a letter or gift is committed, inside the request: a frozen or refusing
# broker must cost it a moment, not a hung worker (core.dispatch; the sweepers queue what is left).
# On Redis every broker command and connect waits at most BROKER_SOCKET_TIMEOUT seconds; after a
# failed publish a process leaves tasks to the sweepers for BROKER_PUBLISH_BACKOFF_SECONDS.
BROKER_SOCKET_TIMEOUT = env.float("BROKER_SOCKET_TIMEOUT", default=0.5)
BROKER_PUBLISH_BACKOFF_SECONDS = env.float("BROKER_PUBLISH_BACKOFF_SECONDS", default=5.0)
if CELERY_BROKER_URL.startswith(("redis://", "rediss://")):
    CELERY_BROKER_TRANSPORT_OPTIONS.update(
        socket_timeout=BROKER_SOCKET_TIMEOUT, socket_connect_timeout=BROKER_SOCKET_TIMEOUT
    )
    CELERY_BROKER_CONNECTION_TIMEOUT = BROKER_SOCKET_TIMEOUT
    # Kombu's Redis transport with a fix: a worker holding a task when Redis dies survives it.
    CELERY_BROKER_TRANSPORT = "core.broker:Transport"
# /healthz answers within this many seconds whatever hangs (each check runs in its own thread).
HEALTHZ_TIMEOUT = env.float("HEALTHZ_TIMEOUT", default=2.0)
CELERY_BROKER_CONNECTION_RETRY_ON_STARTUP = True
CELERY_TASK_SERIALIZER = "json"
CELERY_RESULT_SERIALIZER = "json"
CELERY_ACCEPT_CONTENT = ["json"]
CELERY_TASK_IGNORE_RESULT = True
CELERY_WORKER_PREFETCH_MULTIPLIER = 1
CELERY_WORKER_HIJACK_ROOT_LOGGER = False
CELERY_TIMEZONE = TIME_ZONE
CELERY_TASK_DEFAULT_QUEUE = env("CELERY_QUEUE", default="camino")
# Deliveries wait on offices' systems: the House's CWC, the Senate's and the mail server each get a
# queue (advocacy.routing), so a slow one holds up only its own letters. The Procfile runs a worker
# per queue; a worker started without -Q (tests, a one-process setup) takes every queue below.
DELIVERY_QUEUES = {
    "cwc_house": f"{CELERY_TASK_DEFAULT_QUEUE}.cwc-house",
    "cwc_senate": f"{CELERY_TASK_DEFAULT_QUEUE}.cwc-senate",
    "other": f"{CELERY_TASK_DEFAULT_QUEUE}.deliveries",
}
CELERY_TASK_QUEUES = [
    Queue(name, Exchange(name), routing_key=name) for name in (CELERY_TASK_DEFAULT_QUEUE, *DELIVERY_QUEUES.values())
]
CELERY_TASK_ROUTES = ("advocacy.routing.route_task",)

# --- Logging: stdout, with a request id, no personal data -----------------------------------
# Every request gets an id of our own (a random uuid4), sent back as X-Request-ID. A client's
# X-Request-ID is never read: it went verbatim into every log line of its request (forged lines,
# a newline in it broke the response). No LOG_REQUEST_ID_HEADER, so django-log-request-id generates.
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
        # Axes notes every login at INFO; its access log table keeps that record, the stream problems.
        "axes": {"level": "WARNING"},
        # Libraries that log what they send: the geocoder's URL holds the street, Stripe's bodies the
        # donor. Filters on a logger apply to its own records before any handler (Sentry's too).
        "urllib3.connectionpool": {"filters": ["redact"]},
        "stripe": {"filters": ["redact"]},
        # Camino's modules that log tracebacks of unexpected errors (messages withheld) or outside
        # answers; a logger's filter is not inherited, so each is named.
        "advocacy.services.delivery": {"filters": ["redact"]},
        "donations.services.checkout": {"filters": ["redact"]},
        "donations.services.webhooks.events": {"filters": ["redact"]},
        "congress.geocoder": {"filters": ["redact"]},
        "core.dispatch": {"filters": ["redact"]},
        # Tracebacks of a failed request and of a failed task. A Celery worker replaces the root
        # logger's handlers with its own (no filters): a filter on the logger itself stays.
        "django.request": {"filters": ["redact"]},
        "celery.app.trace": {"filters": ["redact"]},
    },
}


# --- Security and Camino's own apps ---------------------------------------------------------
from .campaign import *  # noqa: E402, F403
from .campaign import (  # noqa: E402
    CAMPAIGN_VIEWS_FLUSH_INTERVAL,
    DELIVERY_SWEEP_INTERVAL,
    DONATIONS_SWEEP_INTERVAL,
    RETENTION_INTERVAL_HOURS,
)
from .security import *  # noqa: E402, F403
from .security import CONTENT_SECURITY_POLICY  # noqa: E402

if MEDIA_URL.startswith(("https://", "http://")):
    # Photos from a bucket's own address (django-storages): the policy must let pages show them.
    CONTENT_SECURITY_POLICY["DIRECTIVES"]["img-src"].append("/".join(MEDIA_URL.split("/", 3)[:3]))

# --- The beat schedule: every periodic task, in one place -----------------------------------
# Task names are the tasks' explicit name= (never derived from a module path), so moving a task's
# module never orphans an entry here or a message already queued.
CELERY_BEAT_SCHEDULE = {
    "worker-heartbeat": {"task": "core.tasks.worker_heartbeat_task", "schedule": 60.0},
    # A broker outage only delays: these find stored work whose message was lost and queue it again.
    "donations-sweep": {"task": "donations.tasks.donations_sweep_task", "schedule": DONATIONS_SWEEP_INTERVAL},
    "delivery-sweep": {"task": "advocacy.tasks.deliveries_sweep_task", "schedule": DELIVERY_SWEEP_INTERVAL},
    "letter-confirmations-sweep": {
        "task": "advocacy.tasks.letter_confirmations_sweep_task",
        "schedule": DELIVERY_SWEEP_INTERVAL,
    },
    "campaign-views-flush": {
        "task": "advocacy.tasks.campaign_views_flush_task",
        "schedule": CAMPAIGN_VIEWS_FLUSH_INTERVAL,
    },
    # The retention policy (core/retention.py, README "Privacy and retention"): expired sessions
    # (with their unsent letter drafts) cleared, letters' street, phone and own words erased.
    "retention-apply": {"task": "core.tasks.retention_apply_task", "schedule": RETENTION_INTERVAL_HOURS * 3600},
}
