"""CSM Desk settings: everything comes from the environment.

The defaults run the whole desk on one machine with nothing installed but Python:
SQLite in ``var/`` and Celery's file-system broker. Set ``DATABASE_URL`` and
``CELERY_BROKER_URL`` to move the same code onto PostgreSQL and Redis.
"""

import os
import re
from datetime import timedelta
from pathlib import Path

import dj_database_url
from django.core.exceptions import ImproperlyConfigured

BASE_DIR = Path(__file__).resolve().parent.parent
# Embedded state (SQLite file, broker folders, task results) lives here; git ignores it.
VAR_DIR = Path(os.environ.get("CSMDESK_VAR_DIR", BASE_DIR / "var"))


def env_str(name: str, default: str = "") -> str:
    return os.environ.get(name, default)


def env_bool(name: str, default: bool) -> bool:
    value = os.environ.get(name)
    if value is None or value == "":
        return default
    if value.lower() in {"1", "true", "yes", "on"}:
        return True
    if value.lower() in {"0", "false", "no", "off"}:
        return False
    raise ImproperlyConfigured(f"{name} must be a boolean (1/0, true/false), got {value!r}.")


def env_int(name: str, default: int) -> int:
    value = os.environ.get(name)
    if value is None or value == "":
        return default
    try:
        return int(value)
    except ValueError:
        raise ImproperlyConfigured(f"{name} must be a whole number, got {value!r}.") from None


def env_float(name: str, default: float) -> float:
    value = os.environ.get(name)
    if value is None or value == "":
        return default
    try:
        return float(value)
    except ValueError:
        raise ImproperlyConfigured(f"{name} must be a number, got {value!r}.") from None


def env_list(name: str, default: str = "") -> list[str]:
    return [item.strip() for item in os.environ.get(name, default).split(",") if item.strip()]


def env_rate(name: str, default: str) -> str:
    """A rate such as ``1200/minute`` (DRF's format: a number per second, minute, hour or day)."""
    value = os.environ.get(name) or default
    if not re.fullmatch(r"[0-9]+/(s|sec|second|m|min|minute|h|hour|d|day)", value.strip()):
        raise ImproperlyConfigured(f"{name} must look like 1200/minute (per second, minute, hour, day), got {value!r}.")
    return value.strip()


# Like Django's own project template, DEBUG is on unless the environment turns it
# off; production turns it off and must then bring its own secret.
DEBUG = env_bool("DEBUG", True)
SECRET_KEY = env_str("SECRET_KEY")
if not SECRET_KEY:
    if not DEBUG:
        raise ImproperlyConfigured(
            "SECRET_KEY is not set. With DEBUG off CSM Desk refuses to start without a "
            "secret key: set SECRET_KEY in the environment (for example "
            "`python -c 'import secrets; print(secrets.token_urlsafe(50))'`)."
        )
    SECRET_KEY = "insecure-development-key-do-not-use-in-production"

ALLOWED_HOSTS = env_list("ALLOWED_HOSTS", "localhost,127.0.0.1,[::1]" if DEBUG else "")
CSRF_TRUSTED_ORIGINS = env_list("CSRF_TRUSTED_ORIGINS")

INSTALLED_APPS = [
    "csmdesk.admin_site.DeskAdminConfig",  # django.contrib.admin with our front page
    "django.contrib.auth",
    "django.contrib.contenttypes",
    "django.contrib.sessions",
    "django.contrib.messages",
    "django.contrib.staticfiles",
    "django.contrib.humanize",
    "rest_framework",
    "django_filters",
    "drf_spectacular",
    "drf_spectacular_sidecar",  # Swagger UI served from our static files, no CDN
    "django_celery_beat",
    "django_htmx",
    "axes",
    "csp",
    "tickets",
    "reviews",
    "metrics",
    "api",
    "amazon",
    "reimbursements",
    "demo",
]

MIDDLEWARE = [
    "django.middleware.security.SecurityMiddleware",
    "csp.middleware.CSPMiddleware",  # early: every response carries the policy, errors too
    "csmdesk.middleware.nul_refused",
    "csmdesk.middleware.chunked_body_measured",
    "whitenoise.middleware.WhiteNoiseMiddleware",
    "django.contrib.sessions.middleware.SessionMiddleware",
    "django.middleware.common.CommonMiddleware",
    "django.middleware.csrf.CsrfViewMiddleware",
    "django.contrib.auth.middleware.AuthenticationMiddleware",
    "django_htmx.middleware.HtmxMiddleware",
    "tickets.middleware.agent_timezone",
    "tickets.middleware.DeskNotFound",
    "django.contrib.messages.middleware.MessageMiddleware",
    "django.middleware.clickjacking.XFrameOptionsMiddleware",
    # Last, as django-axes asks: turns a locked-out sign-in into the lockout page.
    "axes.middleware.AxesMiddleware",
]

