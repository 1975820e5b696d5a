"""The visit figures of a month, read in two grouped queries: visits summed
per (provider, lot, person), and distinct care workers per (provider, lot,
person). Providers, lots and the market are then sums of those rows; no visit
is ever looked at in Python."""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass
from typing import Any

from django.db.models import (
    Count,
    DateField,
    DurationField,
    Exists,
    ExpressionWrapper,
    F,
    Func,
    OuterRef,
    Q,
    QuerySet,
    Sum,
    Value,
)
from django.db.models.lookups import LessThan

from common.months import Month
from homecare.kpis.engine.plan import ThresholdPlan, either
from homecare.kpis.thresholds import Thresholds
from visits.models import Visit, VisitCarer, VisitStatus

ACTUAL = ExpressionWrapper(F("actual_end") - F("actual_start"), output_field=DurationField())
PLANNED = ExpressionWrapper(F("planned_end") - F("planned_start"), output_field=DurationField())


def _started_after(minutes: int) -> Q:
    return Q(actual_start__gt=F("planned_start") + dt.timedelta(minutes=minutes))


def short(thresholds: Thresholds) -> Q:
    # actual < ratio * planned, as integers: actual * den < planned * num.
    ratio = thresholds.short_ratio
    scaled: DurationField = DurationField()
    return Q(
        LessThan(
            ExpressionWrapper(ACTUAL * Value(ratio.denominator), output_field=scaled),
            ExpressionWrapper(PLANNED * Value(ratio.numerator), output_field=scaled),
        )
    )


def time_critical() -> Q:
    """A visit is time-critical when it says so or its package does."""
    return Q(time_critical=True) | Q(package__time_critical=True)


def _outside_window(thresholds: Thresholds) -> Q:
    # Exactly the window early or late is within it (kpi-definitions.md).
    window = dt.timedelta(minutes=thresholds.time_critical_window_minutes)
    return Q(actual_start__gt=F("planned_start") + window) | Q(
        actual_start__lt=F("planned_start") - window
    )


def under_30() -> Q:
    return Q(planned_end__lt=F("planned_start") + dt.timedelta(minutes=30))


def up_to_15() -> Q:
    return Q(planned_end__lte=F("planned_start") + dt.timedelta(minutes=15))


class DaysBefore(Func):
    """A date `days` days before a date, as a date on both databases, in the
    database's own date arithmetic: PostgreSQL's date - integer, SQLite's
    date(..., '-N days'). (Django's date - timedelta is a timestamp on
    PostgreSQL and, on SQLite, a Python function called for every row.)"""

    output_field = DateField()

    def __init__(self, expression: Any, days: int) -> None:
        super().__init__(expression)
        self.days = int(days)
        self.template = f"(%(expressions)s - {self.days})"

    def as_sqlite(self, compiler: Any, connection: Any, **extra: Any) -> Any:
        template = f"date(%(expressions)s, '-{self.days} days')"
        return self.as_sql(compiler, connection, template=template, **extra)


def _known_carer_counts(
    month: Month, plan: ThresholdPlan, provider_id: int | None = None
) -> dict[Key, int]:
    """Delivered visits under 30 minutes with at least one care worker known to
    the person, per (provider, lot, person): a care worker on another
    delivered visit to the same person planned earlier, on a local date at
    most known_carer_days before this one's, in this month or the one before.

    Its own grouped query, over the candidate visits' care-worker rows, with
    the look-back as an EXISTS in the WHERE clause correlated one level deep
    (care worker, person, dates): PostgreSQL runs it as a hash semi-join over
    the months it names, in one pass whatever the size of the month, where an
    EXISTS inside the other figures' FILTER would run once per visit. One
    query per distinct look-back (usually one)."""
    groups = plan.groups(contract="visit__package__contract_id", provider="visit__provider_id")
    by_days: dict[int, Q] = {}
    for thresholds, where in groups:
        days = thresholds.known_carer_days
        by_days[days] = by_days[days] | where if days in by_days else where
    out: dict[Key, int] = {}
    for days, where in by_days.items():
        earliest = DaysBefore(OuterRef("planned_date"), days)
        reach = month.first - dt.timedelta(days=days)  # fixed bounds: only these partitions
        seen_before = (
            VisitCarer.objects.filter(
                care_worker_id=OuterRef("care_worker_id"),
                planned_date__gte=reach,
                planned_date__lte=month.last,
                visit__planned_date__gte=reach,
                visit__planned_date__lte=month.last,
                # Care workers are the provider's own, so this says nothing new,
                # but it lets SQLite walk the (provider, planned_date) index of
                # visits and look each care-worker row up by its key.
                visit__provider_id=OuterRef("visit__provider_id"),
                visit__person_id=OuterRef("visit__person_id"),
                visit__status=VisitStatus.COMPLETED,
                visit__planned_start__lt=OuterRef("visit__planned_start"),
            )
            .filter(
                visit__planned_date__gte=earliest,
                visit__planned_date__lte=OuterRef("planned_date"),
            )
            .values("pk")
        )
        rows = (
            _month_carer_rows(month, provider_id)
            .filter(where)
            .filter(visit__planned_end__lt=F("visit__planned_start") + dt.timedelta(minutes=30))
            .filter(Exists(seen_before))
            .values("visit__provider_id", "visit__package__contract__lot_id", "visit__person_id")
            .annotate(known=Count("visit_id", distinct=True))
            .order_by()
        )
        for row in rows:
            key = (
                row["visit__provider_id"],
                row["visit__package__contract__lot_id"],
                row["visit__person_id"],
            )
            out[key] = out.get(key, 0) + row["known"]
    return out


