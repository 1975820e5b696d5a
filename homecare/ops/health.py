"""/health/ for the load balancer, container health checks and uptime
monitors, built on django-health-check: the database answers a query, the
cache keeps a value, and, where tasks go through a broker, Redis answers a
ping and a live Celery worker answers one on the imports queue.

200 when every check passes, 503 when any fails. The answer names each check
and says "ok" or "unavailable", nothing more: no host, port, version or error
text (those go to the log), so it is safe to leave open without a log-in."""

from __future__ import annotations

import asyncio
import datetime as dt
from collections.abc import Iterator
from typing import Any

from celery.app import app_or_default
from django.conf import settings
from django.http import HttpRequest, JsonResponse
from health_check.base import HealthCheck
from health_check.checks import Cache, Database
from health_check.contrib.celery import Ping
from health_check.contrib.redis import Redis
from health_check.views import HealthCheckView
from redis.asyncio import Redis as RedisClient

# A worker has this long to answer; the load balancer's probe waits longer.
WORKER_PING_SECONDS = 2.0


def _broker_client() -> RedisClient:
    return RedisClient.from_url(
        settings.CELERY_BROKER_URL, socket_connect_timeout=1, socket_timeout=2
    )


def health_checks() -> Iterator[tuple[str, HealthCheck]]:
    """The checks by the name the answer gives them. The demo (tasks run
    in-process, no broker) has only the database and the cache."""
    yield "database", Database()
    yield "cache", Cache()
    if settings.CELERY_TASK_ALWAYS_EAGER:
        return
    if settings.CELERY_BROKER_URL.startswith(("redis://", "rediss://")):
        yield "redis", Redis(client_factory=_broker_client)
    # limit=1: answer as soon as one worker replies rather than wait out the timeout.
    yield (
        "celery",
        Ping(app=app_or_default(), timeout=dt.timedelta(seconds=WORKER_PING_SECONDS), limit=1),
    )


class HealthView(HealthCheckView):
    async def get(self, request: HttpRequest, *args: Any, **kwargs: Any) -> JsonResponse:
        names, checks = zip(*health_checks(), strict=True)
        with self.get_executor() as executor:
            results = await asyncio.gather(*(check.get_result(executor) for check in checks))
        body = {
            name: "unavailable" if result.error else "ok"
            for name, result in zip(names, results, strict=True)
        }
        healthy = all(value == "ok" for value in body.values())
        return JsonResponse(
            {"status": "ok" if healthy else "unavailable", **body}, status=200 if healthy else 503
        )
