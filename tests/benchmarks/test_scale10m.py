"""The 10M-row benchmark (benchmarks/scale10m.py): the history it writes by
SQL looks to the KPIs like an imported month, and its report names every
target of issue 16 beside what was measured."""

from __future__ import annotations

import datetime as dt

import pytest

from benchmarks import history, scale10m
from homecare.kpis.models import KpiScope, MonthlyKpi
from homecare.kpis.services import compute_month_kpis
from tests.factories import CarePackageFactory, ContractFactory, ProviderFactory
from visits.models import Visit, VisitCarer


@pytest.mark.django_db
def test_a_history_month_is_shaped_like_an_imported_one() -> None:
    provider = ProviderFactory(ref="BP07")
    contract = ContractFactory(provider=provider)
    active = [
        CarePackageFactory(provider=provider, contract=contract, start_date=dt.date(2025, 1, 1))
        for _ in range(4)
    ]
    later = CarePackageFactory(provider=provider, contract=contract, start_date=dt.date(2026, 9, 1))

    made = history.write_month("2026-03", rows=3_000, people=10)

    visits = Visit.objects.filter(planned_date__year=2026, planned_date__month=3)
    assert made["visits"] == visits.count() == round(3_000 / (1 + 0.03 * 0.98))
    # Only packages active in the month, four calls a day each, over the month.
    assert set(visits.values_list("package_id", flat=True)) == {p.pk for p in active}
    assert not visits.filter(package=later).exists()
    assert visits.order_by("planned_date").last().planned_date == dt.date(2026, 3, 31)
    statuses = set(visits.values_list("status", flat=True))
    assert statuses == {"completed", "missed", "cancelled"}
    # Each completed visit has its care workers (the file's refs), the others none.
    carers = VisitCarer.objects.filter(planned_date__month=3)
    assert made["carer_rows"] == carers.count() == sum(v.carer_count for v in visits)
    assert not visits.exclude(status="completed").exclude(carer_count=0).exists()
    assert {c.care_worker.ref[:4] for c in carers.select_related("care_worker")} == {"C07-"}

    compute_month_kpis("2026-03")
    market = MonthlyKpi.objects.get(scope=KpiScope.MARKET, month=dt.date(2026, 3, 1)).figures
    assert market["scheduled_visits"] == visits.exclude(status="cancelled").count()
    assert 0 < market["late_visits"] < market["delivered_visits"]
    assert market["people_supported"] == 4


def results() -> dict:
    def cpu(wall: float, machine: float, **parts: float) -> dict:
        return {"wall": wall, "machine": machine, "database": parts.pop("database", 1.0),
                "load_average_before": 7.5, "load_average_after": 9.1, **parts}  # fmt: skip

    return {
        "sizes": {"rows": 10_000_000, "history_months": 13, "history_rows": 1_000_000},
        "file_mb": 1218.9,
        "import": {"seconds": 500.0, "client_cpu": 14.0, "server_cpu": 186.0, "peak_mb": 85.6,
                   "cpu": cpu(504.0, 1008.0)},
        "import_1m": {"seconds": 46.0, "client_cpu": 1.4, "server_cpu": 15.2, "peak_mb": 85.5,
                      "file_rows": 1_000_000, "cpu": cpu(50.0, 100.0)},
        "kpis_single": {"seconds": 190.0, "client_cpu": 9.4, "server_cpu": 54.4,
                        "peak_mb": 477.0, "cpu": cpu(193.0, 386.0)},
        "kpis_fanned": {"2": {"seconds": 292.0, "cpu": cpu(292.0, 584.0, worker=19.6)}},
        "history": {"months": [{}] * 13, "seconds": 240.0, "kpis_seconds": 213.0},
        "history_visits": 22_343_732,
        "market": {"first_view_ms": 96_000.0, "first_view_cpu": cpu(96.0, 180.0, web=0.3),
                   "server": "gunicorn, 1 process, 4 threads", "requests": 909, "errors": 0,
                   "p50_ms": 213.0, "p95_ms": 334.0, "tool": "wrk, 10 connections",
                   "cpu": cpu(20.0, 38.0, web=16.5),
                   "one_connection": {"requests": 1059, "errors": 0, "p50_ms": 18.0,
                                      "p95_ms": 28.0, "cpu": cpu(20.0, 30.0, web=17.1)}},
    }  # fmt: skip


def test_the_report_puts_each_target_beside_wall_and_cpu_time() -> None:
    text = "\n".join(scale10m.section(results()))
    assert "| 20,000 rows/s (wall), 50,000 rows per CPU second; peak 86 MB |" in text
    assert "≥ 50,000 rows/s, memory flat in file size" in text
    assert "| 190.0 s | 9.4 + 54.4 s | 2.0 of 2 cores busy; load 7.5 → 9.1 |" in text
    assert "a Celery worker of 2 processes | 292.0 s | 19.6 + 1.0 s |" in text
    assert "p50 18 ms, p95 28 ms | p95 < 300 ms" in text
    assert "first view after the data came in" in text and "| 96.0 s |" in text
    assert "22,343,732 visits stored" in text