ROOT_URLCONF = "csmdesk.urls"

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
            ],
        },
    },
]

WSGI_APPLICATION = "csmdesk.wsgi.application"

# --- Database -------------------------------------------------------------------
DATABASE_URL = env_str("DATABASE_URL")
if DATABASE_URL:
    DATABASES = {
        "default": dj_database_url.parse(
            DATABASE_URL, conn_max_age=env_int("DB_CONN_MAX_AGE", 60), conn_health_checks=True
        )
    }
else:
    VAR_DIR.mkdir(parents=True, exist_ok=True)
    DATABASES = {
        "default": {
            "ENGINE": "django.db.backends.sqlite3",
            "NAME": VAR_DIR / "db.sqlite3",
            "OPTIONS": {
                # The web server, the worker and beat share one file: WAL lets readers
                # run beside a writer, IMMEDIATE transactions and a timeout make writers
                # queue instead of failing with "database is locked".
                "transaction_mode": "IMMEDIATE",
                "timeout": 20,
                "init_command": "PRAGMA journal_mode=WAL; PRAGMA synchronous=NORMAL;",
            },
        }
    }
DEFAULT_AUTO_FIELD = "django.db.models.BigAutoField"
if DATABASES["default"]["ENGINE"].endswith("sqlite3"):
    # Indexes with INCLUDE columns serve PostgreSQL's index-only scans; SQLite keeps the
    # index and ignores the extra columns, which is fine for the demo.
    SILENCED_SYSTEM_CHECKS = ["models.W040"]

# --- Cache (API throttling and locks need one shared by every process) -----------
CACHE_URL = env_str("CACHE_URL")
if CACHE_URL.startswith(("redis://", "rediss://")):
    CACHES = {"default": {"BACKEND": "django.core.cache.backends.redis.RedisCache", "LOCATION": CACHE_URL}}
else:
    CACHES = {"default": {"BACKEND": "django.core.cache.backends.locmem.LocMemCache"}}

# First django-axes, which refuses a locked-out sign-in before any password is checked,
# then Django's ModelBackend with a person's permissions read in one query (tickets.roles).
AUTHENTICATION_BACKENDS = ["axes.backends.AxesStandaloneBackend", "tickets.roles.RoleBackend"]

# --- Rate limits and sign-in lockout (csmdesk.ratelimit, django-axes) --------------------
# Proxies in front of the web processes that append to X-Forwarded-For (0: the caller is
# REMOTE_ADDR). Too high lets a caller choose its own address, so count only your own.
TRUSTED_PROXY_COUNT = env_int("TRUSTED_PROXY_COUNT", 0)
# The reply box checks the draft as the agent types (debounced); past this, per person, it
# pauses for the rest of the window. Sending always runs the full guard.
COMPLIANCE_LIVE_CHECK_RATE = env_rate("COMPLIANCE_LIVE_CHECK_RATE", "60/minute")
# Sign-in (/login/ and /admin/login/): after this many failures for one username, or from
# one address, further attempts are refused, even with the right password, until this
# long after the last failure. A manager unlocks earlier in the admin (Axes > Access attempts)
# or with `manage.py axes_reset_username NAME`.
AXES_FAILURE_LIMIT = env_int("LOGIN_FAILURE_LIMIT", 5)
LOGIN_COOLOFF_MINUTES = env_int("LOGIN_COOLOFF_MINUTES", 15)
AXES_COOLOFF_TIME = timedelta(minutes=LOGIN_COOLOFF_MINUTES)
if AXES_FAILURE_LIMIT < 1 or LOGIN_COOLOFF_MINUTES < 1:
    # A cool-off of 0 would make django-axes lock for ever; a limit of 0, lock everyone.
    raise ImproperlyConfigured("LOGIN_FAILURE_LIMIT and LOGIN_COOLOFF_MINUTES must be at least 1.")
AXES_LOCKOUT_PARAMETERS = ["username", "ip_address"]  # either one alone locks
# A success does not wipe the failures: with per-address counting it would also wipe the
# failures that address made on other accounts, so an attacker holding one account could
# keep guessing others by signing in to it every few tries.
AXES_RESET_ON_SUCCESS = False
AXES_CLIENT_IP_CALLABLE = "csmdesk.ratelimit.client_ip"
AXES_LOCKOUT_TEMPLATE = "registration/locked_out.html"
AXES_HTTP_RESPONSE_CODE = 429

