"""Visits are kept for the current month and VISIT_RETENTION_MONTHS whole months
before it; older ones go a month at a time, and the monthly results stay."""

from __future__ import annotations

import datetime as dt
import io

import pytest

from common.csvimport import FileRejected
from homecare.kpis.models import KpiScope, MonthlyKpi
from homecare.kpis.services import MonthNotKept, compute_month_kpis
from tests.retention_data import months_ago, old_and_recent_visits
from visits.imports import import_visits
from visits.models import CareWorker, Visit, VisitCarer
from visits.retention import apply_visit_retention, first_kept_day

pytestmark = pytest.mark.django_db


@pytest.fixture
def market():
    return old_and_recent_visits()


def test_first_kept_day_is_the_start_of_the_oldest_kept_month() -> None:
    assert first_kept_day(84, dt.date(2026, 12, 1)) == dt.date(2019, 12, 1)
    assert first_kept_day(84, dt.date(2026, 1, 31)) == dt.date(2019, 1, 1)
    assert first_kept_day(1, dt.date(2026, 1, 15)) == dt.date(2025, 12, 1)


def test_dry_run_says_what_would_go_and_deletes_nothing(market) -> None:
    report = apply_visit_retention(3, dry_run=True)
    assert [(m.month, m.visits, m.carer_rows) for m in report.months] == [
        (months_ago(5).key, 3, 6),
        (months_ago(4).key, 1, 0),
    ]
    assert report.care_workers == 1  # OLD worked only in the old months
    assert Visit.objects.count() == 5 and CareWorker.objects.count() == 2
    assert report.lines()[1].startswith(f"Would delete {months_ago(5).key}: 3 visits")


def test_old_visits_go_and_the_monthly_results_stay(settings, market) -> None:
    settings.VISIT_RETENTION_MONTHS = 120
    old = months_ago(5)
    compute_month_kpis(old)
    before = MonthlyKpi.objects.get(month=old.first, scope=KpiScope.PROVIDER).figures
    assert before["scheduled_visits"] == 3

    settings.VISIT_RETENTION_MONTHS = 3
    report = apply_visit_retention()
    assert report.visits == 4 and report.carer_rows == 6 and report.care_workers == 1
    kept = first_kept_day()
    assert not Visit.objects.filter(planned_date__lt=kept).exists()
    assert Visit.objects.count() == 1 and VisitCarer.objects.count() == 1
    assert list(CareWorker.objects.values_list("ref", flat=True)) == ["C1"]
    # The month's results are still there, unchanged.
    after = MonthlyKpi.objects.get(month=old.first, scope=KpiScope.PROVIDER).figures
    assert after == before
    # And cannot be overwritten with empty figures by computing the month again.
    with pytest.raises(MonthNotKept):
        compute_month_kpis(old)
    # A second run finds nothing more.
    assert apply_visit_retention().months == []


def test_a_visits_file_older_than_the_retention_period_is_rejected(settings, market) -> None:
    settings.VISIT_RETENTION_MONTHS = 3
    old = months_ago(4).first
    text = (
        "visit_id,package_ref,planned_start,planned_end,status\n"
        f"V-OLD,{market.ref},{old}T07:00:00,{old}T07:30:00,missed\n"
    )
    with pytest.raises(FileRejected) as rejected:
        import_visits(io.BytesIO(text.encode()))
    kept = first_kept_day()
    assert rejected.value.errors == [
        f"line 2, planned_start: is before {kept.day} {kept:%B %Y}: "
        "visits older than 3 months are not kept"
    ]
