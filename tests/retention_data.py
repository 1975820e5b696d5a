"""Visits spread over recent and older months, for retention tests."""

from __future__ import annotations

import datetime as dt

from common.months import Month, current_month
from contracts.models import CarePackage
from tests.factories import CarePackageFactory, ContractFactory, ProviderFactory
from tests.kpi_factories import london, visit


def months_ago(n: int) -> Month:
    month = current_month()
    for _ in range(n):
        month = month.previous()
    return month


def on_day(month: Month, day: int, hour: int = 9) -> dt.datetime:
    return london(month.first.year, month.first.month, day, hour, 0)


def old_and_recent_visits() -> CarePackage:
    """Visits five and four months ago (one care worker only there) and last month."""
    provider = ProviderFactory(ref="P01")
    package = CarePackageFactory(provider=provider, contract=ContractFactory(provider=provider))
    for day in (1, 15, 28):
        visit(package, on_day(months_ago(5), day), carers=("OLD", "C1"))
    visit(package, on_day(months_ago(4), 10), status="missed")
    visit(package, on_day(months_ago(1), 1), carers=("C1",))
    return package
