"""Writes: computing and keeping a cycle, and the commissioners' settings."""

from __future__ import annotations

import calendar
import datetime as dt
import logging
from collections import defaultdict
from decimal import Decimal
from typing import Any

from django.db import transaction
from django.utils import timezone

from common.concurrency import lock, stamp
from contracts.models import Contract
from homecare.ranking import scoring
from homecare.ranking.explain import part_notes
from homecare.ranking.models import (
    ASSESSMENT,
    CQC,
    KPI,
    PARTS,
    PRICE,
    ProviderRank,
    RankingCycle,
    RankingSettings,
)
from homecare.ranking.selectors import (
    contracts_in_force,
    cqc_ratings,
    current_settings,
    cycle_months,
    kpi_ratings,
    latest_assessments,
    rates_on,
)

logger = logging.getLogger(__name__)


def compute_cycle(as_of: dt.date, user: Any = None) -> RankingCycle:
    """Rank the providers of every lot as of the day, with the current
    weights, and keep the cycle (a fixed number of queries plus one insert)."""
    settings_row = current_settings()
    shares = scoring.normalise(settings_row.weights())
    first, last = cycle_months(as_of, settings_row.cycle_months)
    contracts = contracts_in_force(as_of)
    rates = rates_on(contracts, as_of)
    providers = {c.provider_id: c.provider for c in contracts}
    kpis = kpi_ratings(set(providers), first, last)
    assessments = latest_assessments(set(providers), as_of)
    cqc = cqc_ratings(list(providers.values()), as_of)

    # A provider with two contracts in a lot is priced at the lower rate.
    by_lot: dict[int, dict[int, list[Contract]]] = defaultdict(lambda: defaultdict(list))
    for contract in contracts:
        by_lot[contract.lot_id][contract.provider_id].append(contract)

    with transaction.atomic():
        cycle = RankingCycle.objects.create(
            computed_at=timezone.now(),
            as_of=as_of,
            first_month=first.first,
            last_month=last.first,
            cycle_months=settings_row.cycle_months,
            weights={part: str(share) for part, share in shares.items()},
            computed_by=user if getattr(user, "is_authenticated", False) else None,
        )
        ranks: list[ProviderRank] = []
        for lot_id, in_lot in by_lot.items():
            lot_rates = {
                pid: scoring.lowest_rate(rates[c.pk] for c in cs) for pid, cs in in_lot.items()
            }
            lowest = scoring.lowest_rate(lot_rates.values())
            candidates = []
            for pid in in_lot:
                provider = providers[pid]
                k, a, q = kpis.get(pid), assessments.get(pid), cqc.get(pid)
                parts: dict[str, Decimal | None] = {
                    KPI: scoring.kpi_part(k.statuses) if k else None,
                    ASSESSMENT: scoring.assessment_part(a.rating) if a else None,
                    CQC: scoring.cqc_part(q.rating) if q else None,
                    PRICE: scoring.price_part(lot_rates[pid], lowest),
                }
                candidate = scoring.Candidate(
                    pid, provider.ref, provider.name, parts, lot_rates[pid]
                )
                candidate.notes = part_notes(
                    candidate, k, a, q, lowest=lowest, first=first, last=last
                )
                candidates.append(candidate)
            for c in scoring.rank(candidates, shares):
                ranks.append(
                    ProviderRank(
                        cycle=cycle,
                        lot_id=lot_id,
                        provider_id=c.provider_id,
                        position=c.position,
                        score=c.score,
                        hourly_rate=c.hourly_rate,
                        notes=c.notes,
                        tie_note=c.tie_note,
                        **{part: c.shown(part) for part in PARTS},
                    )
                )
        ProviderRank.objects.bulk_create(ranks, batch_size=1000)
    logger.info("Ranking computed as of %s: %d lots, %d ranks", as_of, len(by_lot), len(ranks))
    return cycle


def add_months(day: dt.date, months: int) -> dt.date:
    """The same day `months` later (the month's last day if that is shorter)."""
    year, month = divmod(day.year * 12 + day.month - 1 + months, 12)
    return dt.date(year, month + 1, min(day.day, calendar.monthrange(year, month + 1)[1]))


def next_due(last: RankingCycle | None, months: int) -> dt.date | None:
    """When the next cycle is due: `months` after the last one; None (now)
    when there is none yet."""
    return None if last is None else add_months(last.as_of, months)


def run_if_due(today: dt.date) -> int | None:
    """The beat job: compute a cycle when the last one is `cycle_months` old
    (or there is none). Returns the new cycle's id, or None when not due.
    Two runs at once compute once: the latest cycle's row is locked while
    deciding (before the very first cycle there is nothing to lock, and two
    first runs at the same moment would keep two identical cycles)."""
    with transaction.atomic():
        newest = RankingCycle.objects.select_for_update().order_by("-computed_at", "-pk")
        last = newest.first()
        due = next_due(last, current_settings().cycle_months)
        if due is not None and today < due:
            return None
        return compute_cycle(today).pk


def save_settings(
    *, weights: dict[str, Decimal], cycle_months: int, user: Any, version: int | None
) -> RankingSettings:
    """Change the weights and cycle; EditConflict if someone saved since the
    form was shown. The change is audited (the model is tracked)."""
    with transaction.atomic():
        row = RankingSettings.objects.order_by("pk").select_for_update().first()
        if row is None:
            row = RankingSettings()
        else:
            lock(row, version)
        for part in PARTS:
            setattr(row, f"weight_{part}", weights[part])
        row.cycle_months = cycle_months
        stamp(row, user)
        row.save()
    return row
