"""Settings come from the environment so one build runs the demo (SQLite, tasks
in-process) and production (PostgreSQL, Celery on Redis) unchanged."""

import os
from datetime import timedelta
from pathlib import Path

import dj_database_url
from csp.constants import NONE, SELF
from django.core.exceptions import ImproperlyConfigured
from django_guid.integrations import CeleryIntegration

BASE_DIR = Path(__file__).resolve().parent.parent
VAR_DIR = Path(os.environ.get("HOMECARE_VAR_DIR", BASE_DIR / "var"))
VAR_DIR.mkdir(parents=True, exist_ok=True)


def env_bool(name: str, default: bool = False) -> bool:
    value = os.environ.get(name)
    if value is None:
        return default
    return value.strip().lower() in {"1", "true", "yes", "on"}


DEBUG = env_bool("DEBUG", False)
SECRET_KEY = os.environ.get("SECRET_KEY", "")
if not SECRET_KEY:
    if not DEBUG:
        raise ImproperlyConfigured("SECRET_KEY must be set unless DEBUG is on.")
    SECRET_KEY = "insecure-development-key-only-for-debug"

ALLOWED_HOSTS = [h.strip() for h in os.environ.get("ALLOWED_HOSTS", "").split(",") if h.strip()]
if DEBUG and not ALLOWED_HOSTS:
    ALLOWED_HOSTS = ["127.0.0.1", "localhost", "[::1]"]

INSTALLED_APPS = [
    "django.contrib.admin",
    "django.contrib.auth",
    "django.contrib.contenttypes",
    "django.contrib.sessions",
    "django.contrib.messages",
    "django.contrib.staticfiles",
    "django.contrib.humanize",
    "django_tables2",
    "django_filters",
    "django_guid",
    "django_prometheus",
    "axes",
    "django_otp",
    "django_otp.plugins.otp_totp",
    # Permissions as predicates (issue 11): providers/permissions.py.
    "rules",
    "csp",
    "auditlog",
    "providers",
    "contracts",
    "visits",
    "reviews",
    # The frame (its label keeps the migration history) and the feature apps.
    "homecare",
    "homecare.ui",
    "homecare.accounts",
    "homecare.kpis",
    "homecare.imports",
    "homecare.dashboards",
    "homecare.quality",
    "homecare.packs",
    "homecare.demo",
    "homecare.retention",
    "homecare.ops",
    "homecare.market",
    "homecare.audit",
]

MIDDLEWARE = [
    # Operations (docs/operations.md): a request id for every log line, then
    # Prometheus timing around everything else, then one log line per request.
    "django_guid.middleware.guid_middleware",
    "django_prometheus.middleware.PrometheusBeforeMiddleware",
    "django.middleware.security.SecurityMiddleware",
    # Headers every answer carries (docs/security.md): what the page may load
    # and which browser features it may use.
    "csp.middleware.CSPMiddleware",
    "django_permissions_policy.PermissionsPolicyMiddleware",
    "whitenoise.middleware.WhiteNoiseMiddleware",
    "homecare.ops.middleware.RequestLogMiddleware",
    "django.contrib.sessions.middleware.SessionMiddleware",
    "django.middleware.common.CommonMiddleware",
    "django.middleware.csrf.CsrfViewMiddleware",
    "django.contrib.auth.middleware.AuthenticationMiddleware",
    "django.contrib.auth.middleware.LoginRequiredMiddleware",
    "django_otp.middleware.OTPMiddleware",
    # After authentication: the signed-in user is the actor of every audit row
    # written during the request (docs/security.md, "Audit trail").
    "auditlog.middleware.AuditlogMiddleware",
    "django.contrib.messages.middleware.MessageMiddleware",
    # After messages (each may leave a note for the sign-in page); axes last, so
    # it sees the response of the sign-in view it may replace with the lock-out page.
    "homecare.accounts.middleware.IdleSessionMiddleware",
    "homecare.accounts.middleware.TwoFactorMiddleware",
    "django.middleware.clickjacking.XFrameOptionsMiddleware",
    "axes.middleware.AxesMiddleware",
    # A query value a page's form refused is the 400 page (homecare.ui.query).
    "homecare.accounts.bad_request.InvalidQueryMiddleware",
    # Prometheus's timing innermost, next to the view; it passes responses through.
    "django_prometheus.middleware.PrometheusAfterMiddleware",
]

ROOT_URLCONF = "homecare.urls"
WSGI_APPLICATION = "homecare.wsgi.application"

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
                "homecare.context_processors.service",
            ],
        },
    },
]

