"""Django settings, read from environment variables (see the README's configuration table)."""

from pathlib import Path

from townsquare.envvars import (
    database_from_url,
    env_bool,
    env_float,
    env_int,
    env_list,
    env_path,
    env_str,
    sqlite_database,
)
from townsquare.realtime.redis_layer import redis_layer

PACKAGE_DIR = Path(__file__).resolve().parent
DATA_DIR = env_path("TOWNSQUARE_DATA_DIR", Path.cwd() / "var")

DEBUG = env_bool("DEBUG", False)
# Without SECRET_KEY a key is generated once and kept in the data directory (never committed).
SECRET_KEY = env_str("SECRET_KEY", "")
ALLOWED_HOSTS = env_list("ALLOWED_HOSTS", ["127.0.0.1", "localhost", "[::1]", "testserver"])
CSRF_TRUSTED_ORIGINS = env_list("CSRF_TRUSTED_ORIGINS", [])

SQLITE_BUSY_TIMEOUT_MS = env_int("TOWNSQUARE_SQLITE_BUSY_TIMEOUT_MS", 30_000)
DATABASE_URL = env_str("DATABASE_URL", "")
# PostgreSQL connections each process may hold at once (a pool; 0: none), and how long a request
# waits for one when all are busy (envvars.database_from_url says why there is a pool).
DB_POOL_SIZE = env_int("TOWNSQUARE_DB_POOL_SIZE", 20)
DB_POOL_TIMEOUT = env_float("TOWNSQUARE_DB_POOL_TIMEOUT", 10.0)
DATABASES = {
    "default": database_from_url(DATABASE_URL, SQLITE_BUSY_TIMEOUT_MS, DB_POOL_SIZE, DB_POOL_TIMEOUT)
    if DATABASE_URL
    else sqlite_database(DATA_DIR / "townsquare.sqlite3", SQLITE_BUSY_TIMEOUT_MS)
}
DEFAULT_AUTO_FIELD = "django.db.models.BigAutoField"

REDIS_URL = env_str("REDIS_URL", "")

INSTALLED_APPS = [
    "django.contrib.admin",
    "django.contrib.auth",
    "django.contrib.contenttypes",
    "django.contrib.sessions",
    "django.contrib.messages",
    "whitenoise.runserver_nostatic",
    "django.contrib.staticfiles",
    "django_htmx",
    # Serves Swagger UI for /api/v1/docs from ninja's bundled static files: no CDN, works offline.
    "ninja",
    "django_tasks_db",
    "townsquare.people",
    "townsquare.events",
    "townsquare.inbox",
    "townsquare.api",
    "townsquare.web",
    "townsquare.ops",
    "townsquare.tasks",
    "townsquare.labels",
    "townsquare.care",
    "townsquare.sla",
    "townsquare.replies",
    "townsquare.hooks",
    "townsquare.security",
    "townsquare.community",
    "townsquare.insights",
    "townsquare.connectors",
    "townsquare.livechat",
]

MIDDLEWARE = [
    "django.middleware.security.SecurityMiddleware",
    "whitenoise.middleware.WhiteNoiseMiddleware",
    "django.contrib.sessions.middleware.SessionMiddleware",
    "django.middleware.common.CommonMiddleware",
    "django.middleware.csrf.CsrfViewMiddleware",
    "django.contrib.auth.middleware.AuthenticationMiddleware",
    # Right after authentication: an expired session is signed out before any view sees it, and a
    # person who must enrol in two-factor login can open nothing else until they have.
    "townsquare.security.middleware.SessionExpiryMiddleware",
    "townsquare.security.middleware.TwoFactorEnrolmentMiddleware",
    "django.contrib.messages.middleware.MessageMiddleware",
    "django.middleware.clickjacking.XFrameOptionsMiddleware",
    "django_htmx.middleware.HtmxMiddleware",
]

ROOT_URLCONF = "townsquare.urls"
WSGI_APPLICATION = "townsquare.wsgi.application"
ASGI_APPLICATION = "townsquare.asgi.application"

