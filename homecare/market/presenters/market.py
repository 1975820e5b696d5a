"""CQC ratings across the market, concentration per lot and "if it exited"."""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass
from decimal import Decimal

from django.db.models import Count, Q, Sum

from common.months import Month
from contracts.models import CarePackage, Lot
from homecare.market.selectors.cached import delivered_hours_kept
from homecare.market.selectors.capacity import capacity_by_lot, current_capacity
from homecare.market.selectors.concentration import concentration
from homecare.market.selectors.cqc import (
    Downgrade,
    current_ratings,
    downgrades_since_last_import,
)
from homecare.ui import formats
from providers.models import CQC_DOMAINS, Provider, ProviderStatus
from providers.ratings import Publication, key_questions

GOOD = ("Outstanding", "Good")


@dataclass
class CqcMarket:
    providers: int
    good_providers: int
    hours: dt.timedelta
    good_hours: dt.timedelta
    downgrades: list[Downgrade]
    month: Month

    @property
    def provider_share(self) -> str:
        if not self.providers:
            return "No providers"
        return formats.fraction(self.good_providers / self.providers)

    @property
    def provider_count(self) -> str:
        return f"{self.good_providers:,} of {self.providers:,} providers"

    @property
    def hours_share(self) -> str:
        if not self.hours:
            return "No delivered hours"
        return formats.fraction(self.good_hours / self.hours)

    @classmethod
    def load(cls, month: Month) -> CqcMarket:
        providers = list(Provider.objects.exclude(status=ProviderStatus.EXITED))
        ratings = current_ratings(providers)
        good = {p.pk for p in providers if ratings[p.pk].rating in GOOD}
        hours: dict[int, dt.timedelta] = {}
        for lot in delivered_hours_kept(month).values():
            for pid, spent in lot.items():
                hours[pid] = hours.get(pid, dt.timedelta(0)) + spent
        return cls(
            providers=len(providers),
            good_providers=len(good),
            hours=sum(hours.values(), dt.timedelta(0)),
            good_hours=sum((h for pid, h in hours.items() if pid in good), dt.timedelta(0)),
            downgrades=downgrades_since_last_import(providers),
            month=month,
        )


@dataclass
class KeyQuestions:
    """A provider's five key questions and overall, newest publication first."""

    history: list[Publication]
    domains: tuple[str, ...] = CQC_DOMAINS

    @property
    def newest(self) -> Publication | None:
        return self.history[0] if self.history else None

    @classmethod
    def load(cls, provider: Provider) -> KeyQuestions:
        return cls(history=key_questions(provider))


@dataclass
class ShareRow:
    provider: Provider
    hours: str
    share: str


@dataclass
class LotShares:
    lot: Lot
    hhi: str
    rows: list[ShareRow]


def lot_shares(month: Month) -> list[LotShares]:
    found = concentration(month, delivered_hours_kept(month))
    lots = {lot.pk: lot for lot in Lot.objects.filter(pk__in=found)}
    providers = {p.pk: p for p in Provider.objects.all()}
    out = []
    for lot_id, figures in sorted(found.items(), key=lambda item: lots[item[0]].name):
        out.append(
            LotShares(
                lot=lots[lot_id],
                hhi=formats.number(figures.hhi, 0),
                rows=[
                    ShareRow(
                        provider=providers[s.provider_id],
                        hours=formats.hours(s.hours.total_seconds() / 3600),
                        share=formats.fraction(s.share),
                    )
                    for s in figures.shares
                ],
            )
        )
    return out


@dataclass
class ExitRow:
    lot: str
    people: int
    packages: int
    weekly_hours: Decimal
    others_capacity: Decimal

    @property
    def gap(self) -> Decimal:
        return max(self.weekly_hours - self.others_capacity, Decimal(0))


def if_it_exited(provider: Provider, today: dt.date) -> list[ExitRow]:
    """The provider's active packages by lot, beside the spare hours the
    other providers have declared there."""
    active = CarePackage.objects.filter(provider=provider).filter(
        Q(end_date__isnull=True) | Q(end_date__gte=today), start_date__lte=today
    )
    rows = (
        active.values("contract__lot_id", "contract__lot__name")
        .annotate(
            people=Count("person_id", distinct=True),
            packages=Count("id"),
            weekly_hours_sum=Sum("planned_weekly_hours"),
        )
        .order_by("contract__lot__name")
    )
    others = capacity_by_lot(current_capacity(), excluding=provider.pk)
    return [
        ExitRow(
            lot=row["contract__lot__name"] or "No lot (spot purchase)",
            people=row["people"],
            packages=row["packages"],
            weekly_hours=row["weekly_hours_sum"] or Decimal(0),
            others_capacity=others.get(row["contract__lot_id"], Decimal(0))
            if row["contract__lot_id"]
            else Decimal(0),
        )
        for row in rows
    ]
