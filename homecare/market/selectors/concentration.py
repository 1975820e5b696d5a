"""Shares of delivered hours per lot and the Herfindahl-Hirschman index."""

from __future__ import annotations

import datetime as dt
from collections import defaultdict
from dataclasses import dataclass

from django.db.models import DurationField, ExpressionWrapper, F, Sum

from common.months import Month
from visits.models import Visit, VisitStatus

ACTUAL = ExpressionWrapper(F("actual_end") - F("actual_start"), output_field=DurationField())


@dataclass
class Share:
    provider_id: int
    hours: dt.timedelta
    share: float  # 0-1


@dataclass
class LotConcentration:
    lot_id: int
    total: dt.timedelta
    shares: list[Share]

    @property
    def hhi(self) -> float | None:
        """Sum of the squared shares in percent, 0-10,000."""
        if not self.shares:
            return None
        return round(sum((s.share * 100) ** 2 for s in self.shares), 1)


def delivered_hours(month: Month) -> dict[int, dict[int, dt.timedelta]]:
    """Delivered hours per lot and provider in the month (one grouped query)."""
    out: dict[int, dict[int, dt.timedelta]] = defaultdict(dict)
    rows = (
        Visit.objects.filter(
            planned_date__gte=month.first,
            planned_date__lte=month.last,
            status=VisitStatus.COMPLETED,
            package__contract__isnull=False,
        )
        .values("package__contract__lot_id", "provider_id")
        .annotate(hours=Sum(ACTUAL))
        .order_by()
    )
    for row in rows:
        if row["hours"]:
            out[row["package__contract__lot_id"]][row["provider_id"]] = row["hours"]
    return out


def concentration(
    month: Month, hours: dict[int, dict[int, dt.timedelta]] | None = None
) -> dict[int, LotConcentration]:
    """Shares and HHI per lot; `hours` if the caller already has them."""
    out = {}
    for lot_id, providers in (delivered_hours(month) if hours is None else hours).items():
        total = sum(providers.values(), dt.timedelta(0))
        if not total:
            continue
        shares = [
            Share(provider_id=pid, hours=hours, share=hours / total)
            for pid, hours in providers.items()
        ]
        shares.sort(key=lambda s: -s.share)
        out[lot_id] = LotConcentration(lot_id=lot_id, total=total, shares=shares)
    return out