# The sidebar's queue counts are kept this long per person (0: counted on every page); any
# ticket write drops them at once (tickets.counts) when every process shares CACHE_URL.
DESK_COUNTS_CACHE_SECONDS = env_int("DESK_COUNTS_CACHE_SECONDS", 30)
# How often an open queue asks whether anything changed (the live queue, tickets.counts).
DESK_QUEUE_POLL_SECONDS = env_int("DESK_QUEUE_POLL_SECONDS", 10)

AUTH_PASSWORD_VALIDATORS = [
    {"NAME": "django.contrib.auth.password_validation.UserAttributeSimilarityValidator"},
    {"NAME": "django.contrib.auth.password_validation.MinimumLengthValidator"},
    {"NAME": "django.contrib.auth.password_validation.CommonPasswordValidator"},
    {"NAME": "django.contrib.auth.password_validation.NumericPasswordValidator"},
]

LANGUAGE_CODE = "en-us"
TIME_ZONE = "UTC"  # stored and computed in UTC; shown in each agent's zone
USE_I18N = True
USE_TZ = True
# Our English date formats: a printed moment names its zone (csmdesk/formats/en).
FORMAT_MODULE_PATH = ["csmdesk.formats"]

STATIC_URL = "static/"
STATICFILES_DIRS = [BASE_DIR / "static"]
STATIC_ROOT = Path(env_str("STATIC_ROOT", str(VAR_DIR / "static")))
STATIC_ROOT.mkdir(parents=True, exist_ok=True)  # WhiteNoise warns at start-up without it
# Stored raw mail and attachments: never served by URL, only through the permission gate.
MEDIA_ROOT = Path(env_str("MEDIA_ROOT", str(VAR_DIR / "media")))
# The file system by default; S3-compatible storage with FILE_STORAGE_BACKEND=storages.backends.s3.S3Storage
# (django-storages, README "Connect your Amazon inbox"), configured by the AWS_* variables below.
FILE_STORAGE_BACKEND = env_str("FILE_STORAGE_BACKEND", "django.core.files.storage.FileSystemStorage")
STORAGES = {
    "default": {"BACKEND": FILE_STORAGE_BACKEND},
    "staticfiles": {
        "BACKEND": "django.contrib.staticfiles.storage.StaticFilesStorage"
        if DEBUG
        else "whitenoise.storage.CompressedManifestStaticFilesStorage"
    },
}

LOGIN_URL = "login"
LOGIN_REDIRECT_URL = "desk:queue"
LOGOUT_REDIRECT_URL = "login"

# --- Production hardening (HTTPS) -------------------------------------------------
# Off by default so the demo runs on http://127.0.0.1; production turns them on (README,
# "Production"). `manage.py check --deploy` is clean with all of them set.
SECURE_SSL_REDIRECT = env_bool("SECURE_SSL_REDIRECT", False)
SECURE_HSTS_SECONDS = env_int("SECURE_HSTS_SECONDS", 0)
SECURE_HSTS_INCLUDE_SUBDOMAINS = env_bool("SECURE_HSTS_INCLUDE_SUBDOMAINS", False)
SECURE_HSTS_PRELOAD = env_bool("SECURE_HSTS_PRELOAD", False)
SESSION_COOKIE_SECURE = env_bool("SESSION_COOKIE_SECURE", not DEBUG)
CSRF_COOKIE_SECURE = env_bool("CSRF_COOKIE_SECURE", not DEBUG)
SECURE_CONTENT_TYPE_NOSNIFF = True
# Trust X-Forwarded-Proto only behind a proxy that sets it (and strips a client's own):
# otherwise any client could claim HTTPS.
if env_bool("SECURE_PROXY_SSL_HEADER", False):
    SECURE_PROXY_SSL_HEADER = ("HTTP_X_FORWARDED_PROTO", "https")

# Content-Security-Policy (django-csp), on every response in every environment so that
# development and the browser tests see what production enforces. Scripts only from our
# own origin (the desk has one small script and htmx, no inline scripts or handlers).
# Inline styles stay allowed: the templates and the admin use style attributes and blocks,
# and CSS cannot run code. The API docs page relaxes it for Swagger UI (csmdesk.urls).
CONTENT_SECURITY_POLICY = {
    "DIRECTIVES": {
        "default-src": ["'self'"],
        "script-src": ["'self'"],
        "style-src": ["'self'", "'unsafe-inline'"],
        "img-src": ["'self'", "data:"],
        "object-src": ["'none'"],
        "base-uri": ["'self'"],
        "form-action": ["'self'"],
        "frame-ancestors": ["'none'"],
        **({"report-uri": [env_str("CSP_REPORT_URI")]} if env_str("CSP_REPORT_URI") else {}),
    },
}

