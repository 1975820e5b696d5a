"""Settings come from the environment so one build runs the demo (SQLite, tasks
in-process) and production (PostgreSQL, Celery on Redis) unchanged."""

import os
from pathlib import Path

import dj_database_url
from django.core.exceptions import ImproperlyConfigured

from homecare.settings_env import DEBUG, SERVICE_NAME, env_bool

BASE_DIR = Path(__file__).resolve().parent.parent
VAR_DIR = Path(os.environ.get("HOMECARE_VAR_DIR", BASE_DIR / "var"))
VAR_DIR.mkdir(parents=True, exist_ok=True)


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
    "homecare.payments",
    "homecare.search",
    "homecare.sso",
    "homecare.returns",
    "homecare.alerts",
    "rest_framework",
    "drf_spectacular",
    "drf_spectacular_sidecar",
    "homecare.api",
    "homecare.scale",
    "homecare.market",
    "homecare.improvement",
    "homecare.ranking",
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
    # A council sign-in is checked with its identity provider again every
    # SSO_RECHECK_MINUTES; password sign-ins pass straight through.
    "homecare.sso.middleware.SsoSessionRefresh",
    "django.middleware.clickjacking.XFrameOptionsMiddleware",
    "axes.middleware.AxesMiddleware",
    # A query value a page's form refused is the 400 page (homecare.ui.query).
    "homecare.accounts.bad_request.InvalidQueryMiddleware",
    # Prometheus's timing innermost, next to the view; it passes responses through.
    "django_prometheus.middleware.PrometheusAfterMiddleware",
    # Last, next to the view: a reading page's queries go to the replica, if any.
    "homecare.scale.routers.ReplicaReadsMiddleware",
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
                "homecare.alerts.context_processors.alerts",
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

# Reads from a replica (issue 16, docs/scale.md): with DATABASE_REPLICA_URL set,
# dashboards, their exports and packs read from it (homecare/scale/routers.py);
# writes always go to the primary. Under test it mirrors the primary.
if os.environ.get("DATABASE_REPLICA_URL"):
    DATABASES["replica"] = {
        **dj_database_url.parse(
            os.environ["DATABASE_REPLICA_URL"],
            conn_max_age=int(os.environ.get("CONN_MAX_AGE", "60")),
        ),
        "TEST": {"MIRROR": "default"},
    }
    DATABASES["replica"]["ENGINE"] = DATABASES["replica"]["ENGINE"].replace(
        "django.db.backends.", "django_prometheus.db.backends.", 1
    )
DATABASE_ROUTERS = ["homecare.scale.routers.ReplicaRouter"]

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
    # Council staff's single sign-on (homecare/sso); it answers only its own callback.
    "homecare.sso.backends.CouncilOidcBackend",
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

# Dashboards cache rendered fragments and the year of money figures, keyed by
# the stored results they show (homecare/dashboards/views/monthly.py). The demo
# and the tests keep a per-process memory cache; production sets CACHE_URL
# (a Redis db of its own, not the broker's) so every web process shares what one
# worked out, and the worker can warm it after each month's KPIs (docs/decisions.md).
CACHE_URL = os.environ.get("CACHE_URL", "")
if CACHE_URL:
    CACHES = {
        "default": {
            "BACKEND": "django.core.cache.backends.redis.RedisCache",
            "LOCATION": CACHE_URL,
            # Passed to redis-py's connection pool: a Redis that does not answer
            # fails the request within seconds rather than hanging it.
            "OPTIONS": {"socket_connect_timeout": 2, "socket_timeout": 5},
        }
    }
else:
    CACHES = {
        "default": {
            "BACKEND": "django.core.cache.backends.locmem.LocMemCache",
            "OPTIONS": {"MAX_ENTRIES": 2000},
        }
    }
# The year of money figures (issue 13) are worked out in the background after a
# month's KPIs, for the market page's first view. Worth it only where the cache
# is shared: a worker's memory cache is seen by no web process.
MONEY_WARM_AFTER_KPIS = env_bool("MONEY_WARM_AFTER_KPIS", bool(CACHE_URL))

# HTTPS, headers, CSP, sessions, log-in protection, two-factor sign-in.
from homecare.settings_security import *  # noqa: E402,F403

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
# Evidence files on improvement updates and assessments (issue 15): the largest
# accepted, in bytes (10 MB: a scanned report or a few photographs).
EVIDENCE_MAX_BYTES = int(os.environ.get("EVIDENCE_MAX_BYTES", str(10 * 1024 * 1024)))

