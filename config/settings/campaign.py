"""What Camino's own apps read: the organization, stories, donations, Congress data, letters and
the staff dashboard. Each section names the issue that brought it; the README lists every variable."""

from .environment import DEBUG, VAR_DIR, env

# --- The organization -----------------------------------------------------------------------
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
# With no secret key the site runs a clearly labeled demo processor, and only while DEBUG is on:
# with DJANGO_DEBUG=false and no key, checkout is refused at use (donations.services).
STRIPE_SECRET_KEY = env("STRIPE_SECRET_KEY", default="")
STRIPE_WEBHOOK_SECRET = env("STRIPE_WEBHOOK_SECRET", default="")
# Tests and local stand-ins point the SDK elsewhere; production leaves Stripe's own address.
STRIPE_API_BASE = env("STRIPE_API_BASE", default="https://api.stripe.com")
# The Stripe API version Camino is built for: pinned on every API call (stripe_gateway) and
# expected on every webhook (create the endpoint with this api_version). Events in another version
# are still read where their shape is known, and the staff dashboard warns. Not an environment
# variable: code and version change together.
STRIPE_API_VERSION = "2026-10-28.endive"
# A webhook event that matches no gift yet (Stripe does not order its events) is tried again this
# many times, with backoff from STRIPE_EVENT_RETRY_SECONDS doubling up to 6 hours, then marked
# "unmatched" for staff. At most STRIPE_EVENT_WAKE_LIMIT waiting events are woken by one processed
# event, and the sweep queues at most STRIPE_EVENT_SWEEP_LIMIT per run.
STRIPE_EVENT_WAIT_ATTEMPTS = env.int("STRIPE_EVENT_WAIT_ATTEMPTS", default=10)
STRIPE_EVENT_RETRY_SECONDS = env.int("STRIPE_EVENT_RETRY_SECONDS", default=60)
STRIPE_EVENT_WAKE_LIMIT = 10
STRIPE_EVENT_SWEEP_LIMIT = env.int("STRIPE_EVENT_SWEEP_LIMIT", default=200)
# Optional: a Customer Portal configuration id (bpc_...); blank uses the account's default one.
STRIPE_PORTAL_CONFIGURATION = env("STRIPE_PORTAL_CONFIGURATION", default="")
# Where donors are sent to pay and to manage a monthly gift: Stripe's own hosts, or the account's
# custom checkout domain (e.g. pay.example.org). The content policy's form-action lists exactly
# these (security.py): a host missing here blocks every donor at the redirect.
_CHECKOUT_HOSTS = env.list("STRIPE_CHECKOUT_DOMAINS", default=["checkout.stripe.com", "billing.stripe.com"])
STRIPE_CHECKOUT_DOMAINS = [
    host.rstrip("/") if "://" in host else f"https://{host.rstrip('/')}"
    for host in map(str.strip, _CHECKOUT_HOSTS)
    if host
]
DONATION_CURRENCY = env("DONATION_CURRENCY", default="usd")
DONATION_MIN_CENTS = env.int("DONATION_MIN_CENTS", default=500)  # $1 gifts are card testers' favorite
DONATION_MAX_CENTS = env.int("DONATION_MAX_CENTS", default=2_500_000)
# "Cover the fee" adds what the processor keeps: percent of the total plus a fixed amount.
DONATION_FEE_PERCENT = env.float("DONATION_FEE_PERCENT", default=2.2)
DONATION_FEE_FIXED_CENTS = env.int("DONATION_FEE_FIXED_CENTS", default=30)
DONATION_MANAGE_LINK_MAX_AGE = env.int("DONATION_MANAGE_LINK_MAX_AGE", default=60 * 60 * 24)  # seconds
# django-ratelimit rates ("count/period") on checkout creation and manage-link requests.
DONATION_RATE_LIMIT_IP = env("DONATION_RATE_LIMIT_IP", default="10/h")
DONATION_RATE_LIMIT_EMAIL = env("DONATION_RATE_LIMIT_EMAIL", default="5/h")
# A broker outage only delays: stored events and unsent receipts are queued again this often (s).
DONATIONS_SWEEP_INTERVAL = env.float("DONATIONS_SWEEP_INTERVAL", default=300.0)

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
# several. Empty switches it off: supporters then choose among the ZIP's districts. The test settings
# switch it off so no test reaches the internet; geocoder tests point it at tests/fakes/census_geocoder.py.
CENSUS_GEOCODER_URL = env(
    "CENSUS_GEOCODER_URL",
    default="https://geocoding.geo.census.gov/geocoder/geographies/address",
)
CENSUS_GEOCODER_BENCHMARK = env("CENSUS_GEOCODER_BENCHMARK", default="Public_AR_Current")
CENSUS_GEOCODER_VINTAGE = env("CENSUS_GEOCODER_VINTAGE", default="Current_Current")
# Short: the supporter is waiting on the page, and the fallback (choosing a district) is always there.
# Seconds without an answer, and of the answer in all, before a call is given up. At 5 s, six
# split-ZIP submissions to a geocoder that never answered kept every page of a 2-worker site
# waiting 15 s (bench/geocoder_stall.py, docs/PERFORMANCE.md).
CENSUS_GEOCODER_TIMEOUT = env.float("CENSUS_GEOCODER_TIMEOUT", default=2.0)
# The circuit breaker: after this many failures in a row (timeouts, errors; 0 turns it off) every web
# worker skips the geocoder for CENSUS_GEOCODER_BREAKER_SECONDS and offers the district choice.
CENSUS_GEOCODER_BREAKER_FAILURES = env.int("CENSUS_GEOCODER_BREAKER_FAILURES", default=3)
CENSUS_GEOCODER_BREAKER_SECONDS = env.float("CENSUS_GEOCODER_BREAKER_SECONDS", default=300.0)
CENSUS_GEOCODER_CACHE_SECONDS = env.int("CENSUS_GEOCODER_CACHE_SECONDS", default=60 * 60 * 24)

