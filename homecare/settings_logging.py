"""Logging settings (docs/operations.md): JSON lines in production, each with
the request id that Celery tasks carry on. settings.py takes them all."""

import os

from django.core.exceptions import ImproperlyConfigured
from django_guid.integrations import CeleryIntegration

from homecare.settings_env import DEBUG

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