# --- Email ------------------------------------------------------------------------
EMAIL_BACKEND = env_str("EMAIL_BACKEND", "django.core.mail.backends.console.EmailBackend")
EMAIL_HOST = env_str("EMAIL_HOST", "localhost")
EMAIL_PORT = env_int("EMAIL_PORT", 25)
EMAIL_HOST_USER = env_str("EMAIL_HOST_USER")
EMAIL_HOST_PASSWORD = env_str("EMAIL_HOST_PASSWORD")
EMAIL_USE_TLS = env_bool("EMAIL_USE_TLS", False)
DEFAULT_FROM_EMAIL = env_str("DEFAULT_FROM_EMAIL", "csm-desk@localhost")

# --- Celery -----------------------------------------------------------------------
# The default broker needs no server: kombu's file-system transport in var/broker.
# Production sets CELERY_BROKER_URL=redis://…
CELERY_BROKER_URL = env_str("CELERY_BROKER_URL", "filesystem://")
# Publishing to a broker that is down fails at once instead of holding the web worker
# (kombu's default reconnect loop took ~6 s a write): max_retries 0 tries the connection
# once, and a host that does not answer gives up after the connect timeout. The outbox
# and webhook rows are already committed; the sweepers enqueue them again (README).
# The worker is unaffected: it connects with its own retries (broker_connection_retry).
CELERY_BROKER_TRANSPORT_OPTIONS = {
    "max_retries": 0,
    "socket_connect_timeout": env_float("CELERY_BROKER_CONNECT_TIMEOUT", 0.5),
}
if CELERY_BROKER_URL.startswith("filesystem://"):
    _broker_dir = VAR_DIR / "broker"
    for _sub in ("queue", "processed", "control"):
        (_broker_dir / _sub).mkdir(parents=True, exist_ok=True)
    CELERY_BROKER_TRANSPORT_OPTIONS |= {
        "data_folder_in": str(_broker_dir / "queue"),
        "data_folder_out": str(_broker_dir / "queue"),
        "processed_folder": str(_broker_dir / "processed"),
        "store_processed": False,
        "control_folder": str(_broker_dir / "control"),  # broadcast (pidbox) exchanges
    }
    _default_result_backend = f"file://{VAR_DIR / 'celery-results'}"
    (VAR_DIR / "celery-results").mkdir(parents=True, exist_ok=True)
else:
    _default_result_backend = CELERY_BROKER_URL
