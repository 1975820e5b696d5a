"""Error reports to Sentry, only when SENTRY_DSN is set (settings.py calls
`init_sentry`). Nothing personal leaves: no user, cookies, IP addresses,
request bodies, local variables or command lines; each report carries the request id so it
can be matched to the log lines."""

from __future__ import annotations

from typing import Any

import sentry_sdk
from django_guid import get_guid
from sentry_sdk.integrations.argv import ArgvIntegration
from sentry_sdk.integrations.celery import CeleryIntegration
from sentry_sdk.integrations.django import DjangoIntegration
from sentry_sdk.types import Event, Hint


def tag_request_id(event: Event, hint: Hint) -> Event:
    """before_send: runs where the error happened, so the request (or task)
    id in context is the one its log lines carry."""
    request_id = get_guid()
    if request_id:
        event.setdefault("tags", {})["request_id"] = request_id
    return event


def sentry_options(dsn: str, *, environment: str, traces_sample_rate: float) -> dict[str, Any]:
    return {
        "dsn": dsn,
        "environment": environment,
        "integrations": [DjangoIntegration(), CeleryIntegration()],
        "send_default_pii": False,
        # Form posts carry assessment notes and people's references; stack
        # frames' variables could carry anything: neither is sent.
        "max_request_body_size": "never",
        "include_local_variables": False,
        # A command line (`manage.py shell -c ...`) can carry anything too.
        "disabled_integrations": [ArgvIntegration()],
        "traces_sample_rate": traces_sample_rate,
        "before_send": tag_request_id,
    }


def init_sentry(dsn: str, *, environment: str, traces_sample_rate: float = 0.0) -> None:
    sentry_sdk.init(
        **sentry_options(dsn, environment=environment, traces_sample_rate=traces_sample_rate)
    )
