from __future__ import annotations

import datetime as dt

import pytest

from homecare.kpis.services import compute_month_kpis
from tests.factories import CarePackageFactory, ContractFactory, PersonFactory
from tests.kpi_factories import london, visit


@pytest.fixture
def market(db, provider_a, provider_b):
    """Two providers over September and October: Alpha late often (red), Beta on time."""
    for provider, late in ((provider_a, dt.timedelta(minutes=45)), (provider_b, dt.timedelta(0))):
        contract = ContractFactory(provider=provider)
        for n in range(3):
            package = CarePackageFactory(
                provider=provider,
                contract=contract,
                person=PersonFactory(lives_alone=n == 0),
                start_date=dt.date(2026, 8, 1),
            )
            for day in (3, 10, 17):
                visit(
                    package, london(2026, 9, day, 8, 0), late=late if day == 3 else dt.timedelta()
                )
                visit(package, london(2026, 10, day, 8, 0), late=late)
                visit(package, london(2026, 10, day, 18, 0), carers=("C1", f"C{n + 2}"))
            visit(package, london(2026, 10, 20, 8, 0), status="missed")
    compute_month_kpis("2026-09")
    compute_month_kpis("2026-10")
    return provider_a, provider_b