# Every form field renders as the GOV.UK Design System draws it (homecare/ui/forms.py).
FORM_RENDERER = "homecare.ui.forms.GovukRenderer"

DATABASES = {
    "default": dj_database_url.parse(
        os.environ.get("DATABASE_URL", f"sqlite:///{VAR_DIR / 'homecare.sqlite3'}"),
        conn_max_age=int(os.environ.get("CONN_MAX_AGE", "60")),
    )
}
if DATABASES["default"]["ENGINE"] == "django.db.backends.sqlite3":
    # The demo runs Celery tasks in-process while the web server reads: WAL keeps
    # readers from blocking the importer.
    DATABASES["default"]["OPTIONS"] = {
        "init_command": "PRAGMA journal_mode=WAL; PRAGMA synchronous=NORMAL;",
        "transaction_mode": "IMMEDIATE",
        "timeout": 20,
    }
    DATABASES["default"]["CONN_MAX_AGE"] = 0
# The same backends wrapped to count queries and errors for /metrics.
DATABASES["default"]["ENGINE"] = DATABASES["default"]["ENGINE"].replace(
    "django.db.backends.", "django_prometheus.db.backends.", 1
)

DEFAULT_AUTO_FIELD = "django.db.models.BigAutoField"

# Passwords as the NCSC advises: long (at least 12 characters), not on a list
# of common passwords, not like the username; no rules about character kinds.
AUTH_PASSWORD_VALIDATORS = [
    {"NAME": "django.contrib.auth.password_validation.UserAttributeSimilarityValidator"},
    {
        "NAME": "django.contrib.auth.password_validation.MinimumLengthValidator",
        "OPTIONS": {"min_length": 12},
    },
    {"NAME": "django.contrib.auth.password_validation.CommonPasswordValidator"},
]
# axes first: it refuses a locked-out username and IP before any password is checked.
AUTHENTICATION_BACKENDS = [
    "axes.backends.AxesStandaloneBackend",
    # Signs in; answers stored permissions, leaving the rules' own to the rules.
    "homecare.accounts.backends.StoredPermissionsBackend",
    # Answers user.has_perm() from the rules in providers/permissions.py.
    "rules.permissions.ObjectPermissionBackend",
]
LOGIN_URL = "login"
LOGIN_REDIRECT_URL = "home"
LOGOUT_REDIRECT_URL = "login"

LANGUAGE_CODE = "en-gb"
TIME_ZONE = "Europe/London"
USE_I18N = True
USE_TZ = True

STATIC_URL = "static/"
STATIC_ROOT = VAR_DIR / "staticfiles"
STATICFILES_DIRS = [BASE_DIR / "static"]
STORAGES = {
    "default": {"BACKEND": "django.core.files.storage.FileSystemStorage"},
    "staticfiles": {"BACKEND": "whitenoise.storage.CompressedStaticFilesStorage"},
}
MEDIA_ROOT = VAR_DIR / "media"
# Every upload streams to a temporary file on disk as it arrives, never wholly
# into memory, so a large file costs the web worker no RAM; the view then
# copies it into MEDIA_ROOT and queues the import (it never imports in the request).
FILE_UPLOAD_MAX_MEMORY_SIZE = 256 * 1024
FILE_UPLOAD_HANDLERS = ["django.core.files.uploadhandler.TemporaryFileUploadHandler"]
DATA_UPLOAD_MAX_MEMORY_SIZE = 10 * 1024 * 1024

DJANGO_TABLES2_TEMPLATE = "tables/govuk_table.html"

# Dashboards cache rendered fragments keyed by the stored results they show
# (homecare/views/dashboards.py); a per-process memory cache is enough for that.
CACHES = {
    "default": {
        "BACKEND": "django.core.cache.backends.locmem.LocMemCache",
        "OPTIONS": {"MAX_ENTRIES": 2000},
    }
}

