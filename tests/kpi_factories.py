"""Builders for KPI tests: visits at London wall-clock times, with their carers."""

from __future__ import annotations

import datetime as dt
import io
from zoneinfo import ZoneInfo

from contracts.models import CarePackage
from tests.factories import VisitCarerFactory, VisitFactory
from visits.imports import import_visits
from visits.models import CareWorker, Visit

LONDON = ZoneInfo("Europe/London")


def london(*parts: int, fold: int = 0) -> dt.datetime:
    """A London wall-clock time as a UTC instant."""
    return dt.datetime(*parts, tzinfo=LONDON, fold=fold).astimezone(dt.UTC)


def carer(package: CarePackage, ref: str) -> CareWorker:
    return CareWorker.objects.get_or_create(provider=package.provider, ref=ref)[0]


def visit(
    package: CarePackage,
    planned_start: dt.datetime,
    *,
    minutes: float = 30,
    late: dt.timedelta = dt.timedelta(0),
    actual_minutes: float | None = None,
    status: str = "completed",
    carers: tuple[str, ...] = ("C1",),
    ecm: bool = True,
    time_critical: bool = False,
) -> Visit:
    """A visit planned at `planned_start` (UTC) for `minutes`, starting `late` after
    it and lasting `actual_minutes` (default: as planned)."""
    planned_end = planned_start + dt.timedelta(minutes=minutes)
    delivered = status == "completed"
    actual_start = planned_start + late if delivered else None
    actual_end = (
        actual_start
        + dt.timedelta(minutes=actual_minutes if actual_minutes is not None else minutes)
        if delivered
        else None
    )
    made = VisitFactory(
        package=package,
        planned_start=planned_start,
        planned_end=planned_end,
        planned_date=planned_start.astimezone(LONDON).date(),
        actual_start=actual_start,
        actual_end=actual_end,
        status=status,
        ecm_verified=ecm and delivered,
        carer_count=len(carers) if delivered else 0,
        time_critical=time_critical,
    )
    if delivered:
        for ref in carers:
            VisitCarerFactory(
                visit=made,
                care_worker=carer(package, ref),
                verification="ecm" if ecm else "manual",
            )
    return made


def import_visits_csv(text: str) -> None:
    """Import visits through the real ECM import path."""
    import_visits(io.BytesIO(text.encode()))