# --- Advocacy (issue: Tell Congress) --------------------------------------------------------
# Communicating with Congress. The House needs an allow-listed IP and a key from its vendor
# program; DeliveryAgent must be the key owner's legal name. See docs/advocacy.md.
CWC_API_BASE = env("CWC_API_BASE", default="https://test-cwc.house.gov").rstrip("/")
CWC_API_KEY = env("CWC_API_KEY", default="")
# The Senate's CWC (SOAPBox) is a service of its own, with its own key; only about half the Senate
# offices take it (`load_senate_cwc_offices` marks which). A full URL, because the test and
# production paths differ (.../api/testing-messages/, .../api/production-messages/).
CWC_SENATE_API_URL = env("CWC_SENATE_API_URL", default="https://soapbox.senate.gov/api/testing-messages/")
CWC_SENATE_API_KEY = env("CWC_SENATE_API_KEY", default="")
# Seconds to connect, and to wait for the answer once the message is sent. A slow office answered
# after 30 s; every answer we stop waiting for is a post that may have arrived (and a later copy),
# so the read timeout is generous. DELIVERY_CLAIM_LEASE must exceed both together (a check says so).
CWC_CONNECT_TIMEOUT = env.float("CWC_CONNECT_TIMEOUT", default=5.0)
CWC_TIMEOUT = env.float("CWC_TIMEOUT", default=45.0)
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
# A delivery the office's system cannot take now (unreachable, 5xx, 429, maintenance) waits for the
# office and is tried again, with a backoff from DELIVERY_RETRY_BACKOFF seconds doubling up to
# DELIVERY_RETRY_BACKOFF_MAX, until this many hours have passed since its first attempt; then it
# fails (staff may retry it: a new budget). The House's and the Senate's maintenance windows last
# hours (daily 12-6 a.m. ET; Sun 12-6 and Wed 5-7 a.m. ET).
DELIVERY_RETRY_BUDGET_HOURS = env.float("DELIVERY_RETRY_BUDGET_HOURS", default=24.0)
DELIVERY_RETRY_BACKOFF = env.float("DELIVERY_RETRY_BACKOFF", default=30.0)  # seconds, doubled per attempt
# Half an hour: after an outage every letter goes within this (and the rate limit) of its end.
DELIVERY_RETRY_BACKOFF_MAX = env.float("DELIVERY_RETRY_BACKOFF_MAX", default=1800.0)
# A post the office never answered (a read timeout) may have arrived: the one more post allowed
# waits this many seconds, so a slow office has long finished saving the first copy.
DELIVERY_UNCONFIRMED_RETRY_AFTER = env.int("DELIVERY_UNCONFIRMED_RETRY_AFTER", default=2 * 60 * 60)
# A queued or sending delivery untouched this long lost its broker message: the sweeper queues it
# again. Waits longer than DELIVERY_SWEEP_INTERVAL are not broker messages at all (the sweeper takes
# a waiting delivery when it is due), so this need not exceed the backoff.
DELIVERY_STUCK_AFTER = env.int("DELIVERY_STUCK_AFTER", default=900)
# A sending worker's lease on its delivery: a worker killed mid-send holds it this long, then the
# next sweep queues the delivery again (so within DELIVERY_CLAIM_LEASE + DELIVERY_SWEEP_INTERVAL).
# Longer than the longest send (CWC_CONNECT_TIMEOUT + CWC_TIMEOUT, EMAIL_TIMEOUT) plus a margin: a check says so.
DELIVERY_CLAIM_LEASE = env.int("DELIVERY_CLAIM_LEASE", default=60)
# Also takes waiting deliveries once due, and sweeps confirmation emails whose task was lost.
DELIVERY_SWEEP_INTERVAL = env.float("DELIVERY_SWEEP_INTERVAL", default=60.0)
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
# "How did your call go?" buttons per IP address: a supporter with a few offices taps a few, maybe
# changes one; a script hammering the form gets 429.
ADVOCACY_CALL_REPORT_RATE_IP = env("ADVOCACY_CALL_REPORT_RATE_IP", default="30/h")
# Days a private letter status link works; a new one comes with each confirmation email.
ADVOCACY_STATUS_LINK_DAYS = env.int("ADVOCACY_STATUS_LINK_DAYS", default=30)
# How old the letter counters on the public campaign pages may be (0: count on every request).
ADVOCACY_PROGRESS_CACHE_SECONDS = env.int("ADVOCACY_PROGRESS_CACHE_SECONDS", default=10)
# Campaign page views are counted in the cache and written to the database this often (seconds).
CAMPAIGN_VIEWS_FLUSH_INTERVAL = env.float("CAMPAIGN_VIEWS_FLUSH_INTERVAL", default=60.0)