# HTTP (docs/security.md): with DEBUG off, HTTPS only: plain http is
# redirected, HSTS tells browsers never to try it, cookies are sent over
# HTTPS only. Each can be turned off from the environment for a run on the
# loopback (the load benchmark), which `check --deploy` then reports.
SESSION_COOKIE_HTTPONLY = True
SESSION_COOKIE_SECURE = env_bool("SECURE_COOKIES", not DEBUG)
CSRF_COOKIE_SECURE = SESSION_COOKIE_SECURE
SECURE_SSL_REDIRECT = env_bool("SECURE_SSL_REDIRECT", not DEBUG)
# The load balancer's probe and Prometheus's scrape come over plain http
# from inside the network.
SECURE_REDIRECT_EXEMPT = [r"^health/$", r"^metrics$"]
SECURE_HSTS_SECONDS = int(os.environ.get("SECURE_HSTS_SECONDS", "0" if DEBUG else "31536000"))
SECURE_HSTS_INCLUDE_SUBDOMAINS = env_bool("SECURE_HSTS_INCLUDE_SUBDOMAINS", True)
SECURE_HSTS_PRELOAD = env_bool("SECURE_HSTS_PRELOAD", True)
# Behind a proxy that ends TLS, Django sees plain http: the header the proxy
# sets says the browser's request was HTTPS, e.g.
# SECURE_PROXY_SSL_HEADER=X-Forwarded-Proto:https. Set it only when the proxy
# always sets (or strips) that header, or a client could claim HTTPS.
_proxy_header = os.environ.get("SECURE_PROXY_SSL_HEADER", "")
if _proxy_header:
    _name, _, _value = _proxy_header.partition(":")
    if not _value:
        raise ImproperlyConfigured("SECURE_PROXY_SSL_HEADER must be Header-Name:value.")
    SECURE_PROXY_SSL_HEADER = ("HTTP_" + _name.strip().upper().replace("-", "_"), _value.strip())
SECURE_CONTENT_TYPE_NOSNIFF = True
SECURE_REFERRER_POLICY = "same-origin"
SECURE_CROSS_ORIGIN_OPENER_POLICY = "same-origin"
X_FRAME_OPTIONS = "DENY"
# Content Security Policy (django-csp): scripts, styles, fonts and images from
# this service only; no inline script (GOV.UK Frontend's start-up is
# static/js/init.js), no plugins, no framing. Data URIs for images only: the
# empty favicon.
CONTENT_SECURITY_POLICY = {
    "DIRECTIVES": {
        "default-src": [SELF],
        "script-src": [SELF],
        "style-src": [SELF],
        "img-src": [SELF, "data:"],
        "font-src": [SELF],
        "connect-src": [SELF],
        "form-action": [SELF],
        "frame-ancestors": [NONE],
        "base-uri": [SELF],
        "object-src": [NONE],
    },
}
# Permissions-Policy (django-permissions-policy): none of these features is used.
PERMISSIONS_POLICY: dict[str, list[str]] = {
    feature: []
    for feature in (
        "accelerometer",
        "autoplay",
        "camera",
        "display-capture",
        "encrypted-media",
        "fullscreen",
        "geolocation",
        "gyroscope",
        "magnetometer",
        "microphone",
        "midi",
        "payment",
        "picture-in-picture",
        "publickey-credentials-get",
        "screen-wake-lock",
        "sync-xhr",
        "usb",
        "xr-spatial-tracking",
    )
}
SESSION_COOKIE_AGE = 8 * 60 * 60
# A session ends after this many minutes without a request
# (homecare/accounts/middleware.py).
SESSION_IDLE_MINUTES = int(os.environ.get("SESSION_IDLE_MINUTES", "30"))

# Log-in protection (django-axes). A person may enter LOGIN_FAILURE_LIMIT wrong
# passwords; the next wrong one locks that username from that IP address for
# LOGIN_LOCKOUT_MINUTES, counted from the failure that locked it (trying again
# while locked does not push the time back, so the time on the page holds).
LOGIN_FAILURE_LIMIT = int(os.environ.get("LOGIN_FAILURE_LIMIT", "5"))
LOGIN_LOCKOUT_MINUTES = int(os.environ.get("LOGIN_LOCKOUT_MINUTES", "30"))
AXES_FAILURE_LIMIT = LOGIN_FAILURE_LIMIT + 1
AXES_COOLOFF_TIME = timedelta(minutes=LOGIN_LOCKOUT_MINUTES)
AXES_LOCKOUT_PARAMETERS = [["username", "ip_address"]]
AXES_RESET_ON_SUCCESS = True
AXES_RESET_COOL_OFF_ON_FAILURE_DURING_LOCKOUT = False
AXES_ENABLE_ACCESS_FAILURE_LOG = True
AXES_LOCKOUT_CALLABLE = "homecare.accounts.lockout.lockout_response"
# Behind TRUSTED_PROXY_COUNT reverse proxies, each appends the address it was
# reached from to X-Forwarded-For, so the client is the entry that many places
# from the right; whatever a client wrote further left is ignored, or anyone
# could pick the address they are locked out by. With none, REMOTE_ADDR.
TRUSTED_PROXY_COUNT = int(os.environ.get("TRUSTED_PROXY_COUNT", "0"))
if TRUSTED_PROXY_COUNT:
    AXES_IPWARE_META_PRECEDENCE_ORDER = ("HTTP_X_FORWARDED_FOR", "REMOTE_ADDR")
    AXES_IPWARE_PROXY_COUNT = TRUSTED_PROXY_COUNT - 1  # ipware counts hops after the client
    IPWARE_STRICT = False  # extra entries in front are skipped, not a reason to give up

