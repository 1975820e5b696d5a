"""Reads: which providers and lots a month reports on, and the stored results."""

from __future__ import annotations

from typing import Any

from django.db.models import Exists, OuterRef, Q, QuerySet

from common.months import Month
from contracts.models import CarePackage, Contract, Lot
from homecare.kpis.models import KpiScope, KpiThresholds, MonthlyKpi
from homecare.kpis.registry import FIGURE_KEYS
from providers.models import Provider
from visits.models import Visit


def _active_in(month: Month) -> Q:
    return Q(start_date__lte=month.last) & (Q(end_date__isnull=True) | Q(end_date__gte=month.first))


def providers_for_month(month: Month) -> QuerySet[Provider]:
    """Every provider with a contract or a package active in the month (the spec),
    and any other provider with visits in it, so no visit goes unreported."""
    active = _active_in(month)
    return Provider.objects.filter(
        Exists(Contract.objects.filter(active, provider_id=OuterRef("pk")))
        | Exists(CarePackage.objects.filter(active, provider_id=OuterRef("pk")))
        | Exists(
            Visit.objects.filter(
                provider_id=OuterRef("pk"),
                planned_date__gte=month.first,
                planned_date__lte=month.last,
            )
        )
    ).order_by("ref")


def lots_for_month(month: Month) -> QuerySet[Lot]:
    return Lot.objects.filter(
        Exists(Contract.objects.filter(_active_in(month), lot_id=OuterRef("pk")))
    )


def monthly_kpis(month: Month) -> QuerySet[MonthlyKpi]:
    return MonthlyKpi.objects.filter(month=month.first).select_related("provider", "lot")


def month_is_computed(month: Month) -> bool:
    return MonthlyKpi.objects.filter(month=month.first, scope=KpiScope.MARKET).exists()


def export_month(month: Month) -> dict[str, Any]:
    """The stored figures in the shape of kpi-definitions.md."""
    results = monthly_kpis(month)

    def in_order(figures: dict[str, Any]) -> dict[str, Any]:
        # PostgreSQL's jsonb keeps keys in its own order; the export keeps the spec's.
        return {key: figures.get(key) for key in FIGURE_KEYS}

    # A provider's row is the one row of its scope with a provider.
    by_provider = sorted(
        ((kpi.provider, kpi) for kpi in results if kpi.scope == KpiScope.PROVIDER and kpi.provider),
        key=lambda pair: pair[0].ref,
    )
    providers = [
        {"provider_ref": provider.ref, **in_order(kpi.figures)} for provider, kpi in by_provider
    ]
    market = next((in_order(kpi.figures) for kpi in results if kpi.scope == KpiScope.MARKET), None)
    return {"month": month.key, "providers": providers, "market": market}


def thresholds_for(*, lot: Lot | None = None, contract: Contract | None = None) -> KpiThresholds:
    """The stored overrides of a lot or contract, or an unsaved blank row."""
    found = KpiThresholds.objects.filter(lot=lot, contract=contract).first()
    return found or KpiThresholds(lot=lot, contract=contract)