# Logs with request ids (homecare/settings_logging.py).
from homecare.settings_logging import *  # noqa: E402,F403

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

# The monthly provider return and the ECM file (issue 14): each month's are due
# on this day of the following month; reminders go this many days before, and
# once when overdue (homecare/returns/reminders.py), by Celery beat.
RETURN_DUE_DAY = int(os.environ.get("RETURN_DUE_DAY", "15"))
ECM_FILE_DUE_DAY = int(os.environ.get("ECM_FILE_DUE_DAY", "10"))
REMINDER_DAYS_BEFORE = int(os.environ.get("REMINDER_DAYS_BEFORE", "3"))
# The Real Living Wage (outside London) in force from each date: pay in the
# returns is compared with the rate in force at the end of the month.
REAL_LIVING_WAGE = [
    ("2023-10-24", "12.00"),
    ("2024-10-22", "12.60"),
    ("2025-10-23", "13.45"),
]

# E-mail: the console in the demo (and whenever no SMTP host is set); SMTP
# from the environment for real.
EMAIL_HOST = os.environ.get("EMAIL_HOST", "")
EMAIL_BACKEND = os.environ.get(
    "EMAIL_BACKEND",
    "django.core.mail.backends.smtp.EmailBackend"
    if EMAIL_HOST
    else "django.core.mail.backends.console.EmailBackend",
)
EMAIL_PORT = int(os.environ.get("EMAIL_PORT", "587"))
EMAIL_HOST_USER = os.environ.get("EMAIL_HOST_USER", "")
EMAIL_HOST_PASSWORD = os.environ.get("EMAIL_HOST_PASSWORD", "")
EMAIL_USE_TLS = env_bool("EMAIL_USE_TLS", True)
EMAIL_TIMEOUT = int(os.environ.get("EMAIL_TIMEOUT", "10"))
# The service's address, for links in e-mails.
SITE_URL = os.environ.get("SITE_URL", "http://127.0.0.1:8000")
DEFAULT_FROM_EMAIL = os.environ.get("DEFAULT_FROM_EMAIL", "homecare@example.invalid")

# The API (issue 14, homecare/api): bearer tokens only (no session, so no CSRF
# question), every view decides its own access, throttled per token.
API_TOKEN_DAYS = int(os.environ.get("API_TOKEN_DAYS", "90"))
REST_FRAMEWORK = {
    "DEFAULT_AUTHENTICATION_CLASSES": ["homecare.api.auth.BearerTokenAuthentication"],
    "DEFAULT_PERMISSION_CLASSES": ["homecare.api.auth.HasApiToken"],
    "DEFAULT_THROTTLE_CLASSES": ["homecare.api.auth.PerTokenThrottle"],
    "DEFAULT_THROTTLE_RATES": {"token": os.environ.get("API_THROTTLE_RATE", "120/minute")},
    "DEFAULT_SCHEMA_CLASS": "drf_spectacular.openapi.AutoSchema",
    "DEFAULT_RENDERER_CLASSES": ["rest_framework.renderers.JSONRenderer"],
    "UNAUTHENTICATED_USER": None,
    "DEFAULT_PAGINATION_CLASS": "rest_framework.pagination.LimitOffsetPagination",
    "PAGE_SIZE": 100,
    "EXCEPTION_HANDLER": "homecare.api.errors.exception_handler",
}
SPECTACULAR_SETTINGS = {
    "TITLE": f"{SERVICE_NAME} API",
    "DESCRIPTION": (
        "For providers' electronic call monitoring systems and for commissioners: "
        "send a month's visits file, follow its import, submit and read the monthly "
        "return, read KPIs. Send `Authorization: Bearer <token>`."
    ),
    "VERSION": "1",
    "SERVE_INCLUDE_SCHEMA": False,
    "SWAGGER_UI_DIST": "SIDECAR",
    "SWAGGER_UI_FAVICON_HREF": "SIDECAR",
    "REDOC_DIST": "SIDECAR",
    "COMPONENT_SPLIT_REQUEST": True,
    "POSTPROCESSING_HOOKS": [
        "drf_spectacular.hooks.postprocess_schema_enums",
        "homecare.api.schema.add_common_responses",
    ],
}
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

# Single sign-on for council staff by OpenID Connect (homecare/sso;
# docs/operations.md "Configure SSO"): every OIDC_* and SSO_* setting.
from homecare.settings_sso import *  # noqa: E402,F403
