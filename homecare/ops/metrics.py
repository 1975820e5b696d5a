"""Prometheus metrics beyond django-prometheus's requests and queries.

Counted where they happen (each Celery worker process, each web process):
task outcomes and durations here, import rows and durations in
homecare.imports.metrics. Read at scrape time from where they live: the
length of the Celery queue (Redis), whether last month's KPIs are computed,
imports left unfinished (the database) and free disk space.

With PROMETHEUS_MULTIPROC_DIR set (gunicorn's workers, Celery's prefork
children) each process writes its counters there and a scrape adds them up.
"""

from __future__ import annotations

import logging
import os
import shutil
import time
from collections.abc import Iterable, Iterator

import redis
from django.conf import settings
from django.db import DatabaseError
from django.db.models import Count, Max, Min
from prometheus_client import REGISTRY, CollectorRegistry, Counter, Histogram, start_http_server
from prometheus_client.core import GaugeMetricFamily, Metric
from prometheus_client.multiprocess import MultiProcessCollector
from prometheus_client.registry import Collector

from common.months import current_month
from homecare.kpis.models import MonthlyKpi
from homecare.kpis.selectors import month_is_computed
from visits.models import ImportOutcome, ImportRecord

logger = logging.getLogger(__name__)

TASKS = Counter(
    "homecare_celery_tasks", "Celery tasks finished, by task name and state.", ["task", "state"]
)
TASK_FAILURES = Counter(
    "homecare_celery_task_failures", "Celery tasks that raised an error, by task name.", ["task"]
)
TASK_SECONDS = Histogram(
    "homecare_celery_task_duration_seconds",
    "How long Celery tasks ran, by task name.",
    ["task"],
    buckets=(0.1, 0.5, 1, 5, 15, 60, 300, 900, 1800, 3600, float("inf")),
)

# kombu's Redis transport keeps a queue's messages of priority 3, 6 and 9 in
# lists of their own beside the plain one.
PRIORITY_SEPARATOR = "\x06\x16"
PRIORITY_STEPS = (3, 6, 9)


def multiprocess_dir() -> str:
    return os.environ.get("PROMETHEUS_MULTIPROC_DIR", "")


def queue_names() -> list[str]:
    """The default queue and every queue a task route names (packs have theirs)."""
    names = [getattr(settings, "CELERY_TASK_DEFAULT_QUEUE", "celery")]
    for route in (getattr(settings, "CELERY_TASK_ROUTES", None) or {}).values():
        queue = route.get("queue") if isinstance(route, dict) else None
        if queue and queue not in names:
            names.append(queue)
    return names


def _waiting(client: redis.Redis, queue: str) -> int:
    keys = [queue] + [f"{queue}{PRIORITY_SEPARATOR}{step}" for step in PRIORITY_STEPS]
    with client.pipeline() as pipe:
        for key in keys:
            pipe.llen(key)
        return sum(int(n) for n in pipe.execute())


class QueueCollector(Collector):
    """Messages waiting in the Celery queue, read from Redis at each scrape:
    a queue that keeps growing means the workers are down or too few."""

    def collect(self) -> Iterable[Metric]:
        broker = settings.CELERY_BROKER_URL
        if not broker.startswith(("redis://", "rediss://")):
            return
        up = GaugeMetricFamily("homecare_celery_broker_up", "1 if Redis answered the scrape.")
        length = GaugeMetricFamily(
            "homecare_celery_queue_length", "Tasks waiting in a Celery queue.", labels=["queue"]
        )
        try:
            client = redis.Redis.from_url(broker, socket_timeout=1, socket_connect_timeout=1)
            waiting = {queue: _waiting(client, queue) for queue in queue_names()}
            client.close()
        except redis.RedisError:
            logger.warning("Metrics: the broker did not answer")
            up.add_metric([], 0)
            yield up
            return
        up.add_metric([], 1)
        for queue, count in waiting.items():
            length.add_metric([queue], count)
        yield up
        yield length


class ServiceCollector(Collector):
    """What the database and disk say, read at each scrape with a few
    aggregate queries."""

    def collect(self) -> Iterable[Metric]:
        yield from self._database()
        media = settings.MEDIA_ROOT
        if os.path.isdir(media):
            disk = shutil.disk_usage(media)
            free = GaugeMetricFamily(
                "homecare_media_disk_free_bytes", "Free space where stored files are kept."
            )
            free.add_metric([], disk.free)
            yield free

    def _database(self) -> Iterator[Metric]:
        up = GaugeMetricFamily("homecare_database_up", "1 if the database answered the scrape.")
        try:
            previous = month_is_computed(current_month().previous())
            last = MonthlyKpi.objects.aggregate(last=Max("computed_at"))["last"]
            unfinished = {
                outcome: (n, oldest)
                for outcome, n, oldest in ImportRecord.objects.filter(
                    outcome__in=[ImportOutcome.QUEUED, ImportOutcome.RUNNING]
                )
                .order_by()
                .values_list("outcome")
                .annotate(n=Count("*"), oldest=Min("created_at"))
                .values_list("outcome", "n", "oldest")
            }
        except DatabaseError:
            logger.warning("Metrics: the database did not answer")
            up.add_metric([], 0)
            yield up
            return
        up.add_metric([], 1)
        yield up
        computed = GaugeMetricFamily(
            "homecare_kpis_previous_month_computed",
            "1 once last month's KPIs are stored (the scheduled run starts on the 1st).",
        )
        computed.add_metric([], 1 if previous else 0)
        yield computed
        if last is not None:
            stamp = GaugeMetricFamily(
                "homecare_kpis_last_computed_timestamp_seconds",
                "When monthly KPIs were last computed (Unix time).",
            )
            stamp.add_metric([], last.timestamp())
            yield stamp
        waiting = GaugeMetricFamily(
            "homecare_imports_unfinished", "Imports queued or running.", labels=["outcome"]
        )
        for outcome in (ImportOutcome.QUEUED, ImportOutcome.RUNNING):
            waiting.add_metric([outcome.value], unfinished.get(outcome, (0, None))[0])
        yield waiting
        oldest = min((first for _, first in unfinished.values()), default=None)
        age = GaugeMetricFamily(
            "homecare_imports_oldest_unfinished_seconds",
            "Age of the oldest import still queued or running (0 if none).",
        )
        age.add_metric([], time.time() - oldest.timestamp() if oldest else 0)
        yield age


def _process_registry() -> CollectorRegistry:
    """This process's counters, or every process's when they share a directory."""
    if multiprocess_dir():
        registry = CollectorRegistry()
        MultiProcessCollector(registry)
        return registry
    return REGISTRY


def web_registry() -> CollectorRegistry:
    """What /metrics shows: the counters, and what is read at scrape time."""
    registry = CollectorRegistry()
    registry.register(_process_registry())
    registry.register(QueueCollector())
    registry.register(ServiceCollector())
    return registry


def serve_worker_metrics(**_: object) -> None:
    """worker_ready: a Celery worker answers scrapes on CELERY_METRICS_PORT
    (its tasks and imports run there, not in the web processes). Plain HTTP
    with no log-in: keep the port on the internal network."""
    port = getattr(settings, "CELERY_METRICS_PORT", 0)
    if not port:
        return
    addr = getattr(settings, "CELERY_METRICS_ADDR", "127.0.0.1")
    start_http_server(port, addr=addr, registry=_process_registry())
    logger.info("Worker metrics on %s:%s/metrics", addr, port)


def connect() -> None:
    from celery.signals import worker_ready

    worker_ready.connect(serve_worker_metrics, weak=False, dispatch_uid="ops-worker-metrics")
