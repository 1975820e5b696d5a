"""Celery tasks in the logs and metrics: a line when each finishes, fails or
is retried, with its name, id and run time. django-guid's Celery integration
(settings.DJANGO_GUID) has already set the request id the task was sent with,
so these lines, and every line the task logs, carry it."""

from __future__ import annotations

import logging
import time
from typing import Any

from celery.signals import task_failure, task_prerun, task_retry, task_success

from homecare.ops.metrics import TASK_FAILURES, TASK_SECONDS, TASKS

logger = logging.getLogger("homecare.tasks")

# Task id -> when it started, in this process; entries go when the task ends.
_started: dict[str, float] = {}


def _finished(task_id: str | None, name: str, state: str) -> float | None:
    began = _started.pop(task_id or "", None)
    TASKS.labels(task=name, state=state).inc()
    if began is None:
        return None
    seconds = time.monotonic() - began
    TASK_SECONDS.labels(task=name).observe(seconds)
    return seconds


def _fields(task_id: str | None, name: str, state: str, seconds: float | None) -> dict[str, Any]:
    return {
        "task": name,
        "task_id": task_id,
        "state": state,
        "duration_ms": None if seconds is None else round(seconds * 1000, 1),
    }


def on_prerun(task_id: str | None = None, task: Any = None, **_: Any) -> None:
    if task_id:
        _started[task_id] = time.monotonic()


def on_success(sender: Any = None, **_: Any) -> None:
    task_id = sender.request.id if sender else None
    name = getattr(sender, "name", "unknown")
    seconds = _finished(task_id, name, "succeeded")
    logger.info("Task %s succeeded", name, extra=_fields(task_id, name, "succeeded", seconds))


def on_failure(
    sender: Any = None, task_id: str | None = None, exception: BaseException | None = None, **_: Any
) -> None:
    name = getattr(sender, "name", "unknown")
    seconds = _finished(task_id, name, "failed")
    TASK_FAILURES.labels(task=name).inc()
    # The traceback is in Celery's own error line; this one is for counting and alerts.
    logger.error(
        "Task %s failed: %s",
        name,
        type(exception).__name__ if exception else "unknown error",
        extra=_fields(task_id, name, "failed", seconds),
    )


def on_retry(sender: Any = None, request: Any = None, reason: Any = None, **_: Any) -> None:
    name = getattr(sender, "name", "unknown")
    task_id = getattr(request, "id", None)
    seconds = _finished(task_id, name, "retried")
    logger.warning(
        "Task %s will be retried: %s",
        name,
        reason,
        extra=_fields(task_id, name, "retried", seconds),
    )


def connect() -> None:
    task_prerun.connect(on_prerun, weak=False, dispatch_uid="ops-task-prerun")
    task_success.connect(on_success, weak=False, dispatch_uid="ops-task-success")
    task_failure.connect(on_failure, weak=False, dispatch_uid="ops-task-failure")
    task_retry.connect(on_retry, weak=False, dispatch_uid="ops-task-retry")
