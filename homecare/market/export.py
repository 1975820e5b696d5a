"""The export_market JSON (shared/specs/market-definitions.md, Export)."""

from __future__ import annotations

from typing import Any

from common.months import Month
from contracts.models import Lot
from homecare.market.selectors.concentration import concentration
from homecare.market.selectors.cqc import current_ratings
from homecare.market.selectors.discharges import discharges
from homecare.market.selectors.waiting import BAND_KEYS, SOURCES, month_end, waiting
from providers.models import Provider


def market_export(month: Month) -> dict[str, Any]:
    now = waiting(month_end(month))
    market, _lots = discharges(month)
    # Sorted here, not by the database: PostgreSQL's collation and SQLite's
    # byte order disagree on case and punctuation, and the JSON must not.
    providers = sorted(Provider.objects.all(), key=lambda p: p.ref)
    refs = {p.pk: p.ref for p in providers}
    shares = concentration(month)
    lots = []
    for lot in sorted(
        Lot.objects.select_related("framework"), key=lambda x: (x.name, str(x.framework))
    ):
        lot_figures = shares.get(lot.pk)
        lots.append(
            {
                "lot": lot.name,
                "hhi": lot_figures.hhi if lot_figures else None,
                "shares": sorted(
                    (
                        {"provider_ref": refs[s.provider_id], "share": round(s.share, 4)}
                        for s in (lot_figures.shares if lot_figures else [])
                    ),
                    key=lambda s: str(s["provider_ref"]),
                ),
            }
        )
    ratings = current_ratings(providers)

    def published(provider: Provider) -> str | None:
        day = ratings[provider.pk].published
        return day.isoformat() if day else None

    return {
        "month": month.key,
        "waiting_at_month_end": {
            "people": now.everyone.total.people,
            "requests": now.everyone.total.requests,
            "hours": round(float(now.everyone.total.hours), 2),
            "by_band": {key: now.everyone.bands[key].requests for key in BAND_KEYS},
            "by_source": {key: now.by_source[key].total.requests for key in SOURCES},
            "median_wait_hours": now.median_wait_hours,
            "longest_wait_hours": now.longest_wait_hours,
        },
        "hospital_discharge_requests": market.requests,
        "hospital_discharges_started_within_48h": market.within_48h,
        "lots": lots,
        "providers": [
            {
                "provider_ref": p.ref,
                "cqc_rating": ratings[p.pk].rating or None,
                "cqc_publication_date": published(p),
            }
            for p in providers
        ],
    }
