"""Providers the register suggests considering; a person decides.

Three signals: red KPIs (overall RAG) in each of the last two months rated; a
CQC publication whose overall rating fell to Requires improvement or
Inadequate; a published quality assessment rated Poor. A suggestion stands
until someone records a register entry for the provider after the signal.
"""

from __future__ import annotations

import datetime as dt
from collections import defaultdict
from dataclasses import dataclass, field

from common.months import LONDON
from homecare.dashboards.models import RagResult
from homecare.dashboards.rag import RED
from homecare.kpis.models import KpiScope, MonthlyKpi
from homecare.market.selectors.cqc import is_downgrade, publications
from homecare.market.selectors.register import last_entry_times
from providers.models import Provider
from reviews.models import Assessment, AssessmentStatus, Rating

FELL_TO = ("Requires improvement", "Inadequate")


@dataclass
class Suggestion:
    provider: Provider
    reasons: list[str] = field(default_factory=list)
    since: dt.datetime | None = None

    @property
    def text(self) -> str:
        return "; ".join(self.reasons)


def _at(day: dt.date) -> dt.datetime:
    return dt.datetime(day.year, day.month, day.day, tzinfo=LONDON)


def suggestions() -> list[Suggestion]:
    providers = {p.pk: p for p in Provider.objects.all()}
    found: dict[int, Suggestion] = {}
    signals: dict[int, list[tuple[dt.datetime, str]]] = defaultdict(list)

    months = list(
        MonthlyKpi.objects.filter(scope=KpiScope.PROVIDER)
        .order_by("-month")
        .values_list("month", flat=True)
        .distinct()[:2]
    )
    if len(months) == 2:
        red = defaultdict(set)
        for provider_id, month in RagResult.objects.filter(
            kpi__scope=KpiScope.PROVIDER, kpi__month__in=months, overall=RED
        ).values_list("kpi__provider_id", "kpi__month"):
            red[provider_id].add(month)
        for provider_id, red_months in red.items():
            if len(red_months) == 2:
                signals[provider_id].append((_at(max(months)), "red KPIs two months running"))

    by_location = {p.cqc_location_id: p for p in providers.values() if p.cqc_location_id}
    for location, history in publications(set(by_location)).items():
        rated = [pub for pub in history if pub.overall]
        if (
            len(rated) >= 2
            and rated[0].overall in FELL_TO
            and is_downgrade(rated[1].overall, rated[0].overall)
        ):
            signals[by_location[location].pk].append(
                (
                    _at(rated[0].published),
                    f"CQC rating fell from {rated[1].overall} to {rated[0].overall}",
                )
            )

    for provider_id, published in Assessment.objects.filter(
        status=AssessmentStatus.PUBLISHED, overall_rating=Rating.POOR
    ).values_list("provider_id", "published_at"):
        if published is not None:
            signals[provider_id].append((published, "quality assessment rated Poor"))

    decided = last_entry_times()
    for provider_id, items in signals.items():
        fresh = [
            (when, reason)
            for when, reason in items
            if provider_id not in decided or decided[provider_id] < when
        ]
        if fresh and provider_id in providers:
            found[provider_id] = Suggestion(
                provider=providers[provider_id],
                reasons=sorted({reason for _, reason in fresh}),
                since=min(when for when, _ in fresh),
            )
    return sorted(found.values(), key=lambda s: s.provider.name)
