"""Reading returns and what is due: a bounded number of queries per page,
whatever the number of providers."""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass

from django.db.models import Count, Prefetch, QuerySet, Sum

from common.months import LONDON, Month
from homecare.returns import due
from homecare.returns.models import (
    DueKind,
    ProviderReturn,
    ReturnCapacity,
    ReturnEvent,
    ReturnStatus,
)
from providers.models import Provider, ProviderStatus
from visits.models import ImportKind, ImportOutcome, ImportRecord, Visit


def returns_with_history() -> QuerySet[ProviderReturn]:
    return ProviderReturn.objects.select_related("provider", "submitted_by").prefetch_related(
        Prefetch("capacity", queryset=ReturnCapacity.objects.select_related("lot")),
        Prefetch("events", queryset=ReturnEvent.objects.select_related("by")),
    )


def return_of(provider: Provider, month: Month) -> ProviderReturn | None:
    return returns_with_history().filter(provider=provider, month=month.first).first()


def ecm_received(month: Month, providers: list[Provider]) -> dict[int, dt.datetime]:
    """When each provider's ECM visits file for the month first arrived: the
    first successful visits import that touched the month. A provider's own
    upload (or API post) counts for it; a council upload of the whole market
    (no provider on the record) counts for every provider with visits that
    month. Two or three queries."""
    received: dict[int, dt.datetime] = {}
    wanted = {p.pk for p in providers}
    records = ImportRecord.objects.filter(
        kind=ImportKind.VISITS,
        outcome=ImportOutcome.SUCCEEDED,
        finished_at__gte=dt.datetime.combine(month.first, dt.time.min, tzinfo=LONDON),
    ).values_list("provider_id", "finished_at", "months_touched")
    council_first: dt.datetime | None = None
    for provider_id, finished_at, months in records:
        # months_touched is a JSON list; it is read here rather than queried,
        # because SQLite (the demo) has no JSON containment lookup.
        if month.key not in (months or []) or finished_at is None:
            continue
        if provider_id is None:
            council_first = min(council_first or finished_at, finished_at)
        elif provider_id in wanted:
            received[provider_id] = min(received.get(provider_id, finished_at), finished_at)
    if council_first is not None:
        with_visits = (
            Visit.objects.filter(
                planned_date__range=(month.first, month.last), provider_id__in=wanted
            )
            .values_list("provider_id", flat=True)
            .distinct()
        )
        for provider_id in with_visits:
            received[provider_id] = min(received.get(provider_id, council_first), council_first)
    return received


@dataclass(frozen=True)
class ProviderDue:
    provider: Provider
    ecm: due.DueItem
    provider_return: due.DueItem
    return_id: int | None

    @property
    def outstanding(self) -> bool:
        return self.ecm.state in (due.MISSING, due.LATE) or self.provider_return.state in (
            due.MISSING,
            due.LATE,
        )


def tracked_providers() -> list[Provider]:
    return list(Provider.objects.filter(status=ProviderStatus.ACTIVE).order_by("name"))


def month_tracker(
    month: Month, today: dt.date, providers: list[Provider] | None = None
) -> list[ProviderDue]:
    """Per provider, the month's ECM file and return with their states."""
    providers = tracked_providers() if providers is None else providers
    ecm = ecm_received(month, providers)
    returns = {
        r.provider_id: r
        for r in ProviderReturn.objects.filter(
            month=month.first, provider__in=[p.pk for p in providers]
        ).only("pk", "provider_id", "status", "first_submitted_at")
    }
    rows = []
    for provider in providers:
        ret = returns.get(provider.pk)
        submitted = ret.first_submitted_at if ret else None
        # A reopened return was received when first submitted; its state keeps that.
        draft = ret is not None and ret.status == ReturnStatus.DRAFT
        rows.append(
            ProviderDue(
                provider,
                due.item(DueKind.ECM_FILE, month, ecm.get(provider.pk), today),
                due.item(DueKind.RETURN, month, submitted, today, draft=draft),
                ret.pk if ret else None,
            )
        )
    return rows


def months_due(today: dt.date) -> list[Month]:
    """The months whose file and return a provider may still owe or be
    reminded about: last month, and the month before it."""
    last = Month.of(today).previous()
    return [last, last.previous()]


def provider_history(provider: Provider, limit: int = 12) -> QuerySet[ProviderReturn]:
    return ProviderReturn.objects.filter(provider=provider).order_by("-month")[:limit]


@dataclass(frozen=True)
class LotCapacity:
    lot_id: int
    lot: str
    spare_hours_per_week: float
    providers: int


def declared_capacity(month: Month) -> list[LotCapacity]:
    """Spare hours a week declared in the month's received returns, by lot:
    what the market's capacity pages can set beside the hours waiting. One query."""
    rows = (
        ReturnCapacity.objects.filter(
            provider_return__month=month.first,
            provider_return__first_submitted_at__isnull=False,
        )
        .values("lot_id", "lot__name")
        .annotate(hours=Sum("spare_hours_per_week"), providers=Count("provider_return"))
        .order_by("lot__name")
    )
    return [
        LotCapacity(r["lot_id"], r["lot__name"], float(r["hours"] or 0), r["providers"])
        for r in rows
    ]


def latest_received_month() -> Month | None:
    """The latest month any provider's return has been received for."""
    first = (
        ProviderReturn.objects.filter(first_submitted_at__isnull=False)
        .order_by("-month")
        .values_list("month", flat=True)
        .first()
    )
    return Month.of(first) if first else None
