"""Writes: computing and storing a month's KPIs, and setting thresholds."""

from __future__ import annotations

import datetime as dt
import logging
from dataclasses import dataclass, field
from typing import Any

from django.db import transaction
from django.utils import timezone

from common.concurrency import EditConflict, lock, stamp
from common.months import Month
from contracts.models import Contract, Lot
from homecare.kpis.engine import MonthFigures, ThresholdPlan
from homecare.kpis.models import KpiScope, KpiThresholds, MonthlyKpi
from homecare.kpis.selectors import lots_for_month, providers_for_month
from homecare.kpis.thresholds import DEFAULT, FIELDS
from providers.models import Provider
from visits.retention import first_kept_day, retention_months

logger = logging.getLogger(__name__)


class MonthNotKept(ValueError):
    """The month's visits are past their retention period."""


@dataclass
class ComputeSummary:
    month: str
    providers: list[str] = field(default_factory=list)
    lots: int = 0

    def as_dict(self) -> dict:
        return {"month": self.month, "providers": self.providers, "lots": self.lots}


def compute_month_kpis(month: str | Month, provider_ref: str | None = None) -> ComputeSummary:
    """Compute and store one month's KPIs: each provider in its own transaction,
    then the lot and market totals, so a run that fails part-way leaves every
    result either as it was or wholly replaced. Running it again gives the same
    results (idempotent); the scheduled job, the import hook and the command all
    come here."""
    month = month if isinstance(month, Month) else Month.parse(month)
    if month.first < first_kept_day():
        # Its visits have been deleted (visits.retention): computing it again
        # would replace the stored results with empty ones.
        raise MonthNotKept(
            f"{month.key} is older than the {retention_months()} months visits are kept;"
            " its stored results stay as they are"
        )
    plan = ThresholdPlan.for_month(month)
    # Read the whole month once (a few grouped queries), then store each scope.
    figures = MonthFigures.read(month, plan)
    summary = ComputeSummary(month=month.key)
    if provider_ref:
        providers = [Provider.objects.get(ref=provider_ref)]
    else:
        providers = list(providers_for_month(month))
    for provider in providers:
        with transaction.atomic():
            _store_provider(month, provider, plan, figures)
        summary.providers.append(provider.ref)
    if not provider_ref:
        # A provider no longer active in the month (its package was moved, say) drops out.
        MonthlyKpi.objects.filter(month=month.first, scope=KpiScope.PROVIDER).exclude(
            provider__in=providers
        ).delete()
    for lot in lots_for_month(month):
        with transaction.atomic():
            _store_lot(month, lot, plan, figures)
        summary.lots += 1
    with transaction.atomic():
        _store_market(month, plan, figures)
    logger.info("KPIs for %s: %d providers, %d lots", month, len(providers), summary.lots)
    return summary


def _store(
    *,
    month: Month,
    scope: str,
    provider: Provider | None = None,
    lot: Lot | None = None,
    figures: dict,
    details: dict,
    thresholds: dict,
) -> MonthlyKpi:
    kpi, _ = MonthlyKpi.objects.select_for_update().update_or_create(
        scope=scope,
        provider=provider,
        lot=lot,
        month=month.first,
        defaults={
            "figures": figures,
            "details": details,
            "thresholds": thresholds,
            "computed_at": timezone.now(),
        },
    )
    return kpi


def _store_provider(
    month: Month, provider: Provider, plan: ThresholdPlan, month_figures: MonthFigures
) -> MonthlyKpi:
    person_level = plan.for_provider(provider.pk)
    figures, details = month_figures.provider(provider.pk)
    contract_ids = list(Contract.objects.filter(provider=provider).values_list("id", flat=True))
    thresholds = plan.describe(person_level, contract_ids)
    main = plan.main_contract.get(provider.pk)
    thresholds["main_contract"] = plan.contract_refs[main] if main else None
    return _store(
        month=month,
        scope=KpiScope.PROVIDER,
        provider=provider,
        figures=figures,
        details=details,
        thresholds=thresholds,
    )


def _store_lot(
    month: Month, lot: Lot, plan: ThresholdPlan, month_figures: MonthFigures
) -> MonthlyKpi:
    # A lot's totals are the visits and packages called off its contracts.
    person_level = plan.for_lot(lot.pk)
    figures, details = month_figures.lot(lot.pk)
    contract_ids = list(lot.contracts.values_list("id", flat=True))
    return _store(
        month=month,
        scope=KpiScope.LOT,
        lot=lot,
        figures=figures,
        details=details,
        thresholds=plan.describe(person_level, contract_ids),
    )


def _store_market(month: Month, plan: ThresholdPlan, month_figures: MonthFigures) -> MonthlyKpi:
    figures, details = month_figures.market()
    overridden = [cid for cid, t in plan.by_contract.items() if t != DEFAULT]
    return _store(
        month=month,
        scope=KpiScope.MARKET,
        figures=figures,
        details=details,
        thresholds=plan.describe(DEFAULT, overridden),
    )


@transaction.atomic
def set_thresholds(
    *,
    lot: Lot | None = None,
    contract: Contract | None = None,
    version: int | None = None,
    user: Any = None,
    **values: Any,
) -> KpiThresholds:
    """Set a lot's or a contract's overrides; a value of None inherits again.
    Results already stored keep the thresholds they were computed with until the
    month is computed again. `version` is the one the form showed (0 before the
    first change): EditConflict if someone saved since."""
    unknown = set(values) - set(FIELDS)
    if unknown:
        raise TypeError(f"not a KPI threshold: {', '.join(sorted(unknown))}")
    if (lot is None) == (contract is None):
        raise ValueError("Set thresholds for either a lot or a contract.")
    # Lock the lot or contract: the thresholds row may not exist yet, and two
    # first saves must not both create it.
    if lot is not None:
        list(Lot.objects.select_for_update().filter(pk=lot.pk).values_list("pk"))
    elif contract is not None:
        list(Contract.objects.select_for_update().filter(pk=contract.pk).values_list("pk"))
    row = KpiThresholds.objects.filter(lot=lot, contract=contract).first()
    if row is None:
        row = KpiThresholds(lot=lot, contract=contract)
        if version:
            raise EditConflict(row)
    else:
        lock(row, version)
    for name, value in values.items():
        setattr(row, name, value)
    stamp(row, user)
    row.full_clean()
    row.save()
    return row


def forget_people_before(day: dt.date, *, dry_run: bool = False) -> int:
    """Clear the lists of people and packages behind the results of months
    before `day`, keeping the figures: once a month's visits are past their
    retention period (visits.retention), so are the names behind its counts.
    Returns how many results had lists (or, with dry_run, have them)."""
    results = MonthlyKpi.objects.filter(month__lt=day).exclude(details={})
    if dry_run:
        return results.count()
    return results.update(details={})