CELERY_RESULT_BACKEND = env_str("CELERY_RESULT_BACKEND", _default_result_backend)
CELERY_RESULT_EXPIRES = 3600
CELERY_TIMEZONE = "UTC"
CELERY_TASK_ACKS_LATE = True  # a task whose worker dies is redelivered; tasks are idempotent
CELERY_TASK_REJECT_ON_WORKER_LOST = True
CELERY_WORKER_PREFETCH_MULTIPLIER = 1
CELERY_TASK_TIME_LIMIT = env_int("CELERY_TASK_TIME_LIMIT", 300)
CELERY_TASK_SOFT_TIME_LIMIT = env_int("CELERY_TASK_SOFT_TIME_LIMIT", 240)
CELERY_BROKER_CONNECTION_RETRY_ON_STARTUP = True
CELERY_BEAT_SCHEDULER = "django_celery_beat.schedulers:DatabaseScheduler"
# Periodic tasks are declared here; django-celery-beat copies them into the database at
# beat start-up, where managers can see their last run and pause or re-time them.
CELERY_BEAT_SCHEDULE = {
    # Amazon's Data Protection Policy: buyer PII redacted PII_RETENTION_DAYS after their orders.
    "buyer-pii-redaction": {"task": "tickets.tasks.redact_buyer_pii", "schedule": 3600.0 * 24},
    "outbound-sweep": {"task": "tickets.tasks.sweep_outbound", "schedule": 60.0},
    # The 24 h clock and claim deadlines. expire_seconds: after an outage the backlog of
    # missed minutes is dropped, not run N times (each run catches up on everything).
    "sla-sweep": {"task": "tickets.tasks.sweep_sla", "schedule": 60.0, "options": {"expire_seconds": 55}},
    # FBA reimbursement watch: each connected account's FBA reports and refunds once a UTC day.
    "fba-reimbursements": {
        "task": "reimbursements.tasks.fetch_fba_data",
        "schedule": 3600.0,
        "options": {"expire_seconds": 3000},
    },
    "proactive-guides": {
        "task": "tickets.tasks.send_due_proactive_guides",
        "schedule": 60.0,
        "options": {"expire_seconds": 55},
    },
    # Today's account-health snapshot, recorded again every hour (an upsert of the day's rows,
    # ~1 s an account at 1M orders): badges and the dashboard are at most an hour old, and an
    # ODR that worsens raises its alert within the hour (once a day per kind, as before).
    "metrics-daily-snapshots": {
        "task": "metrics.tasks.record_daily_snapshots",
        "schedule": 3600.0,
        "options": {"expire_seconds": 3300},
    },
    # Keeps the ODR's per-day order counts at one row a day (metrics.order_counts).
    "metrics-compact-order-counts": {
        "task": "metrics.tasks.compact_order_day_counts",
        "schedule": 60.0,
        "options": {"expire_seconds": 55},
    },
    # The Buyer-Seller Messaging relay: every active mailbox polled each minute (amazon.mail).
    "amazon-mail-poll": {"task": "amazon.tasks.poll_mailboxes", "schedule": 60.0, "options": {"expire_seconds": 55}},
    # SP-API: each connected seller account's orders since its high-water mark (amazon.spapi).
    "amazon-spapi-orders-sync": {
        "task": "amazon.spapi.tasks.sync_connections",
        "schedule": 60.0 * env_int("SPAPI_SYNC_MINUTES", 5),
        "options": {"expire_seconds": 55},
    },
    # Amazon's Request a Review on each account's day after delivery (amazon.review_requests).
    "amazon-review-requests": {
        "task": "amazon.review_requests.tasks.sweep_review_requests",
        "schedule": 60.0 * env_int("REVIEW_REQUESTS_SWEEP_MINUTES", 15),
        "options": {"expire_seconds": 55},
    },
    # SP-API: Amazon's review topics of the products due (amazon.spapi.customer_feedback).
    "amazon-spapi-customer-feedback": {
        "task": "amazon.spapi.tasks.fetch_customer_feedback",
        "schedule": 60.0 * env_int("SPAPI_CUSTOMER_FEEDBACK_MINUTES", 10),
        "options": {"expire_seconds": 55},
    },
    # Complaint themes rising over each product's baseline (reviews.rising): insight.rising.
    "reviews-rising-themes": {
        "task": "reviews.tasks.sweep_rising_themes",
        "schedule": 3600.0 * env_int("INSIGHT_SWEEP_HOURS", 6),
        "options": {"expire_seconds": 3000},
    },
    # Re-enqueues webhook deliveries the broker lost; retries do not depend on it.
    "webhook-sweep": {"task": "api.tasks.sweep_webhooks", "schedule": 60.0, "options": {"expire_seconds": 55}},
}
CELERY_TASK_ALWAYS_EAGER = env_bool("CELERY_TASK_ALWAYS_EAGER", False)
CELERY_TASK_EAGER_PROPAGATES = True

# --- Business rules ---------------------------------------------------------------
# Amazon's numbers that are unverified or differ between marketplaces are settings, with
# the default stated (notes/amazon.md). Per-account ones live on SellerAccount instead.
PROACTIVE_GUIDE_DELAY_MINUTES = env_int("PROACTIVE_GUIDE_DELAY_MINUTES", 0)  # after delivery
A_TO_Z_RESPOND_HOURS = env_int("A_TO_Z_RESPOND_HOURS", 72)  # 3 calendar days; an older copy says 48 h
METRICS_ODR_WITHDRAWN_CLAIMS_COUNT = env_bool("METRICS_ODR_WITHDRAWN_CLAIMS_COUNT", False)
METRICS_ODR_FRAUD_CHARGEBACKS_COUNT = env_bool("METRICS_ODR_FRAUD_CHARGEBACKS_COUNT", False)
METRICS_ODR_CHARGEBACKS_WON_EXCLUDED = env_bool("METRICS_ODR_CHARGEBACKS_WON_EXCLUDED", True)
METRICS_ODR_WARNING_PERCENT = env_float("METRICS_ODR_WARNING_PERCENT", 0.75)
METRICS_ODR_HEADROOM_ALERT_ORDERS = env_int("METRICS_ODR_HEADROOM_ALERT_ORDERS", 2)

