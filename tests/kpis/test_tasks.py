"""The KPI task, its schedule and the import hook (the task body runs in-process;
test_celery_worker.py runs it through a real worker)."""

from __future__ import annotations

import datetime as dt
from unittest import mock

import pytest
from celery.schedules import crontab
from django.db import OperationalError

from common.months import Month
from homecare.celery import app
from homecare.imports.services import after_import
from homecare.kpis import tasks
from homecare.kpis.models import KpiScope, MonthlyKpi
from homecare.kpis.services import ComputeSummary
from tests.factories import CarePackageFactory, ContractFactory, ProviderFactory
from tests.kpi_factories import london, visit
from visits.models import ImportKind, ImportRecord

pytestmark = pytest.mark.django_db


def test_compute_month_runs_the_service():
    provider = ProviderFactory(ref="P01")
    package = CarePackageFactory(provider=provider, contract=ContractFactory(provider=provider))
    visit(package, london(2026, 10, 5, 7, 0))
    result = tasks.compute_month.apply(args=("2026-10",)).get()
    assert result == {"month": "2026-10", "providers": ["P01"], "lots": 1}
    assert MonthlyKpi.objects.get(scope=KpiScope.MARKET).figures["scheduled_visits"] == 1


def test_compute_month_retries_a_dropped_connection():
    calls = []

    def flaky(month, provider_ref=None):
        calls.append(month)
        if len(calls) == 1:
            raise OperationalError("server closed the connection unexpectedly")
        return ComputeSummary(month=month)

    with mock.patch.object(tasks, "compute_month_kpis", side_effect=flaky):
        # throw=False: in eager mode Celery then re-applies the retry at once.
        result = tasks.compute_month.apply(args=("2026-10",), throw=False).get()
    assert len(calls) == 2
    assert result["month"] == "2026-10"


def test_compute_month_task_options():
    task = tasks.compute_month
    assert task.autoretry_for == (OperationalError, tasks.InterfaceError)
    assert task.max_retries == 5 and task.retry_backoff
    assert task.soft_time_limit < task.time_limit


def test_beat_runs_the_previous_month_at_two_on_days_one_to_seven():
    entry = app.conf.beat_schedule["kpis-previous-month"]
    assert entry["task"] == tasks.compute_previous_month.name
    schedule: crontab = entry["schedule"]
    assert schedule.hour == {2} and schedule.minute == {0}
    assert schedule.day_of_month == set(range(1, 8))
    assert app.conf.timezone == "Europe/London"


def test_the_scheduled_run_computes_last_month():
    with (
        mock.patch.object(tasks.compute_month, "delay") as delay,
        mock.patch.object(tasks, "current_month", return_value=Month.parse("2026-01")),
    ):
        assert tasks.compute_previous_month() == "2025-12"
    delay.assert_called_once_with("2025-12")


def test_after_a_visits_import_the_touched_months_are_queued():
    provider = ProviderFactory(ref="P01")
    record = ImportRecord.objects.create(
        kind=ImportKind.VISITS, file_name="v.csv", months_touched=["2026-09", "2026-10"]
    )
    own = ImportRecord.objects.create(
        kind=ImportKind.VISITS, file_name="v.csv", months_touched=["2026-10"], provider=provider
    )
    with mock.patch.object(tasks.compute_month, "delay") as delay:
        after_import(record)
        after_import(own)
    assert [c.args for c in delay.call_args_list] == [
        ("2026-09", None),
        ("2026-10", None),
        ("2026-10", "P01"),
    ]


@pytest.mark.parametrize("kind", [ImportKind.PACKAGES, ImportKind.REVIEWS])
def test_after_a_packages_or_reviews_import_this_and_last_month_are_queued(kind):
    record = ImportRecord.objects.create(kind=kind, file_name="x.csv")
    now = dt.datetime(2026, 10, 31, 23, 30, tzinfo=dt.UTC)  # still October in London (GMT)
    from common.months import current_month
    from homecare.imports import services as import_services

    with (
        mock.patch.object(tasks.compute_month, "delay") as delay,
        mock.patch.object(import_services, "current_month", return_value=current_month(now)),
    ):
        after_import(record)
    assert [c.args for c in delay.call_args_list] == [("2026-09", None), ("2026-10", None)]


def test_a_failure_to_queue_does_not_undo_the_import(caplog):
    record = ImportRecord.objects.create(
        kind=ImportKind.VISITS, file_name="v.csv", months_touched=["2026-10"]
    )
    with mock.patch.object(tasks.compute_month, "delay", side_effect=ConnectionError("no redis")):
        after_import(record)
    assert "Could not queue the KPIs of 2026-10" in caplog.text


def test_current_month_is_londons():
    from common.months import current_month

    # 23:30 UTC on 30 September is 00:30 on 1 October in London (BST).
    assert current_month(dt.datetime(2026, 9, 30, 23, 30, tzinfo=dt.UTC)).key == "2026-10"
