"""Three layers of hours per package and week (issue 13): commissioned (the
package_hours history), planned (scheduled visits less those cancelled in
advance), delivered (completed visits' actual lengths) and ECM-verified.

Weeks run Monday to Sunday by Europe/London dates (a visit's planned_date is
its London date). A week that crosses a month belongs to both: a month's
figures are the sum over its own days.

Visit hours are summed in the database, one row per package and week (or per
month); commissioned hours come from a package's few dated rows, pro rata by
the days of the range it was active (weekly hours / 7 a day).
"""

from __future__ import annotations

from collections import defaultdict
from dataclasses import dataclass
from datetime import date, timedelta
from fractions import Fraction
from typing import Any

from django.db import connection

from common.months import Month
from contracts.models import CarePackage, PackageHours
from homecare.payments.sql import month_of, seconds, week_of

Key = int  # package id


@dataclass(frozen=True)
class Segment:
    start: date
    end: date | None  # last day, inclusive; None = open
    weekly_hours: Fraction


@dataclass
class PackageTerms:
    """What a package was commissioned for, and the flex limits of its contract."""

    package_id: int
    ref: str
    person_ref: str
    provider_id: int
    lot_id: int | None
    segments: list[Segment]
    flex_hours: Fraction
    flex_weeks: int

    def commissioned(self, first: date, last: date) -> Fraction:
        """Commissioned hours over the days first..last (inclusive)."""
        total = Fraction(0)
        for segment in self.segments:
            start = max(first, segment.start)
            end = last if segment.end is None else min(last, segment.end)
            if end >= start:
                total += segment.weekly_hours * ((end - start).days + 1) / 7
        return total


def package_terms(
    *, provider_id: int | None = None, lot_id: int | None = None
) -> dict[Key, PackageTerms]:
    """Every package with commissioned hours (two queries): its dated weekly
    hours clipped to its start and end dates."""
    packages = CarePackage.objects.all()
    if provider_id is not None:
        packages = packages.filter(provider_id=provider_id)
    if lot_id is not None:
        packages = packages.filter(contract__lot_id=lot_id)
    rows = packages.values_list(
        "id",
        "ref",
        "person__ref",
        "provider_id",
        "contract__lot_id",
        "start_date",
        "end_date",
        "planned_weekly_hours",
        "contract__flex_weekly_hours",
        "contract__flex_weeks",
    )
    history: dict[int, list[tuple[date, Any]]] = defaultdict(list)
    for package_id, day, dated_hours in (
        PackageHours.objects.filter(package__in=packages)
        .order_by("package_id", "effective_from")
        .values_list("package_id", "effective_from", "weekly_hours")
    ):
        history[package_id].append((day, dated_hours))
    terms: dict[Key, PackageTerms] = {}
    for pk, ref, person, provider, lot, start, end, weekly, flex_hours, flex_weeks in rows:
        dated: list[tuple[date, Any]] = history.get(pk) or (
            [(start, weekly)] if weekly is not None else []
        )
        if not dated:
            continue
        segments = []
        for i, (day, hours) in enumerate(dated):
            following = dated[i + 1][0] - timedelta(days=1) if i + 1 < len(dated) else None
            seg_end = min(d for d in (following, end) if d) if (following or end) else None
            seg_start = max(day, start)
            if seg_end is None or seg_end >= seg_start:
                segments.append(Segment(seg_start, seg_end, Fraction(str(hours))))
        terms[pk] = PackageTerms(
            pk,
            ref,
            person,
            provider,
            lot,
            segments,
            Fraction(str(flex_hours)) if flex_hours is not None else Fraction(7),
            flex_weeks if flex_weeks is not None else 6,
        )
    return terms


def _visit_hours_sql(where: str, group: str) -> str:
    """Planned, delivered and verified seconds of the visits in `where`,
    grouped by package and `group` (a week or a month)."""
    planned = seconds("v.planned_start", "v.planned_end")
    actual = seconds("v.actual_start", "v.actual_end")
    short_notice = (
        "(c.short_notice_hours IS NOT NULL AND v.cancelled_at IS NOT NULL AND "
        f"{seconds('v.cancelled_at', 'v.planned_start')} < c.short_notice_hours * 3600)"
    )
    ecm = "v.ecm_verified = %s"
    return f"""
        SELECT v.package_id, {group} AS period,
            SUM(CASE WHEN v.status <> 'cancelled' OR {short_notice} THEN {planned} ELSE 0 END),
            SUM(CASE WHEN v.status = 'completed' THEN {actual} ELSE 0 END),
            SUM(CASE WHEN v.status = 'completed' AND {ecm} THEN {actual} ELSE 0 END)
        FROM visits_visit v
        JOIN contracts_carepackage p ON p.id = v.package_id
        LEFT JOIN contracts_contract c ON c.id = p.contract_id
        WHERE {where}
        GROUP BY v.package_id, {group}"""