# --- Amazon relay mail (amazon.mail) ----------------------------------------------------------
# Fernet keys for the mailbox passwords, newest first (README "Connect your Amazon inbox");
# unset: one derived from SECRET_KEY.
MAILBOX_SECRET_KEYS = env_list("MAILBOX_SECRET_KEYS")
# Amazon takes attachments up to 10 MB (notes/amazon.md §3); base64 makes that ~13.7 MB of mail.
# A larger mail keeps only its header and waits in the quarantine.
MAIL_MAX_MESSAGE_BYTES = env_int("MAIL_MAX_MESSAGE_BYTES", 20 * 1024 * 1024)
MAIL_POLL_SECONDS = env_int("MAIL_POLL_SECONDS", 40)  # one poll's time; the rest comes next minute
MAIL_POLL_BATCH = env_int("MAIL_POLL_BATCH", 200)  # mails a poll fetches at most
MAIL_IMAP_TIMEOUT_SECONDS = env_int("MAIL_IMAP_TIMEOUT_SECONDS", 20)  # every IMAP command
# Amazon's limit on one file of a buyer message or a reply (notes/amazon.md §9); tickets.attachments.
ATTACHMENT_MAX_BYTES = env_int("ATTACHMENT_MAX_BYTES", 10 * 1024 * 1024)
# S3-compatible storage (only read when FILE_STORAGE_BACKEND is django-storages' S3Storage);
# credentials come from boto3's own AWS_ACCESS_KEY_ID / AWS_SECRET_ACCESS_KEY variables.
AWS_STORAGE_BUCKET_NAME = env_str("AWS_STORAGE_BUCKET_NAME")
AWS_S3_ENDPOINT_URL = env_str("AWS_S3_ENDPOINT_URL") or None
AWS_S3_REGION_NAME = env_str("AWS_S3_REGION_NAME") or None
AWS_DEFAULT_ACL = None  # private objects: files are served only through the desk
AWS_QUERYSTRING_AUTH = True

