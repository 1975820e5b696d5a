"""Writes of the market oversight: weekly snapshots, the risk register and
declared capacity."""

from __future__ import annotations

import datetime as dt
from decimal import Decimal

from django.contrib.auth.models import User
from django.db import transaction

from common.months import LONDON
from contracts.models import CapacityDeclaration, Lot
from homecare.market.models import RiskEntry, WaitingSnapshot
from homecare.market.selectors.waiting import BAND_KEYS, SOURCES, Cell, waiting
from providers.models import Provider


def last_monday_midnight(now: dt.datetime) -> dt.datetime:
    """The latest Monday 00:00 Europe/London at or before `now`."""
    local = now.astimezone(LONDON)
    monday = local.date() - dt.timedelta(days=local.weekday())
    return dt.datetime(monday.year, monday.month, monday.day, tzinfo=LONDON)


def _cell(cell: Cell) -> dict[str, float | int]:
    return {"requests": cell.requests, "people": cell.people, "hours": float(cell.hours)}


def take_snapshot(at: dt.datetime) -> tuple[WaitingSnapshot, bool]:
    """The waiting figures at `at`, kept. Taking the same instant again keeps
    the first: a snapshot records what was known then."""
    existing = WaitingSnapshot.objects.filter(taken_for=at).first()
    if existing is not None:
        return existing, False
    found = waiting(at)
    with transaction.atomic():
        snapshot, created = WaitingSnapshot.objects.get_or_create(
            taken_for=at,
            defaults={
                "people": found.everyone.total.people,
                "requests": found.everyone.total.requests,
                "hours": found.everyone.total.hours,
                "median_wait_hours": found.median_wait_hours,
                "longest_wait_hours": found.longest_wait_hours,
                "by_band": {key: _cell(found.everyone.bands[key]) for key in BAND_KEYS},
                "by_source": {key: _cell(found.by_source[key].total) for key in SOURCES},
                "by_lot": {
                    str(lot_id or ""): _cell(group.total) for lot_id, group in found.by_lot.items()
                },
            },
        )
    return snapshot, created


def record_risk(
    *,
    provider: Provider,
    status: str,
    reasons: str,
    owner: User,
    next_review: dt.date,
    by: User,
    suggestion: str = "",
) -> RiskEntry:
    """A new entry on the register: the provider's current one from now, the
    previous one kept as its history."""
    return RiskEntry.objects.create(
        provider=provider,
        status=status,
        reasons=reasons,
        owner=owner,
        next_review=next_review,
        recorded_by=by,
        suggestion=suggestion,
    )


def declare_capacity(
    *, provider: Provider, lot: Lot, declared_on: dt.date, hours: Decimal, by: User | None
) -> CapacityDeclaration:
    """One declaration per provider, lot and day: a second the same day replaces it."""
    declaration, _ = CapacityDeclaration.objects.update_or_create(
        provider=provider,
        lot=lot,
        declared_on=declared_on,
        defaults={"spare_weekly_hours": hours, "declared_by": by},
    )
    return declaration
