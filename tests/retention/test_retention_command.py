"""The retention command and nightly task: old visits and expired uploads go."""

from __future__ import annotations

import io
from pathlib import Path

import pytest
from django.core.management import call_command
from django.core.management.base import CommandError

from homecare.celery import app
from homecare.kpis.models import KpiScope, MonthlyKpi
from homecare.kpis.services import compute_month_kpis
from homecare.retention.tasks import apply_retention_task
from tests.retention_data import months_ago, old_and_recent_visits
from visits.models import Visit

pytestmark = pytest.mark.django_db


@pytest.fixture(autouse=True)
def _media(settings, tmp_path: Path) -> None:
    settings.MEDIA_ROOT = tmp_path / "media"


@pytest.fixture
def market():
    return old_and_recent_visits()


def test_apply_retention_command(market) -> None:
    out = io.StringIO()
    call_command("apply_retention", "--months", "3", "--dry-run", stdout=out)
    text = out.getvalue()
    assert f"Would delete {months_ago(5).key}: 3 visits, 6 care-worker rows." in text
    assert "Would delete 4 visits and 6 care-worker rows in all" in text
    assert Visit.objects.count() == 5

    out = io.StringIO()
    call_command("apply_retention", "--months", "3", stdout=out)
    assert "Deleted 4 visits and 6 care-worker rows in all" in out.getvalue()
    assert Visit.objects.count() == 1

    with pytest.raises(CommandError, match="at least 1"):
        call_command("apply_retention", "--months", "0")


def test_the_nightly_task_uses_the_settings(settings, market) -> None:
    settings.VISIT_RETENTION_MONTHS = 4
    lines = apply_retention_task()
    assert f"Deleted {months_ago(5).key}: 3 visits, 6 care-worker rows." in lines
    # Four months ago is still inside four whole months before this one.
    assert Visit.objects.count() == 2


def test_beat_runs_retention_nightly_and_the_import_sweep_often() -> None:
    schedule = {entry["task"]: entry["schedule"] for entry in app.conf.beat_schedule.values()}
    assert "retention.apply" in schedule and "imports.sweep_queue" in schedule
    app.loader.import_default_modules()  # what a worker does at start
    assert {"retention.apply", "imports.sweep_queue"} <= set(app.tasks)
    assert schedule["retention.apply"].hour == {1}
    assert schedule["imports.sweep_queue"].minute == set(range(0, 60, 2))


def test_the_lists_of_people_behind_old_results_go_and_the_figures_stay(settings, market) -> None:
    settings.VISIT_RETENTION_MONTHS = 120
    old, recent = months_ago(5), months_ago(1)
    compute_month_kpis(old)
    compute_month_kpis(recent)
    old_kpi = MonthlyKpi.objects.get(month=old.first, scope=KpiScope.PROVIDER)
    assert old_kpi.details["people_late_over_10pct"] == [] and old_kpi.figures

    settings.VISIT_RETENTION_MONTHS = 3
    out = io.StringIO()
    call_command("apply_retention", "--dry-run", stdout=out)
    assert "Would clear the lists of people behind 3 monthly results" in out.getvalue()
    call_command("apply_retention", stdout=io.StringIO())
    kept = MonthlyKpi.objects.get(month=old.first, scope=KpiScope.PROVIDER)
    assert kept.details == {} and kept.figures == old_kpi.figures
    assert MonthlyKpi.objects.get(month=recent.first, scope=KpiScope.PROVIDER).details
