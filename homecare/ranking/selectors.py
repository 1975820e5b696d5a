"""Reads for the ranking: what a cycle is computed from, and the kept
cycles the pages show. Each function runs a fixed number of queries
whatever the number of providers or lots."""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass
from decimal import Decimal

from django.db.models import Q, QuerySet

from common.months import Month
from contracts.models import Contract, ContractRate, Lot
from homecare.dashboards.models import RagResult
from homecare.kpis.models import KpiScope
from homecare.ranking.models import ProviderRank, RankingCycle, RankingSettings
from providers.models import CQC_ORDER, Provider, ProviderStatus
from providers.ratings import publications
from reviews.models import Assessment, AssessmentStatus

# --- settings ------------------------------------------------------------------------


def current_settings() -> RankingSettings:
    """The commissioners' settings row, or an unsaved one with the defaults."""
    return RankingSettings.objects.order_by("pk").first() or RankingSettings()


def cycle_months(as_of: dt.date, months: int) -> tuple[Month, Month]:
    """The `months` whole months before the one `as_of` falls in."""
    last = Month.of(as_of).previous()
    first = last
    for _ in range(months - 1):
        first = first.previous()
    return first, last


# --- what a cycle reads --------------------------------------------------------------


def contracts_in_force(as_of: dt.date) -> list[Contract]:
    """Contracts running on the day, of providers that have not exited,
    with their lot and provider (one query)."""
    return list(
        Contract.objects.filter(start_date__lte=as_of)
        .filter(Q(end_date__isnull=True) | Q(end_date__gte=as_of))
        .exclude(provider__status=ProviderStatus.EXITED)
        .select_related("provider", "lot__framework")
        .order_by("lot_id", "provider__ref", "ref")
    )


def rates_on(contracts: list[Contract], as_of: dt.date) -> dict[int, Decimal | None]:
    """contract id -> its hourly rate on the day: the dated rate with the
    latest effective_from on or before it, else the contract's own rate
    (the rule of contracts.ContractRate; one query)."""
    out: dict[int, Decimal | None] = {c.pk: c.hourly_rate for c in contracts}
    dated = ContractRate.objects.filter(
        contract_id__in=list(out), effective_from__lte=as_of
    ).order_by("contract_id", "effective_from")
    for contract_id, rate in dated.values_list("contract_id", "hourly_rate"):
        out[contract_id] = rate  # later rows overwrite earlier ones
    return out


@dataclass(frozen=True)
class KpiRatings:
    green: int
    amber: int
    red: int
    months: int

    @property
    def statuses(self) -> list[str]:
        return ["green"] * self.green + ["amber"] * self.amber + ["red"] * self.red


def kpi_ratings(provider_ids: set[int], first: Month, last: Month) -> dict[int, KpiRatings]:
    """provider id -> how many of its stored monthly measure ratings in the
    months were green, amber and red (one query; a provider's rows are at
    most one a month)."""
    rows = RagResult.objects.filter(
        kpi__scope=KpiScope.PROVIDER,
        kpi__provider_id__in=provider_ids,
        kpi__month__gte=first.first,
        kpi__month__lte=last.first,
    ).values_list("kpi__provider_id", "measures")
    counts: dict[int, dict[str, int]] = {}
    for provider_id, measures in rows:
        tally = counts.setdefault(provider_id, {"green": 0, "amber": 0, "red": 0, "months": 0})
        tally["months"] += 1
        for stored in (measures or {}).values():
            status = stored.get("status")
            if status in ("green", "amber", "red"):
                tally[status] += 1
    return {pid: KpiRatings(**tally) for pid, tally in counts.items()}


@dataclass(frozen=True)
class LatestAssessment:
    rating: str
    label: str
    published: dt.date


def latest_assessments(provider_ids: set[int], as_of: dt.date) -> dict[int, LatestAssessment]:
    """provider id -> its latest published quality assessment with an
    overall rating, published on or before the day (one query)."""
    rows = (
        Assessment.objects.filter(
            provider_id__in=provider_ids,
            status=AssessmentStatus.PUBLISHED,
            published_at__date__lte=as_of,
        )
        .exclude(overall_rating="")
        .order_by("provider_id", "-published_at", "-pk")
    )
    out: dict[int, LatestAssessment] = {}
    for a in rows.only("provider_id", "overall_rating", "published_at"):
        if a.provider_id not in out and a.published_at is not None:
            out[a.provider_id] = LatestAssessment(
                a.overall_rating, a.get_overall_rating_display(), a.published_at.date()
            )
    return out


@dataclass(frozen=True)
class CqcRating:
    rating: str
    published: dt.date | None


def cqc_ratings(providers: list[Provider], as_of: dt.date) -> dict[int, CqcRating]:
    """provider id -> its current overall CQC rating: the newest publication
    of its location on or before the day, else the rating providers.csv
    gave (the rule of the market's CQC page; one query)."""
    history = publications({p.cqc_location_id for p in providers if p.cqc_location_id})
    out: dict[int, CqcRating] = {}
    for provider in providers:
        newest = next(
            (
                pub
                for pub in history.get(provider.cqc_location_id, [])
                if pub.overall in CQC_ORDER and pub.published <= as_of
            ),
            None,
        )
        if newest is not None:
            out[provider.pk] = CqcRating(newest.overall, newest.published)
        elif provider.cqc_rating in CQC_ORDER:
            out[provider.pk] = CqcRating(provider.cqc_rating, provider.cqc_rating_date)
    return out


# --- the kept cycles -----------------------------------------------------------------


def latest_cycle() -> RankingCycle | None:
    return RankingCycle.objects.select_related("computed_by").first()


def cycles() -> QuerySet[RankingCycle]:
    """Every kept cycle, newest first."""
    return RankingCycle.objects.select_related("computed_by")


def lots_ranked(cycle: RankingCycle) -> list[tuple[Lot, int]]:
    """The lots of a cycle with how many providers each ranks (two queries)."""
    counts: dict[int, int] = {}
    for lot_id in cycle.ranks.values_list("lot_id", flat=True):
        counts[lot_id] = counts.get(lot_id, 0) + 1
    lots = Lot.objects.filter(pk__in=counts).select_related("framework")
    return [(lot, counts[lot.pk]) for lot in lots]


def own_ranks(cycle: RankingCycle, provider: Provider) -> list[ProviderRank]:
    """A provider's places in a cycle, one per lot it is ranked in."""
    return list(
        ProviderRank.objects.filter(cycle=cycle, provider=provider)
        .select_related("lot__framework", "provider", "cycle")
        .order_by("lot__framework__name", "lot__name")
    )


def lot_size(cycle: RankingCycle, lot_id: int) -> int:
    return ProviderRank.objects.filter(cycle=cycle, lot_id=lot_id).count()


def lot_ranks(cycle: RankingCycle, lot: Lot) -> list[ProviderRank]:
    return list(
        ProviderRank.objects.filter(cycle=cycle, lot=lot)
        .select_related("provider", "cycle")
        .order_by("position")
    )


def latest_order(lot_id: int) -> list[ProviderRank]:
    """The providers of a lot in the order of the latest cycle that ranked
    it, best first (two queries); empty when no cycle has ranked it."""
    cycle_id = (
        ProviderRank.objects.filter(lot_id=lot_id)
        .order_by("-cycle__computed_at", "-cycle_id")
        .values_list("cycle_id", flat=True)
        .first()
    )
    if cycle_id is None:
        return []
    return list(
        ProviderRank.objects.filter(cycle_id=cycle_id, lot_id=lot_id)
        .select_related("provider", "cycle")
        .order_by("position")
    )
