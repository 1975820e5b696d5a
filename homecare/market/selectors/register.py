"""The provider risk register: current entries, history, and suggestions."""

from __future__ import annotations

import datetime as dt

from django.db.models import Max, OuterRef, Subquery

from homecare.market.models import RiskEntry, RiskStatus
from providers.models import Provider


def current_entries(providers: list[Provider] | None = None) -> dict[int, RiskEntry]:
    """provider id -> its newest register entry (one query)."""
    newest = RiskEntry.objects.filter(provider_id=OuterRef("provider_id")).order_by(
        "-recorded_at", "-pk"
    )
    entries = RiskEntry.objects.filter(pk=Subquery(newest.values("pk")[:1])).select_related(
        "provider", "owner"
    )
    if providers is not None:
        entries = entries.filter(provider__in=providers)
    return {entry.provider_id: entry for entry in entries}


def embargoed_provider_ids() -> set[int]:
    return {pid for pid, entry in current_entries().items() if entry.status == RiskStatus.EMBARGO}


def history(provider: Provider) -> list[RiskEntry]:
    return list(provider.risk_entries.select_related("owner", "recorded_by").all())


def is_overdue(entry: RiskEntry, today: dt.date) -> bool:
    return entry.status != RiskStatus.NO_CONCERNS and entry.next_review < today


def last_entry_times() -> dict[int, dt.datetime]:
    return dict(
        RiskEntry.objects.values("provider_id")
        .annotate(last=Max("recorded_at"))
        .values_list("provider_id", "last")
    )
