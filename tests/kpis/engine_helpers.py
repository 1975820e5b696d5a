"""Helpers of the KPI engine tests: October 2026 visits, computed by the real
service, read back as stored."""

from __future__ import annotations

import datetime as dt

from homecare.kpis.models import KpiScope, MonthlyKpi
from homecare.kpis.services import compute_month_kpis
from tests.kpi_factories import london

OCT = "2026-10"
MORNING = london(2026, 10, 5, 7, 0)


def day(n: int, hour: int = 7) -> dt.datetime:
    return london(2026, 10, n, hour, 0)


def figures(provider_ref: str = "P01", month: str = OCT) -> dict:
    compute_month_kpis(month)
    kpi = MonthlyKpi.objects.get(
        scope=KpiScope.PROVIDER, provider__ref=provider_ref, month=f"{month}-01"
    )
    return kpi.figures


def market(month: str = OCT) -> dict:
    return MonthlyKpi.objects.get(scope=KpiScope.MARKET, month=f"{month}-01").figures
