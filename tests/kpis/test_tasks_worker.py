"""compute_month through a real Celery worker on Redis: the task is sent over
the broker, run by a worker process against the test
database and its result read back from the result backend."""

from __future__ import annotations

import pytest

from homecare.kpis.models import KpiScope, MonthlyKpi
from tests.factories import CarePackageFactory, ContractFactory, ProviderFactory
from tests.kpi_factories import london, visit
from tests.worker import celery_worker


@pytest.mark.django_db(transaction=True)
def test_compute_month_through_a_real_worker(tmp_path):
    provider = ProviderFactory(ref="P01")
    package = CarePackageFactory(provider=provider, contract=ContractFactory(provider=provider))
    visit(package, london(2026, 10, 5, 7, 0))

    with celery_worker(tmp_path / "worker.log") as client:
        result = client.send_task("kpis.compute_month", args=["2026-10"])
        outcome = result.get(timeout=60)
        # Idempotent: a second run through the worker replaces, never duplicates.
        client.send_task("kpis.compute_month", args=["2026-10", "P01"]).get(timeout=60)
    assert outcome == {"month": "2026-10", "providers": ["P01"], "lots": 1}
    assert MonthlyKpi.objects.filter(month="2026-10-01").count() == 3
    kpi = MonthlyKpi.objects.get(scope=KpiScope.PROVIDER, provider=provider)
    assert kpi.figures["scheduled_visits"] == 1