# --- Retention (issue 12: data kept only as long as it is needed) ----------------------------
# core.retention, run daily by beat. A letter's street address, phone and own words (and its
# deliveries' copy of those words) are erased this many days after every delivery of it is final
# (sent, or failed for good); its state, district, offices and counts stay. 0 turns it off.
RETENTION_LETTER_DAYS = env.int("RETENTION_LETTER_DAYS", default=30)
# Hours between runs (expired sessions cleared, letters erased, spent links deleted).
RETENTION_INTERVAL_HOURS = env.float("RETENTION_INTERVAL_HOURS", default=24.0)
# Login records (django-axes: a pseudonymized address and the user agent per login) are deleted
# after this many days.
RETENTION_LOGIN_RECORD_DAYS = env.int("RETENTION_LOGIN_RECORD_DAYS", default=90)
# A visitor's session (an unsent letter draft: name, street, phone, words) lives this many hours;
# the retention job then deletes it. Django's default of two weeks kept every abandoned draft that
# long. Staff sessions are shorter still (STAFF_SESSION_HOURS, set at login).
SESSION_COOKIE_AGE = env.int("SESSION_HOURS", default=24) * 3600
# Where the privacy page (/privacy/) tells supporters to ask for their data to be erased.
PRIVACY_CONTACT_EMAIL = env("PRIVACY_CONTACT_EMAIL", default="privacy@camino.example.org")

# --- Staff dashboard -------------------------------------------------------------------------
# Staff dashboard: its figures are cached this long (seconds); warnings are always live. A worker
# whose last heartbeat is older than STAFF_WORKER_SILENT_MINUTES raises a warning (beat sends one a
# minute); deliveries count as stuck after the advocacy app's DELIVERY_STUCK_AFTER.
STAFF_DASHBOARD_CACHE_SECONDS = env.int("STAFF_DASHBOARD_CACHE_SECONDS", default=60)
STAFF_WORKER_SILENT_MINUTES = env.int("STAFF_WORKER_SILENT_MINUTES", default=5)