# --- Amazon SP-API (amazon.spapi) -------------------------------------------------------------
# The app's Login with Amazon credentials and Amazon's addresses. The defaults are the local
# sandbox (`python -m amazon_sandbox --port 8100`, its fixed client id and secret): the demo
# connects and syncs without an Amazon account. Production sets all of them (README,
# "Connect a seller account to Amazon").
SPAPI_SANDBOX_URL = env_str("SPAPI_SANDBOX_URL", f"http://127.0.0.1:{env_int('SPAPI_SANDBOX_PORT', 8100)}")
SPAPI_LWA_CLIENT_ID = env_str("SPAPI_LWA_CLIENT_ID", "amzn1.application-oa2-client.csmdesksandbox")
SPAPI_LWA_CLIENT_SECRET = env_str("SPAPI_LWA_CLIENT_SECRET", "sandbox-client-secret")
SPAPI_APPLICATION_ID = env_str("SPAPI_APPLICATION_ID", "amzn1.sp.solution.csmdesk-sandbox")
SPAPI_LWA_TOKEN_URL = env_str("SPAPI_LWA_TOKEN_URL", f"{SPAPI_SANDBOX_URL}/auth/o2/token")
# Seller Central's consent page (e.g. https://sellercentral.amazon.com/apps/authorize/consent).
SPAPI_CONSENT_URL = env_str("SPAPI_CONSENT_URL", f"{SPAPI_SANDBOX_URL}/apps/authorize/consent")
# Empty: the callback's address on this host (it must be a redirect URI registered for the app).
SPAPI_REDIRECT_URI = env_str("SPAPI_REDIRECT_URI")
# The SP-API endpoint per selling region (https://sellingpartnerapi-na.amazon.com …).
SPAPI_ENDPOINTS = {region: env_str(f"SPAPI_ENDPOINT_{region}", SPAPI_SANDBOX_URL) for region in ("NA", "EU", "FE")}
# A demo server with DEBUG off may keep the sandbox (else the amazon.E001 check refuses to start).
SPAPI_ALLOW_SANDBOX = env_bool("SPAPI_ALLOW_SANDBOX", False)
SPAPI_STATE_MINUTES = env_int("SPAPI_STATE_MINUTES", 15)  # a consent must come back within this
SPAPI_SYNC_MINUTES = env_int("SPAPI_SYNC_MINUTES", 5)  # the orders sync's beat
SPAPI_SYNC_INITIAL_DAYS = env_int("SPAPI_SYNC_INITIAL_DAYS", 30)  # a new connection's first look back
# Searched again on every sync: Amazon's lastUpdatedTime can be written after the moment it names.
SPAPI_SYNC_OVERLAP_MINUTES = env_int("SPAPI_SYNC_OVERLAP_MINUTES", 10)
SPAPI_SYNC_PAGE_SIZE = env_int("SPAPI_SYNC_PAGE_SIZE", 100)  # searchOrders' maximum
SPAPI_SYNC_MAX_PAGES = env_int("SPAPI_SYNC_MAX_PAGES", 40)  # per run; the next run goes on from the mark
SPAPI_TIMEOUT_SECONDS = env_int("SPAPI_TIMEOUT_SECONDS", 20)  # every HTTP call to Amazon
# Buyer name and e-mail are redacted this many days after their last order is done (DPP, §10).
PII_RETENTION_DAYS = env_int("PII_RETENTION_DAYS", 30)
# The first sync's order history (the All Orders report): the ODR's 60-day window + 30 days.
SPAPI_BACKFILL_DAYS = env_int("SPAPI_BACKFILL_DAYS", 90)
SPAPI_BACKFILL_BATCH = env_int("SPAPI_BACKFILL_BATCH", 1000)  # orders stored per transaction
# FBA reimbursement watch (reimbursements/): windows of a marketplace without its own row
# (Amazon US: customer-return claims from day 60 to 120 after the refund, warehouse losses
# within 60 days; notes/amazon.md §11), the deadline's warning, and the daily read's range.
REIMBURSEMENT_WINDOW_DEFAULTS = {
    "return_claim_from_days": 60,
    "return_claim_until_days": 120,
    "return_window_days": 60,
    "warehouse_wait_days": 30,
    "warehouse_claim_days": 60,
}
REIMBURSEMENT_AT_RISK_DAYS = env_int("REIMBURSEMENT_AT_RISK_DAYS", 7)
REIMBURSEMENT_FETCH_DAYS = env_int("REIMBURSEMENT_FETCH_DAYS", 180)
SPAPI_FEEDBACK_DAYS = env_int("SPAPI_FEEDBACK_DAYS", 90)  # the daily feedback report's range (feedback dates)
# Amazon's usage plans as token buckets every worker shares (amazon.spapi.ratelimit): in Redis
# (the cache's, unless set); empty: per process.
SPAPI_RATE_LIMIT_REDIS_URL = env_str(
    "SPAPI_RATE_LIMIT_REDIS_URL", CACHE_URL if CACHE_URL.startswith(("redis://", "rediss://")) else ""
)
SPAPI_RATE_LIMIT_REDIS_TIMEOUT = env_float("SPAPI_RATE_LIMIT_REDIS_TIMEOUT", 0.5)  # seconds; then per process
# Reports API (amazon.spapi.reports): how long one wait may poll, and the bounds of a document.
SPAPI_REPORT_WAIT_SECONDS = env_int("SPAPI_REPORT_WAIT_SECONDS", 600)
SPAPI_REPORT_MAX_BYTES = env_int("SPAPI_REPORT_MAX_BYTES", 2 * 1024**3)  # decompressed
SPAPI_REPORT_MAX_LINE_BYTES = env_int("SPAPI_REPORT_MAX_LINE_BYTES", 1024**2)
SPAPI_REPORT_JSON_MAX_BYTES = env_int("SPAPI_REPORT_JSON_MAX_BYTES", 50 * 1024**2)
# Amazon's review topics (Customer Feedback API, not the seller feedback report above): a product
# at most once per SPAPI_CUSTOMER_FEEDBACK_HOURS, at most SPAPI_CUSTOMER_FEEDBACK_CALLS calls a run
# (a third per product: 10 calls of each operation, its burst).
SPAPI_CUSTOMER_FEEDBACK_HOURS = env_int("SPAPI_CUSTOMER_FEEDBACK_HOURS", 24)
SPAPI_CUSTOMER_FEEDBACK_CALLS = env_int("SPAPI_CUSTOMER_FEEDBACK_CALLS", 30)
# The insight.rising alert (reviews/rising.py): a complaint theme's share of the last
# INSIGHT_RECENT_DAYS' reviews against the INSIGHT_BASELINE_DAYS before.
INSIGHT_RECENT_DAYS = env_int("INSIGHT_RECENT_DAYS", 30)
INSIGHT_BASELINE_DAYS = env_int("INSIGHT_BASELINE_DAYS", 180)
INSIGHT_RISE_POINTS = env_int("INSIGHT_RISE_POINTS", 10)  # percentage points above the baseline share
INSIGHT_RISE_FACTOR = 1.5  # and at least this many times the baseline share
INSIGHT_MIN_MATCHES = env_int("INSIGHT_MIN_MATCHES", 3)  # complaints of the theme in the recent window
INSIGHT_MIN_BASELINE = env_int("INSIGHT_MIN_BASELINE", 10)  # reviews in the baseline window