def care_standards(plan: ThresholdPlan) -> dict[str, Q]:
    """The visits behind the care-standards figures (issue 15), each with its
    own contract's thresholds, as person_rows counts them and the lists show them."""
    groups = plan.groups(contract="package__contract_id", provider="provider_id")
    delivered = Q(status=VisitStatus.COMPLETED)
    _late, missed = timeliness(plan)
    critical = time_critical()
    short_delivered = delivered & under_30()
    return {
        "time_critical": critical,
        "time_critical_outside": critical
        & (missed | (delivered & either(groups, _outside_window))),
        "under_30_delivered": short_delivered,
        "up_to_15": up_to_15(),
    }


# --- one pass over the month -------------------------------------------------------
#
# The month is read in a handful of grouped queries, whatever the number of
# providers: visits aggregated per (provider, lot, person), distinct care workers
# per (provider, lot, person), and one row per package with its review flags.
# Providers, lots and the market are then sums of those few thousand aggregate
# rows; no visit is ever looked at in Python.

Key = tuple[int, int | None, int]  # provider id, lot id (via the package's contract), person id
COUNTS = (
    "scheduled",
    "delivered",
    "late",
    "missed",
    "short",
    "under_30",
    "up_to_15",
    "ecm",
    # Care standards (issue 15).
    "critical",
    "critical_outside",
    "under_30_delivered",
    "under_30_known",
    "missed_alone",
    "missed_no_capacity",
    "missed_alone_no_capacity",
)


@dataclass
class PersonRow:
    """One person's visits with one provider under one lot, as the database summed them."""

    scheduled: int = 0
    delivered: int = 0
    late: int = 0
    missed: int = 0
    short: int = 0
    under_30: int = 0
    up_to_15: int = 0
    ecm: int = 0
    # Not named time_critical: an annotation of that name would shadow the
    # visit's own field in the filters of the same query.
    critical: int = 0
    critical_outside: int = 0
    under_30_delivered: int = 0
    under_30_known: int = 0
    missed_alone: int = 0
    missed_no_capacity: int = 0
    missed_alone_no_capacity: int = 0
    planned: dt.timedelta = dt.timedelta(0)
    actual: dt.timedelta = dt.timedelta(0)
    carers: int = 0

    def add(self, other: PersonRow, *, carers: bool = True) -> None:
        for name in COUNTS:
            setattr(self, name, getattr(self, name) + getattr(other, name))
        self.planned += other.planned
        self.actual += other.actual
        if carers:
            self.carers += other.carers


def _month_visits(month: Month, provider_id: int | None = None) -> QuerySet[Visit]:
    visits = Visit.objects.filter(
        planned_date__gte=month.first, planned_date__lte=month.last
    ).exclude(status=VisitStatus.CANCELLED)
    return visits if provider_id is None else visits.filter(provider_id=provider_id)


