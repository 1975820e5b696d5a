"""A three-provider lot whose ranking is worked out by hand (tests/ranking/
test_services.py): the data every ranking test builds on."""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass
from decimal import Decimal

from django.utils import timezone

from contracts.models import ContractRate, Lot
from homecare.dashboards.models import RagResult
from homecare.kpis.models import KpiScope, MonthlyKpi
from homecare.ranking.models import RankingSettings
from providers.models import CqcLocationRating, Provider
from reviews.models import Assessment, AssessmentFramework, AssessmentStatus
from tests.factories import ContractFactory, LotFactory, ProviderFactory, UserFactory

# Computed on 2 December 2026: the cycle's six months are June to November 2026.
AS_OF = dt.date(2026, 12, 2)


@dataclass
class ThreeProviderLot:
    lot: Lot
    a: Provider
    b: Provider
    c: Provider


def rated_month(provider: Provider, month: dt.date, *statuses: str) -> None:
    """A stored month of the provider's KPIs whose measures were rated so."""
    kpi = MonthlyKpi.objects.create(
        scope=KpiScope.PROVIDER, provider=provider, month=month, computed_at=timezone.now()
    )
    measures = {f"m{i}": {"status": status} for i, status in enumerate(statuses)}
    measures["no_visits"] = {"status": "none"}  # no data: not a rating
    RagResult.objects.update_or_create(
        kpi=kpi, defaults={"measures": measures, "overall": "red", "rated_at": timezone.now()}
    )


def published(provider: Provider, rating: str, day: dt.date, status: str = "published") -> None:
    framework = AssessmentFramework.objects.first() or AssessmentFramework.objects.create(
        name="Quality framework"
    )
    Assessment.objects.create(
        provider=provider,
        framework=framework,
        officer=UserFactory(username="officer-for-tests"),
        status=status,
        overall_rating=rating,
        published_at=dt.datetime.combine(day, dt.time(12), tzinfo=dt.UTC),
    )


def three_provider_lot(weights: tuple[int, int, int, int] = (40, 30, 20, 10)) -> ThreeProviderLot:
    """Weights KPI 40, assessment 30, CQC 20, price 10 (shares 0.4 0.3 0.2 0.1).

    A (RA): KPI 3 green 1 amber = 87.5; assessment Good 75; CQC Good 75;
            rate £20 (the dated rate of October) against the lowest £18 = 90.
            0.4x87.5 + 0.3x75 + 0.2x75 + 0.1x90 = 35 + 22.5 + 15 + 9 = 81.50
    B (RB): KPI 1 green 1 red = 50; assessment Excellent 100; CQC Outstanding
            (its CQC publication, over providers.csv's Good) 100; rate £18 = 100.
            20 + 30 + 20 + 10 = 80.00
    C (RC): KPI 3 green 2 amber = 80; no published assessment (left out, the
            other weights 0.4 + 0.2 + 0.1 = 0.7 shared out); CQC Good 75;
            rate £20 = 90. (32 + 15 + 9) / 0.7 = 80.00
    B and C tie on 80.00; C has the better KPI part (80 against 50), so the
    order is A, C, B.
    """
    RankingSettings.objects.create(
        weight_kpi=weights[0],
        weight_assessment=weights[1],
        weight_cqc=weights[2],
        weight_price=weights[3],
    )
    lot = LotFactory(name="Lot 2 North")
    a = ProviderFactory(ref="RA", name="Acorn Care", cqc_rating="Good")
    b = ProviderFactory(
        ref="RB", name="Birch Care", cqc_rating="Good", cqc_location_id="1-000000001"
    )
    c = ProviderFactory(ref="RC", name="Cedar Care", cqc_rating="Good")

    contract_a = ContractFactory(provider=a, lot=lot, hourly_rate=Decimal("19.00"))
    ContractRate.objects.create(
        contract=contract_a, effective_from=dt.date(2026, 10, 1), hourly_rate=Decimal("20.00")
    )
    # A rate from next year is not the rate on the day.
    ContractRate.objects.create(
        contract=contract_a, effective_from=dt.date(2027, 1, 1), hourly_rate=Decimal("15.00")
    )
    ContractFactory(provider=b, lot=lot, hourly_rate=Decimal("18.00"))
    ContractFactory(provider=c, lot=lot, hourly_rate=Decimal("20.00"))
    # An ended contract ranks nobody.
    gone = ProviderFactory(ref="RZ", name="Gone Care", cqc_rating="Outstanding")
    ContractFactory(
        provider=gone, lot=lot, hourly_rate=Decimal("10.00"), end_date=dt.date(2026, 11, 1)
    )

    rated_month(a, dt.date(2026, 6, 1), "green", "green")
    rated_month(a, dt.date(2026, 11, 1), "green", "amber")
    rated_month(a, dt.date(2026, 5, 1), "red", "red")  # before the cycle: not counted
    rated_month(b, dt.date(2026, 8, 1), "green", "red")
    rated_month(c, dt.date(2026, 7, 1), "green", "green", "amber")
    rated_month(c, dt.date(2026, 9, 1), "green", "amber")

    published(a, "poor", dt.date(2025, 3, 1))  # older: not the latest
    published(a, "good", dt.date(2026, 3, 1))
    published(a, "excellent", dt.date(2026, 4, 1), status=AssessmentStatus.DRAFT)  # a draft
    published(b, "excellent", dt.date(2026, 5, 1))

    CqcLocationRating.objects.create(
        location_id="1-000000001",
        provider=b,
        publication_date=dt.date(2026, 2, 1),
        domain="Overall",
        rating="Outstanding",
    )
    return ThreeProviderLot(lot, a, b, c)