TEMPLATES = [
    {
        "BACKEND": "django.template.backends.django.DjangoTemplates",
        "DIRS": [],
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

AUTH_USER_MODEL = "people.User"
LOGIN_URL = "login"
LOGIN_REDIRECT_URL = "web:conversations"
LOGOUT_REDIRECT_URL = "login"
AUTH_PASSWORD_VALIDATORS = [
    {"NAME": "django.contrib.auth.password_validation.UserAttributeSimilarityValidator"},
    {"NAME": "django.contrib.auth.password_validation.MinimumLengthValidator"},
    {"NAME": "django.contrib.auth.password_validation.CommonPasswordValidator"},
]

# A console session ends this long after sign-in however active it is (the older name
# TOWNSQUARE_SESSION_SECONDS is still read), and after this long without a request.
SESSION_MAX_AGE = env_int("TOWNSQUARE_SESSION_MAX_AGE", env_int("TOWNSQUARE_SESSION_SECONDS", 12 * 3600))
SESSION_IDLE_TIMEOUT = env_int("TOWNSQUARE_SESSION_IDLE_TIMEOUT", 3600)
SESSION_COOKIE_AGE = SESSION_MAX_AGE
# Two-factor login is required of admins and supervisors only when the operator turns it on, so
# `make run`'s demo admin can sign in with the printed password; everyone may enrol either way.
REQUIRE_2FA = env_bool("TOWNSQUARE_REQUIRE_2FA", False)
# Failed sign-in steps allowed per username and per IP address within the window; more get 429.
LOGIN_MAX_FAILURES = env_int("TOWNSQUARE_LOGIN_MAX_FAILURES", 5)
LOGIN_MAX_FAILURES_PER_IP = env_int("TOWNSQUARE_LOGIN_MAX_FAILURES_PER_IP", 20)
LOGIN_FAILURE_WINDOW_SECONDS = env_int("TOWNSQUARE_LOGIN_FAILURE_WINDOW_SECONDS", 900)
SESSION_COOKIE_HTTPONLY = True
SESSION_COOKIE_SAMESITE = "Lax"
CSRF_COOKIE_SAMESITE = "Lax"
SECURE_CONTENT_TYPE_NOSNIFF = True
X_FRAME_OPTIONS = "DENY"
HTTPS = env_bool("TOWNSQUARE_HTTPS", False)
SESSION_COOKIE_SECURE = HTTPS
CSRF_COOKIE_SECURE = HTTPS
# Behind a TLS-terminating proxy: trust its X-Forwarded-Proto, send plain-HTTP visitors to HTTPS
# and ask browsers to remember that (HSTS); only when the operator says the site is HTTPS.
SECURE_PROXY_SSL_HEADER = ("HTTP_X_FORWARDED_PROTO", "https") if HTTPS else None
SECURE_SSL_REDIRECT = HTTPS
SECURE_HSTS_SECONDS = env_int("TOWNSQUARE_HSTS_SECONDS", 31_536_000) if HTTPS else 0
# /healthz is probed by load balancers over plain HTTP on the private network.
SECURE_REDIRECT_EXEMPT = [r"^healthz$"]

LANGUAGE_CODE = "en"
TIME_ZONE = env_str("TIME_ZONE", "UTC")
USE_I18N = True
USE_TZ = True

STATIC_URL = "static/"
STATIC_ROOT = DATA_DIR / "static"
# WhiteNoise serves from the app finders but warns on every start when STATIC_ROOT is missing.
STATIC_ROOT.mkdir(parents=True, exist_ok=True)
MEDIA_ROOT = DATA_DIR / "media"
# Large uploads are spooled here rather than /tmp: same disk as MEDIA_ROOT, so keeping one is a rename.
FILE_UPLOAD_TEMP_DIR = DATA_DIR / "tmp"
FILE_UPLOAD_TEMP_DIR.mkdir(parents=True, exist_ok=True)
STORAGES = {
    "default": {"BACKEND": "django.core.files.storage.FileSystemStorage"},
    "staticfiles": {"BACKEND": "whitenoise.storage.CompressedStaticFilesStorage"},
}
WHITENOISE_USE_FINDERS = True
WHITENOISE_AUTOREFRESH = DEBUG

# `triage` has its own quick-polling worker (fast-path labels within a second of ingest);
# `semantic` (embeddings) runs on the general worker so it never delays the fast path.
# `webhooks` sends outgoing webhooks (the general worker serves it unless given its own).
TASKS = {
    "default": {
        "BACKEND": "django_tasks_db.DatabaseBackend",
        "QUEUES": ["default", "triage", "semantic", "webhooks"],
    }
}

CACHES = (
    {"default": {"BACKEND": "django.core.cache.backends.redis.RedisCache", "LOCATION": REDIS_URL}}
    if REDIS_URL
    else {"default": {"BACKEND": "django.core.cache.backends.locmem.LocMemCache"}}
)

# Largest request body the webhook accepts (bytes), and the largest batch.
WEBHOOK_MAX_BODY_BYTES = env_int("TOWNSQUARE_WEBHOOK_MAX_BYTES", 5 * 1024 * 1024)
WEBHOOK_MAX_BATCH = env_int("TOWNSQUARE_WEBHOOK_MAX_BATCH", 1000)
WEBHOOK_MAX_SKEW_SECONDS = env_int("TOWNSQUARE_WEBHOOK_MAX_SKEW_SECONDS", 300)
# Signed deliveries a channel may make per window; more answer 429 with Retry-After.
WEBHOOK_RATE_LIMIT = env_int("TOWNSQUARE_WEBHOOK_RATE_LIMIT", 600)
WEBHOOK_RATE_WINDOW_SECONDS = env_int("TOWNSQUARE_WEBHOOK_RATE_WINDOW_SECONDS", 60)
# Largest file an admin or supervisor may upload for import from the console or the API.
IMPORT_MAX_BYTES = env_int("TOWNSQUARE_IMPORT_MAX_BYTES", 2 * 1024**3)
DATA_UPLOAD_MAX_MEMORY_SIZE = max(WEBHOOK_MAX_BODY_BYTES, 2_621_440)
# Ingest enqueues triage of inbound messages; off for bulk imports, then `townsquare retriage` catches up.
TRIAGE_ON_INGEST = env_bool("TOWNSQUARE_TRIAGE", True)
# Fast-triage worker processes `townsquare run` starts (each labels a batch at a time).
TRIAGE_WORKERS = env_int("TOWNSQUARE_TRIAGE_WORKERS", 2)
# Most recent fingerprints a worker keeps for duplicate grouping (about 2.5 KB each).
TRIAGE_DUPLICATE_WINDOW = env_int("TOWNSQUARE_TRIAGE_DUPLICATE_WINDOW", 20_000)
# A reply waits this long before delivery, so its author can undo it.
REPLY_UNDO_SECONDS = env_int("TOWNSQUARE_UNDO_SEND_SECONDS", 10)
# Requests a visitor (by IP address) may make to the public CSAT survey pages per minute.
CSAT_RATE_LIMIT = env_int("TOWNSQUARE_CSAT_RATE_LIMIT", 30)
# Bearer token that /metrics requires when set; empty means /metrics is open (bind to loopback).
METRICS_TOKEN = env_str("TOWNSQUARE_METRICS_TOKEN", "")
# How often console pages ask the event log what changed (web/live.py).
LIVE_POLL_SECONDS = env_int("TOWNSQUARE_LIVE_POLL_SECONDS", 2)
# Community posts whose triage spam score is at least this percentage are held for a moderator.
COMMUNITY_SPAM_HOLD_PERCENT = env_int("TOWNSQUARE_COMMUNITY_SPAM_HOLD_PERCENT", 80)
# Anonymous reads of the community API per client address per window (signed-in callers are not counted).
COMMUNITY_PUBLIC_RATE_LIMIT = env_int("TOWNSQUARE_COMMUNITY_PUBLIC_RATE_LIMIT", 300)
COMMUNITY_PUBLIC_RATE_WINDOW_SECONDS = env_int("TOWNSQUARE_COMMUNITY_PUBLIC_RATE_WINDOW_SECONDS", 60)
# Insights close each month this many days after it ends (its figures stay put); 0: never automatically.
TOWNSQUARE_INSIGHTS_CLOSE_AFTER_DAYS = env_int("TOWNSQUARE_INSIGHTS_CLOSE_AFTER_DAYS", 7)
# The time zone reports bucket hours, days, weeks and months in (blank: TIME_ZONE).
TOWNSQUARE_INSIGHTS_TIME_ZONE = env_str("TOWNSQUARE_INSIGHTS_TIME_ZONE", "")
# The business calendar (by name) for business-hours figures (blank: the default SLA policy's).
TOWNSQUARE_INSIGHTS_CALENDAR = env_str("TOWNSQUARE_INSIGHTS_CALENDAR", "")
# Each process keeps the facts warm as columns and reads only what changed (insights/frame_cache).
TOWNSQUARE_INSIGHTS_FRAME_CACHE = env_bool("TOWNSQUARE_INSIGHTS_FRAME_CACHE", True)
# The cost-of-care model's starting values (admins change them later in the insights settings):
# what one contact costs when staff, an ambassador or the community (a peer answer) handles it,
# and the share of readers of a solved community topic who would otherwise have written to the brand.
COST_STAFF = env_float("TOWNSQUARE_COST_STAFF", 4.0)
COST_AMBASSADOR = env_float("TOWNSQUARE_COST_AMBASSADOR", 0.8)
COST_COMMUNITY = env_float("TOWNSQUARE_COST_COMMUNITY", 0.1)
COST_CURRENCY = env_str("TOWNSQUARE_COST_CURRENCY", "GBP")
DEFLECTION_SHARE = env_float("TOWNSQUARE_DEFLECTION_SHARE", 0.1)
# Staffing (insights timing): the service level to staff for, e.g. 80% answered within 3 minutes,
# and the handle time per conversation in seconds (0: measured from shifts and answers).
STAFFING_TARGET_SECONDS = env_int("TOWNSQUARE_STAFFING_TARGET_SECONDS", 180)
STAFFING_TARGET_SHARE = env_float("TOWNSQUARE_STAFFING_TARGET_SHARE", 0.8)
STAFFING_HANDLE_SECONDS = env_int("TOWNSQUARE_HANDLE_SECONDS", 0)
# Where members reach the site: links in emails (the community digest) start with it.
SITE_URL = env_str("TOWNSQUARE_SITE_URL", "http://localhost:8000")
# Outgoing email (the community digest), as Django's MAILERS. The environment keeps the familiar
# names: EMAIL_BACKEND (default: the console backend, which prints emails instead of sending them),
# EMAIL_HOST, EMAIL_PORT, EMAIL_HOST_USER, EMAIL_HOST_PASSWORD, EMAIL_USE_TLS, EMAIL_TIMEOUT.
_email_backend = env_str("EMAIL_BACKEND", "django.core.mail.backends.console.EmailBackend")
_smtp_options = {
    "host": env_str("EMAIL_HOST", "localhost"),
    "port": env_int("EMAIL_PORT", 25),
    "username": env_str("EMAIL_HOST_USER", ""),
    "password": env_str("EMAIL_HOST_PASSWORD", ""),
    "use_tls": env_bool("EMAIL_USE_TLS", False),
    "timeout": env_int("EMAIL_TIMEOUT", 30),
}
MAILERS = {
    "default": {
        "BACKEND": _email_backend,
        # Only the SMTP backend takes these; the others refuse options they do not know.
        "OPTIONS": _smtp_options if _email_backend.endswith("smtp.EmailBackend") else {},
    }
}
DEFAULT_FROM_EMAIL = env_str("DEFAULT_FROM_EMAIL", "Townsquare Community <community@localhost>")

# Channels (issue 8). The channel layer carries live chat and live console messages between
# processes: "memory" (the embedded default: one web process) or "redis" (REDIS_URL; any number
# of web processes and workers).
CHANNEL_LAYER = env_str("TOWNSQUARE_CHANNEL_LAYER", "memory")
if CHANNEL_LAYER not in {"memory", "redis"}:
    from townsquare.envvars import ConfigError

    raise ConfigError(f"TOWNSQUARE_CHANNEL_LAYER={CHANNEL_LAYER!r} must be memory or redis")
if CHANNEL_LAYER == "redis" and not REDIS_URL:
    from townsquare.envvars import ConfigError

    raise ConfigError("TOWNSQUARE_CHANNEL_LAYER=redis needs REDIS_URL")
CHANNEL_LAYERS = {
    "default": redis_layer(REDIS_URL, env_str("TOWNSQUARE_CHANNEL_PREFIX", "townsquare"))
    if CHANNEL_LAYER == "redis"
    # channels' in-memory layer, with its per-message expiry sweep run once a second (realtime/memory_layer.py).
    else {"BACKEND": "townsquare.realtime.memory_layer.InMemoryChannelLayer", "CONFIG": {"capacity": 1000}}
}
# Connector secrets (SMTP passwords, access tokens) are encrypted at rest with a key derived from
# TOWNSQUARE_SECRETS_KEY, or from SECRET_KEY when it is unset. Several comma-separated keys: the
# first encrypts, all decrypt (rotation).
SECRETS_KEYS = env_list("TOWNSQUARE_SECRETS_KEY", [])
# The console's and the API's "Test connection" gives up on a remote side after this many seconds.
CHANNEL_TEST_TIMEOUT = env_float("TOWNSQUARE_CHANNEL_TEST_TIMEOUT", 15.0)
# Inbound email: the largest message accepted (bigger ones are refused, 552 over SMTP), and where
# `townsquare run` also listens for SMTP (host:port; empty: no listener).
EMAIL_MAX_BYTES = env_int("TOWNSQUARE_EMAIL_MAX_BYTES", 25 * 1024 * 1024)
SMTP_LISTEN = env_str("TOWNSQUARE_SMTP_LISTEN", "")

LOGGING = {
    "version": 1,
    "disable_existing_loggers": False,
    "handlers": {"console": {"class": "townsquare.ops.log_stream.CurrentStderrHandler"}},
    "root": {"handlers": ["console"], "level": env_str("LOG_LEVEL", "INFO")},
    "loggers": {"django.db.backends": {"level": "WARNING"}},
}

if not SECRET_KEY:
    from townsquare.secret_key import load_or_create_secret_key

    SECRET_KEY = load_or_create_secret_key(DATA_DIR)
