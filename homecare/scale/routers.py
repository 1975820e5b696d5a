"""Reads from a replica (DATABASE_REPLICA_URL, optional; docs/scale.md).

The pages that only read (dashboards and their CSV exports, packs) and the
pack-building tasks read from the `replica` alias; everything else, and every
write wherever it happens, uses the primary (`default`). Which code reads from
the replica is said in one place, by module (REPLICA_READERS), so a feature app
need not know: the middleware marks a GET or HEAD request to one of those
views, a Celery signal marks a task of those apps, and the router sends that
request's or task's reads to the replica. Without a replica configured the
router says nothing and Django uses the primary.

A replica lags the primary a little: the pages read stored monthly results,
which change a few times a month, so a second's lag is never seen.
"""

from __future__ import annotations

import contextlib
from collections.abc import Callable, Iterator
from contextvars import ContextVar, Token
from typing import Any

from django.conf import settings
from django.db.models import Model
from django.http import HttpRequest, HttpResponse

REPLICA = "replica"
# Views (by module) and Celery tasks (by name) whose reads go to the replica.
REPLICA_READERS = ("homecare.dashboards", "homecare.packs", "homecare.market")
REPLICA_TASKS = ("packs.",)
SAFE_METHODS = {"GET", "HEAD"}

_reading_replica: ContextVar[bool] = ContextVar("reading_replica", default=False)


def replica_configured() -> bool:
    return REPLICA in settings.DATABASES


@contextlib.contextmanager
def replica_reads() -> Iterator[None]:
    """Reads inside go to the replica, if there is one."""
    token = _reading_replica.set(True)
    try:
        yield
    finally:
        _reading_replica.reset(token)


class ReplicaRouter:
    def db_for_read(self, model: type[Model], **hints: Any) -> str | None:
        if _reading_replica.get() and replica_configured():
            return REPLICA
        return None

    def db_for_write(self, model: type[Model], **hints: Any) -> str:
        return "default"

    def allow_relation(self, obj1: Model, obj2: Model, **hints: Any) -> bool:
        # Both aliases are one database seen twice.
        return True

    def allow_migrate(self, db: str, app_label: str, **hints: Any) -> bool:
        return db != REPLICA


class ReplicaReadsMiddleware:
    """Marks a GET or HEAD request to a reader's view (REPLICA_READERS): from
    the view until its response is rendered, reads go to the replica."""

    def __init__(self, get_response: Callable[[HttpRequest], HttpResponse]) -> None:
        self.get_response = get_response

    def __call__(self, request: HttpRequest) -> HttpResponse:
        try:
            return self.get_response(request)
        finally:
            token = getattr(request, "_replica_token", None)
            if token is not None:
                _reading_replica.reset(token)

    def process_view(
        self, request: HttpRequest, view_func: Callable, view_args: Any, view_kwargs: Any
    ) -> None:
        module = getattr(view_func, "__module__", "") or ""
        if request.method in SAFE_METHODS and module.startswith(REPLICA_READERS):
            request._replica_token = _reading_replica.set(True)  # type: ignore[attr-defined]


# Celery: a task of REPLICA_TASKS reads from the replica while it runs. Tokens
# by task id, so a task run inline inside another restores the outer state.
_task_tokens: dict[str, Token[bool]] = {}


def task_started(task_id: str = "", task: Any = None, **kwargs: Any) -> None:
    """celery.signals.task_prerun."""
    name = getattr(task, "name", "") or ""
    _task_tokens[task_id] = _reading_replica.set(name.startswith(REPLICA_TASKS))


def task_finished(task_id: str = "", **kwargs: Any) -> None:
    """celery.signals.task_postrun."""
    token = _task_tokens.pop(task_id, None)
    if token is not None:
        _reading_replica.reset(token)