@dataclass
class Layers:
    commissioned: Fraction = Fraction(0)
    planned_s: int = 0
    delivered_s: int = 0
    verified_s: int = 0

    @property
    def planned(self) -> Fraction:
        return Fraction(self.planned_s, 3600)

    @property
    def delivered(self) -> Fraction:
        return Fraction(self.delivered_s, 3600)

    @property
    def verified(self) -> Fraction:
        return Fraction(self.verified_s, 3600)

    def add(self, other: Layers) -> None:
        self.commissioned += other.commissioned
        self.planned_s += other.planned_s
        self.delivered_s += other.delivered_s
        self.verified_s += other.verified_s


def monday(day: date) -> date:
    return day - timedelta(days=day.weekday())


def weeks_between(first: date, last: date) -> list[date]:
    """The Mondays of every week with a day in first..last."""
    weeks, week = [], monday(first)
    while week <= last:
        weeks.append(week)
        week += timedelta(days=7)
    return weeks


def _scope(where: str, params: list[Any], provider_id: int | None, lot_id: int | None) -> str:
    if provider_id is not None:
        where += " AND v.provider_id = %s"
        params.append(provider_id)
    if lot_id is not None:
        where += " AND c.lot_id = %s"
        params.append(lot_id)
    return where


def package_weeks(
    first: date,
    last: date,
    *,
    provider_id: int | None = None,
    lot_id: int | None = None,
    terms: dict[Key, PackageTerms] | None = None,
) -> dict[Key, dict[date, Layers]]:
    """Each package's layers for every whole week with a day in first..last.
    Packages with visits or commissioned hours in a week have that week."""
    weeks = weeks_between(first, last)
    start, end = weeks[0], weeks[-1] + timedelta(days=6)
    terms = terms if terms is not None else package_terms(provider_id=provider_id, lot_id=lot_id)
    result: dict[Key, dict[date, Layers]] = defaultdict(dict)
    for pk, term in terms.items():
        for week in weeks:
            hours = term.commissioned(week, week + timedelta(days=6))
            if hours:
                result[pk][week] = Layers(commissioned=hours)
    params: list[Any] = [True, start, end]
    where = _scope("v.planned_date >= %s AND v.planned_date <= %s", params, provider_id, lot_id)
    with connection.cursor() as cursor:
        cursor.execute(_visit_hours_sql(where, week_of("v.planned_date")), params)
        for package_id, week, planned_s, delivered_s, verified_s in cursor.fetchall():
            week = week if isinstance(week, date) else date.fromisoformat(str(week)[:10])
            layers = result[package_id].setdefault(week, Layers())
            layers.planned_s += int(planned_s or 0)
            layers.delivered_s += int(delivered_s or 0)
            layers.verified_s += int(verified_s or 0)
    return result


def monthly_layers(
    months: list[Month], *, provider_id: int | None = None, lot_id: int | None = None
) -> dict[str, Layers]:
    """Totals for each month (by its own days), for one provider, one lot or the market."""
    result = {month.key: Layers() for month in months}
    for term in package_terms(provider_id=provider_id, lot_id=lot_id).values():
        for month in months:
            result[month.key].commissioned += term.commissioned(month.first, month.last)
    params: list[Any] = [True, months[0].first, months[-1].last]
    where = _scope("v.planned_date >= %s AND v.planned_date <= %s", params, provider_id, lot_id)
    with connection.cursor() as cursor:
        cursor.execute(_monthly_sql(where), params)
        for period, planned_s, delivered_s, verified_s in cursor.fetchall():
            if period in result:
                layers = result[period]
                layers.planned_s += int(planned_s or 0)
                layers.delivered_s += int(delivered_s or 0)
                layers.verified_s += int(verified_s or 0)
    return result


def _monthly_sql(where: str) -> str:
    inner = _visit_hours_sql(where, month_of("v.planned_date")).replace(
        "SELECT v.package_id, ", "SELECT "
    )
    inner = inner.replace("GROUP BY v.package_id, ", "GROUP BY ")
    return inner
