"""The market oversight sections of the monthly packs (homecare/packs renders
them): what the pages show, as at the month's end."""

from __future__ import annotations

import datetime as dt
from typing import Any

from django.db.models import Max

from common.months import Month
from contracts.models import CapacityDeclaration, CareRequest
from homecare.market.models import RiskEntry, WaitingSnapshot
from homecare.market.presenters.market import CqcMarket, if_it_exited, lot_shares
from homecare.market.presenters.waiting import WaitingView
from homecare.market.selectors.register import current_entries
from homecare.market.selectors.waiting import month_end
from providers.models import CqcLocationRating, Provider
from providers.ratings import key_questions


def market_section(month: Month) -> dict[str, Any]:
    end = month_end(month)
    entries = current_entries()
    return {
        "waiting": WaitingView.load(end),
        "shares": lot_shares(month),
        "cqc": CqcMarket.load(month),
        "register": sorted(entries.values(), key=lambda e: e.provider.name),
    }


def provider_section(provider: Provider, month: Month) -> dict[str, Any]:
    end = month_end(month)
    entry = current_entries([provider]).get(provider.pk)
    shares = [
        (item.lot, item.hhi, row)
        for item in lot_shares(month)
        for row in item.rows
        if row.provider.pk == provider.pk
    ]
    return {
        "register": entry,
        "shares": shares,
        "exit_rows": if_it_exited(provider, (end - dt.timedelta(seconds=1)).date()),
        "cqc_history": key_questions(provider)[:3],
    }


def stamp() -> dict[str, str | None]:
    """When anything the sections show last changed, so a pack is rebuilt then."""

    def last(model: Any, field: str) -> str | None:
        value = model.objects.aggregate(last=Max(field))["last"]
        return value.isoformat() if value else None

    return {
        "requests": str(CareRequest.objects.count()) + (last(CareRequest, "requested_at") or ""),
        "snapshots": last(WaitingSnapshot, "taken_at"),
        "register": last(RiskEntry, "recorded_at"),
        "capacity": last(CapacityDeclaration, "created_at"),
        "cqc": str(CqcLocationRating.objects.count()),
    }