# Two-factor sign-in (django-otp, TOTP). Anyone may turn it on; with
# OTP_REQUIRED_FOR_STAFF council staff must set it up before anything else.
OTP_REQUIRED_FOR_STAFF = env_bool("OTP_REQUIRED_FOR_STAFF", False)
OTP_ADMIN_HIDE_SENSITIVE_DATA = True

SERVICE_NAME = os.environ.get("SERVICE_NAME", "Home care commissioning")
COUNCIL_NAME = os.environ.get("COUNCIL_NAME", "Demo City Council")
# The name an authenticator app shows beside the code.
OTP_TOTP_ISSUER = os.environ.get("OTP_TOTP_ISSUER") or f"{SERVICE_NAME} ({COUNCIL_NAME})"

# Celery: without a broker, tasks run in-process (the demo needs no servers).
CELERY_BROKER_URL = os.environ.get("CELERY_BROKER_URL", "")
CELERY_RESULT_BACKEND = os.environ.get("CELERY_RESULT_BACKEND", CELERY_BROKER_URL or None)
CELERY_TASK_ALWAYS_EAGER = not CELERY_BROKER_URL
CELERY_TASK_EAGER_PROPAGATES = True
CELERY_TIMEZONE = TIME_ZONE
CELERY_TASK_ACKS_LATE = True
CELERY_WORKER_PREFETCH_MULTIPLIER = 1
# PDF packs take seconds of CPU each: they have a queue of their own, served by a
# worker of concurrency 1 in production, so they never hold up imports and KPIs.
CELERY_TASK_ROUTES = {"packs.*": {"queue": "packs"}}
CELERY_TASK_SERIALIZER = "json"
CELERY_ACCEPT_CONTENT = ["json"]
if not CELERY_BROKER_URL:
    CELERY_BROKER_URL = "memory://localhost/"
# A page that sends a task must answer even while Redis is down: a refused or
# unanswered connection fails within about a second (two tries), and the
# caller keeps its work to send later (homecare/imports/tasks.py).
CELERY_TASK_PUBLISH_RETRY_POLICY = {
    "max_retries": 1,
    "interval_start": 0,
    "interval_step": 0.2,
    "interval_max": 0.2,
}
if CELERY_BROKER_URL.startswith("redis"):
    CELERY_BROKER_TRANSPORT_OPTIONS = {
        "socket_connect_timeout": 1,
        "socket_timeout": 2,
        # An unacknowledged task (its worker was killed) is handed out again
        # after this long; it must outlast the longest task (an hour), or a
        # running task would be handed to a second worker.
        "visibility_timeout": int(os.environ.get("CELERY_VISIBILITY_TIMEOUT", 2 * 60 * 60)),
    }
if (CELERY_RESULT_BACKEND or "").startswith("redis"):
    # Sending a task that keeps its result subscribes to the result store
    # first: without a bound that retries for twenty seconds when Redis is down.
    CELERY_RESULT_BACKEND_TRANSPORT_OPTIONS = {"retry_policy": {"timeout": 2.0}}
    CELERY_REDIS_SOCKET_CONNECT_TIMEOUT = 1

# Keeping no more than needed (docs/security.md): visits of the current month
# and this many whole months before it; a rejected or failed upload's file for
# this many days.
VISIT_RETENTION_MONTHS = int(os.environ.get("VISIT_RETENTION_MONTHS", "84"))
FAILED_UPLOAD_RETENTION_DAYS = int(os.environ.get("FAILED_UPLOAD_RETENTION_DAYS", "30"))
# Imports still queued this long after being sent are sent again (a lost
# message); one started this many times by workers that died is left failed.
IMPORT_REQUEUE_AFTER_MINUTES = int(os.environ.get("IMPORT_REQUEUE_AFTER_MINUTES", "30"))
IMPORT_MAX_ATTEMPTS = int(os.environ.get("IMPORT_MAX_ATTEMPTS", "3"))