# --- REST API ---------------------------------------------------------------------
# Integrations authenticate with "Authorization: Token <key>" (api.ApiKey); browsers with
# the session and CSRF. Every view needs a principal and a scope (api.permissions).
REST_FRAMEWORK = {
    "DEFAULT_SCHEMA_CLASS": "drf_spectacular.openapi.AutoSchema",
    "DEFAULT_FILTER_BACKENDS": ["django_filters.rest_framework.DjangoFilterBackend"],
    "DEFAULT_AUTHENTICATION_CLASSES": [
        "api.auth.ApiKeyAuthentication",
        "rest_framework.authentication.SessionAuthentication",
    ],
    "DEFAULT_PERMISSION_CLASSES": ["api.permissions.HasScope"],
    "DEFAULT_THROTTLE_CLASSES": ["api.throttling.PrincipalRateThrottle"],
    "DEFAULT_PARSER_CLASSES": ["api.parsers.LimitedJSONParser"],
    "DEFAULT_RENDERER_CLASSES": ["rest_framework.renderers.JSONRenderer"],
    "EXCEPTION_HANDLER": "api.exceptions.api_exception_handler",
    "DEFAULT_PAGINATION_CLASS": "rest_framework.pagination.CursorPagination",
    "PAGE_SIZE": 50,
}
# Requests per key (or per signed-in user); "N/second|minute|hour|day".
API_THROTTLE_RATE = env_rate("API_THROTTLE_RATE", "1200/minute")
# Requests per client address without a valid key: no credentials, or a wrong or revoked key.
API_THROTTLE_ANON_RATE = env_rate("API_THROTTLE_ANON_RATE", "60/minute")
# A bulk POST /orders/ of 1,000 orders is about 0.5 MB; larger bodies answer 413.
DATA_UPLOAD_MAX_MEMORY_SIZE = env_int("DATA_UPLOAD_MAX_MEMORY_SIZE", 5 * 1024 * 1024)
# Arrays and objects nested deeper than this are a 400 (the deepest payload, a bulk order's
# unit price, is 4 levels); deep nesting would exhaust the recursion of the code walking it.
API_JSON_MAX_DEPTH = env_int("API_JSON_MAX_DEPTH", 32)
SPECTACULAR_SETTINGS = {
    "TITLE": "CSM Desk API",
    "DESCRIPTION": (
        "Support desk for the Customer Success Managers of Amazon sellers. Authenticate with "
        "`Authorization: Token <key>` (keys are created by managers in the admin, bound to seller "
        "accounts, with scope read < ingest < agent). Errors: 400 field messages, 401/403 auth and "
        "scope, 404 unknown or foreign ids, 409 workflow conflicts, 413 body too large, 415 non-JSON, "
        "422 compliance refusal with violations, 429 throttled (Retry-After)."
    ),
    "VERSION": "1.0.0",
    # /api/docs/ works offline: Swagger UI's bundle comes from drf-spectacular-sidecar's static files.
    "SWAGGER_UI_DIST": "SIDECAR",
    "SWAGGER_UI_FAVICON_HREF": "SIDECAR",
    "SERVE_INCLUDE_SCHEMA": False,
    "SERVE_PERMISSIONS": ["rest_framework.permissions.AllowAny"],
    "SERVE_AUTHENTICATION": [],
    "COMPONENT_SPLIT_REQUEST": True,
    "POSTPROCESSING_HOOKS": [
        "drf_spectacular.hooks.postprocess_schema_enums",
        "api.schema.add_common_error_responses",
    ],
    # Several models have a "status" or "kind": name each choice set after its model.
    "ENUM_NAME_OVERRIDES": {
        "TicketStatusEnum": "tickets.models.tickets.TicketStatus",
        "TicketKindEnum": "tickets.models.tickets.TicketKind",
        "OrderStatusEnum": "tickets.models.orders.OrderStatus",
        "ClaimStatusEnum": "tickets.models.claims.AtoZClaimStatus",
        "ChargebackStatusEnum": "tickets.models.claims.ChargebackStatus",
        "ChargebackKindEnum": "tickets.models.claims.ChargebackKind",
        "OutreachStatusEnum": "reviews.models.OutreachStatus",
        "ContactReasonEnum": "reviews.models.OutreachContactReason",
    },
}

LOGGING = {
    "version": 1,
    "disable_existing_loggers": False,
    "formatters": {"plain": {"format": "%(asctime)s %(levelname)s %(name)s: %(message)s"}},
    "handlers": {"console": {"class": "logging.StreamHandler", "formatter": "plain"}},
    "root": {"handlers": ["console"], "level": env_str("LOG_LEVEL", "INFO")},
    "loggers": {"django.db.backends": {"level": "WARNING"}},
}