def _month_carer_rows(month: Month, provider_id: int | None = None) -> QuerySet[VisitCarer]:
    # The care-worker row's own planned_date (its visit's) lets PostgreSQL read
    # only the month's partition of care-worker rows (visits/partitions.py).
    rows = VisitCarer.objects.filter(
        planned_date__gte=month.first,
        planned_date__lte=month.last,
        visit__planned_date__gte=month.first,
        visit__planned_date__lte=month.last,
        visit__status=VisitStatus.COMPLETED,
    )
    return rows if provider_id is None else rows.filter(visit__provider_id=provider_id)


def timeliness(plan: ThresholdPlan) -> tuple[Q, Q]:
    groups = plan.groups(contract="package__contract_id", provider="provider_id")
    delivered = Q(status=VisitStatus.COMPLETED)
    late = delivered & either(groups, lambda t: _started_after(t.late_after_minutes))
    missed = Q(status=VisitStatus.MISSED) | (
        delivered & either(groups, lambda t: _started_after(t.missed_after_minutes))
    )
    return late, missed


def person_rows(
    month: Month, plan: ThresholdPlan, provider_id: int | None = None
) -> dict[Key, PersonRow]:
    """The month's rows, of every provider or of one (a fanned-out provider task)."""
    groups = plan.groups(contract="package__contract_id", provider="provider_id")
    delivered = Q(status=VisitStatus.COMPLETED)
    late, missed = timeliness(plan)
    standards = care_standards(plan)
    alone, no_capacity = Q(person__lives_alone=True), Q(person__lacks_capacity=True)
    rows = (
        _month_visits(month, provider_id)
        .values("provider_id", "package__contract__lot_id", "person_id")
        .annotate(
            scheduled=Count("id"),
            delivered=Count("id", filter=delivered),
            late=Count("id", filter=late),
            missed=Count("id", filter=missed),
            short=Count("id", filter=delivered & either(groups, short)),
            under_30=Count("id", filter=under_30()),
            up_to_15=Count("id", filter=up_to_15()),
            ecm=Count("id", filter=delivered & Q(ecm_verified=True)),
            critical=Count("id", filter=standards["time_critical"]),
            critical_outside=Count("id", filter=standards["time_critical_outside"]),
            under_30_delivered=Count("id", filter=standards["under_30_delivered"]),
            # Blank flags are not true (kpi-definitions.md).
            missed_alone=Count("id", filter=missed & alone),
            missed_no_capacity=Count("id", filter=missed & no_capacity),
            missed_alone_no_capacity=Count("id", filter=missed & alone & no_capacity),
            planned=Sum(PLANNED),
            actual=Sum(ACTUAL, filter=delivered),
        )
        .order_by()
    )
    out: dict[Key, PersonRow] = {}
    for row in rows:
        key = (row.pop("provider_id"), row.pop("package__contract__lot_id"), row.pop("person_id"))
        row["planned"] = row["planned"] or dt.timedelta(0)
        row["actual"] = row["actual"] or dt.timedelta(0)
        out[key] = PersonRow(**row)
    for key, known in _known_carer_counts(month, plan, provider_id).items():
        out[key].under_30_known = known
    carer_visits = _month_carer_rows(month, provider_id)
    for row in (
        carer_visits.values(
            "visit__provider_id", "visit__package__contract__lot_id", "visit__person_id"
        )
        .annotate(carers=Count("care_worker_id", distinct=True))
        .order_by()
    ):
        key = (
            row["visit__provider_id"],
            row["visit__package__contract__lot_id"],
            row["visit__person_id"],
        )
        out[key].carers = row["carers"]
    return out


def provider_carers(
    month: Month, rows: dict[Key, PersonRow], provider_id: int | None = None
) -> dict[tuple[int, int], int]:
    """Distinct care workers per (provider, person). Summing a person's lots
    would count twice a care worker who served them under two lots of one
    provider, so only those (rare) people are counted again, across lots."""
    lots_of: dict[tuple[int, int], int] = {}
    for pid, _lot, person_id in rows:
        lots_of[(pid, person_id)] = lots_of.get((pid, person_id), 0) + 1
    split = {pair for pair, lots in lots_of.items() if lots > 1}
    if not split:
        return {}
    recount = (
        _month_carer_rows(month, provider_id)
        .filter(visit__person_id__in={person for _, person in split})
        .values("visit__provider_id", "visit__person_id")
        .annotate(carers=Count("care_worker_id", distinct=True))
        .order_by()
    )
    return {
        (row["visit__provider_id"], row["visit__person_id"]): row["carers"]
        for row in recount
        if (row["visit__provider_id"], row["visit__person_id"]) in split
    }