# Logs (docs/operations.md): one JSON object a line in production, with the
# request id (X-Request-ID, made here or taken from the proxy) that a request
# hands on to the Celery tasks it sends; LOG_FORMAT=text for people reading.
LOG_FORMAT = os.environ.get("LOG_FORMAT", "text" if DEBUG else "json")
if LOG_FORMAT not in {"json", "text"}:
    raise ImproperlyConfigured("LOG_FORMAT must be json or text.")
LOGGING = {
    "version": 1,
    "disable_existing_loggers": False,
    "filters": {
        "request_id": {
            "()": "django_guid.log_filters.CorrelationId",
            "correlation_id_field": "request_id",
        },
    },
    "formatters": {
        "json": {
            "()": "pythonjsonlogger.json.JsonFormatter",
            "fmt": ["levelname", "name", "message", "request_id"],
            "rename_fields": {"levelname": "level", "name": "logger"},
            "timestamp": True,
        },
        "text": {"format": "%(asctime)s %(levelname)s %(name)s [%(request_id)s] %(message)s"},
    },
    "handlers": {
        "console": {
            "class": "logging.StreamHandler",
            "formatter": LOG_FORMAT,
            "filters": ["request_id"],
        },
    },
    "root": {"handlers": ["console"], "level": os.environ.get("LOG_LEVEL", "INFO")},
    "loggers": {
        # Django's own console handler would print a second, plain copy.
        "django": {"level": "INFO", "handlers": []},
        "django.db.backends": {"level": "WARNING"},
        "django_guid": {"level": "WARNING"},
    },
}
DJANGO_GUID = {
    "GUID_HEADER_NAME": "X-Request-ID",
    # Tasks carry the id of the request (or task) that sent them in a header;
    # the worker logs with it and uses these LOGGING settings, not its own.
    "INTEGRATIONS": [CeleryIntegration(use_django_logging=True)],
}

# Metrics (homecare.ops.views.metrics): a Prometheus scrape is let in with
# `Authorization: Bearer METRICS_TOKEN`, or from an address in
# METRICS_ALLOWED_IPS (addresses or networks). Closed unless set; in DEBUG
# this machine may scrape.
METRICS_TOKEN = os.environ.get("METRICS_TOKEN", "")
METRICS_ALLOWED_IPS = [
    ip.strip()
    for ip in os.environ.get("METRICS_ALLOWED_IPS", "127.0.0.1,::1" if DEBUG else "").split(",")
    if ip.strip()
]
# A Celery worker serves its own metrics (tasks, imports) on this port when set.
CELERY_METRICS_PORT = int(os.environ.get("CELERY_METRICS_PORT", "0"))
CELERY_METRICS_ADDR = os.environ.get("CELERY_METRICS_ADDR", "127.0.0.1")

# Backups (homecare.ops, `make backup`): where archives go and how many days
# they are kept there; the off-site copy's schedule should not be longer.
BACKUP_DIR = Path(os.environ.get("BACKUP_DIR", VAR_DIR / "backups"))
BACKUP_RETENTION_DAYS = int(os.environ.get("BACKUP_RETENTION_DAYS", "35"))
# Where pg_dump and pg_restore are, when those on PATH are older than the server.
PG_BIN_DIR = os.environ.get("PG_BIN_DIR", "")

# Errors to Sentry only when SENTRY_DSN is set, with no personal data.
SENTRY_DSN = os.environ.get("SENTRY_DSN", "")
if SENTRY_DSN:
    from homecare.ops.sentry import init_sentry

    init_sentry(
        SENTRY_DSN,
        environment=os.environ.get("SENTRY_ENVIRONMENT", "production"),
        traces_sample_rate=float(os.environ.get("SENTRY_TRACES_SAMPLE_RATE", "0")),
    )

# Audit trail (django-auditlog, homecare/audit/). Changes keep a foreign key's
# name ("Lot A (Framework 1)") rather than its id, so a history reads well after
# the row it named is gone; the remote address is kept with each row.
AUDITLOG_USE_FK_STRING_REPRESENTATION = True
AUDITLOG_DISABLE_REMOTE_ADDR = False
# Each audit row carries the request id that the request's log lines carry
# (django-guid, docs/operations.md), and a Celery task's id inside a task.
AUDITLOG_CID_GETTER = "django_guid.get_guid"
# How long audit rows are kept, in months (docs/security.md); the retention
# command never removes them before that.
AUDIT_RETENTION_MONTHS = int(os.environ.get("AUDIT_RETENTION_MONTHS", "84"))
