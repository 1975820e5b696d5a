"""How long visit-level rows are kept, and their deletion.

Visits and their care-worker rows are the finest-grained personal data held
(who was visited when, by which worker). They are kept for the current month
and the VISIT_RETENTION_MONTHS whole months before it (84, seven years, by
default), then deleted a whole month at a time; the monthly results computed
from them (homecare.kpis' MonthlyKpi, packs) stay. Care workers left with no
visit are deleted with them.

`apply_visit_retention` is the one entry point: on PostgreSQL, where visits
are partitioned by month (visits/partitions.py), it drops the old months'
partitions, and its callers do not change.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass, field

from django.conf import settings
from django.db import connection, transaction
from django.db.models import Count, Exists, OuterRef, QuerySet
from django.db.models.functions import TruncMonth

from common.months import Month, current_month
from visits import partitions
from visits.models import CareWorker, Visit, VisitCarer

DEFAULT_MONTHS = 84


@dataclass
class MonthDeleted:
    month: str
    visits: int
    carer_rows: int


@dataclass
class RetentionReport:
    months_kept: int
    kept_from: dt.date
    dry_run: bool
    months: list[MonthDeleted] = field(default_factory=list)
    care_workers: int = 0

    @property
    def visits(self) -> int:
        return sum(month.visits for month in self.months)

    @property
    def carer_rows(self) -> int:
        return sum(month.carer_rows for month in self.months)

    def lines(self) -> list[str]:
        """What went (or, in a dry run, would go), for the command and the log."""
        verb = "Would delete" if self.dry_run else "Deleted"
        kept = f"Visits are kept from {self.kept_from:%-d %B %Y} ({self.months_kept} months)."
        if not self.months and not self.care_workers:
            return [kept, "Nothing is older than that."]
        lines = [kept]
        for month in self.months:
            lines.append(
                f"{verb} {month.month}: {month.visits:,} visits, "
                f"{month.carer_rows:,} care-worker rows."
            )
        lines.append(
            f"{verb} {self.visits:,} visits and {self.carer_rows:,} care-worker rows in all, "
            f"and {self.care_workers:,} care workers with no visit left. "
            "Monthly results are kept."
        )
        return lines


def retention_months() -> int:
    return int(getattr(settings, "VISIT_RETENTION_MONTHS", DEFAULT_MONTHS))


def first_kept_day(months: int | None = None, today: dt.date | None = None) -> dt.date:
    """The first day of the oldest month still kept: the current (London)
    month and the `months` whole months before it."""
    months = retention_months() if months is None else months
    this = Month.of(today) if today else current_month()
    index = this.first.year * 12 + this.first.month - 1 - months
    return dt.date(index // 12, index % 12 + 1, 1)


def apply_visit_retention(
    months: int | None = None, *, dry_run: bool = False, today: dt.date | None = None
) -> RetentionReport:
    """Delete visits (and their care-worker rows) planned before the first kept
    month, one month per transaction so a large backlog never holds one long
    lock; with dry_run, only count them."""
    months = retention_months() if months is None else months
    if months < 1:
        raise ValueError("visits must be kept for at least one month")
    kept_from = first_kept_day(months, today)
    report = RetentionReport(months_kept=months, kept_from=kept_from, dry_run=dry_run)
    old = Visit.objects.filter(planned_date__lt=kept_from)
    visit_counts = dict(
        old.annotate(month=TruncMonth("planned_date"))
        .values_list("month")
        .annotate(n=Count("*"))
        .values_list("month", "n")
    )
    carer_counts = dict(
        VisitCarer.objects.filter(planned_date__lt=kept_from)
        .annotate(month=TruncMonth("planned_date"))
        .values_list("month")
        .annotate(n=Count("*"))
        .values_list("month", "n")
    )
    for first in sorted(visit_counts):
        month = Month.of(_as_date(first))
        report.months.append(
            MonthDeleted(month.key, visit_counts[first], carer_counts.get(first, 0))
        )
        if not dry_run:
            _delete_month(month)
    if dry_run:
        report.care_workers = _workers_without_visits(kept_from).count()
    elif report.months:
        report.care_workers = _delete_workers_without_visits()
    return report


def _as_date(value: dt.date | dt.datetime) -> dt.date:
    return value.date() if isinstance(value, dt.datetime) else value


def _delete_month(month: Month) -> None:
    """On PostgreSQL the month's partitions are dropped (the whole month at once,
    nothing to vacuum after); then, on either database, set-based deletes take
    whatever rows of the month remain (in the default partition, or in SQLite's
    plain tables): two statements, however many rows."""
    partitions.drop_month(month)
    visits = Visit._meta.db_table
    carers = VisitCarer._meta.db_table
    end = month.last + dt.timedelta(days=1)
    with transaction.atomic(), connection.cursor() as cursor:
        cursor.execute(
            f"DELETE FROM {carers} WHERE planned_date >= %s AND planned_date < %s",
            [month.first, end],
        )
        cursor.execute(
            f"DELETE FROM {visits} WHERE planned_date >= %s AND planned_date < %s",
            [month.first, end],
        )


def _workers_without_visits(kept_from: dt.date) -> QuerySet[CareWorker]:
    on_kept_visit = VisitCarer.objects.filter(
        care_worker=OuterRef("pk"), planned_date__gte=kept_from
    )
    return CareWorker.objects.filter(~Exists(on_kept_visit))


def _delete_workers_without_visits() -> int:
    workers = CareWorker._meta.db_table
    carers = VisitCarer._meta.db_table
    with transaction.atomic(), connection.cursor() as cursor:
        cursor.execute(
            f"""DELETE FROM {workers} WHERE NOT EXISTS (
                    SELECT 1 FROM {carers} vc WHERE vc.care_worker_id = {workers}.id)"""
        )
        return cursor.rowcount
