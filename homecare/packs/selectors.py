"""Reads for packs: which packs a user may download, and the stored results a
pack is built from (with the stamp that says whether a built pack is stale)."""

from __future__ import annotations

import datetime as dt
import hashlib
import json
from typing import Any

from django.db.models import Max, QuerySet
from django.http import Http404

from common.months import Month
from homecare.dashboards import selectors as dashboard_selectors
from homecare.kpis.models import KpiScope
from homecare.market.presenters import pack as market_oversight
from homecare.packs.models import Pack, PackKind
from providers.access import scope
from providers.models import Provider
from reviews.models import AssessmentEvent


def visible_packs(user: Any) -> QuerySet[Pack]:
    """Packs the user may download: council staff every pack, a provider's user
    their own provider's packs only (never the market pack, which names others)."""
    return scope(Pack.objects.select_related("provider"), user)


def get_visible_pack(user: Any, pk: int) -> Pack:
    try:
        return visible_packs(user).get(pk=pk)
    except Pack.DoesNotExist:
        raise Http404("No such pack") from None


def pack_months(user: Any) -> list[dt.date]:
    return list(visible_packs(user).order_by("-month").values_list("month", flat=True).distinct())


def packs_for_month(user: Any, month: Month) -> list[Pack]:
    # The market pack first, then providers by name, as commissioners read them.
    packs = list(visible_packs(user).filter(month=month.first))
    packs.sort(key=lambda p: (p.kind != PackKind.MARKET, p.provider.name if p.provider else ""))
    return packs


def find_pack(month: Month, provider: Provider | None) -> Pack | None:
    kind = PackKind.PROVIDER if provider else PackKind.MARKET
    return Pack.objects.filter(kind=kind, provider=provider, month=month.first).first()


# --- what a pack is built from -------------------------------------------------------


def _stamp(rows: list[tuple], **more: Any) -> dict[str, Any]:
    """The stored results a pack shows (ids, computed_at and when each was
    rated), and a hash of them: any recomputation, or a change of limits that
    rates the month again, changes the hash. A change of limits does not touch
    earlier months' ratings, so their packs stay as they are."""
    sources = {
        "monthly_kpis": {
            str(pk): [computed.isoformat(), rated.isoformat() if rated else None]
            for pk, computed, rated in sorted(rows)
        },
        **more,
    }
    digest = hashlib.sha256(json.dumps(sources, sort_keys=True).encode()).hexdigest()
    return {"sources": sources, "stamp": digest}


def provider_sources(provider: Provider, month: Month) -> dict[str, Any]:
    """A provider pack shows the provider's twelve-month trend (this month and
    last month's change among it)."""
    rows = dashboard_selectors.provider_trend_stamps(provider, month)
    # The quality section changes with every step of an assessment or its
    # action plan, and each step is logged: the latest one stands for them all.
    quality = AssessmentEvent.objects.filter(assessment__provider=provider).aggregate(
        last=Max("at")
    )["last"]
    return _stamp(
        rows,
        quality=quality.isoformat() if quality else None,
        market_oversight=market_oversight.stamp(),
    )


def market_sources(month: Month) -> dict[str, Any]:
    """A market pack shows the market's trend and the month's provider and lot rows."""
    return _stamp(
        dashboard_selectors.market_stamps(month), market_oversight=market_oversight.stamp()
    )


def providers_with_results(month: Month) -> QuerySet[Provider]:
    return Provider.objects.filter(
        monthly_kpis__scope=KpiScope.PROVIDER, monthly_kpis__month=month.first
    ).order_by("ref")
