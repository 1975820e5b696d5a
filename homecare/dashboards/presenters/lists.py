"""The lists behind the figures, written out for people: the people late
more than 10% of the time, people over the carer limit, care packages due or
overdue a review (all stored with the month's figures), and the visits behind
a red or amber measure (read from the visits, as the KPIs count them). People
and packages appear by their council reference only."""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass, field
from typing import Any

from django.db.models import Q

from common.months import LONDON, Month
from homecare.dashboards import rag, selectors
from homecare.ui import formats
from providers.models import Provider
from visits.models import VisitStatus


@dataclass(frozen=True)
class LatePerson:
    person_ref: str
    late_visits: str
    delivered_visits: str
    share_late: str
    lives_alone: str
    lacks_capacity: str


@dataclass(frozen=True)
class OverLimitPerson:
    person_ref: str
    carers: str
    limit: str
    delivered_visits: str


@dataclass(frozen=True)
class TimeCriticalPerson:
    person_ref: str
    outside_window: str
    time_critical_visits: str
    lives_alone: str
    lacks_capacity: str


@dataclass(frozen=True)
class ShortVisitPackage:
    package_ref: str
    person_ref: str
    visits: str
    delivered: str


@dataclass(frozen=True)
class PackageRow:
    package_ref: str
    person_ref: str
    date: str  # due, or last reviewed for annual reviews
    reviewed_on_time: str = ""


def people_late(details: dict[str, Any]) -> list[LatePerson]:
    return [
        LatePerson(
            p["person_ref"],
            formats.count(p["late_visits"]),
            formats.count(p["delivered_visits"]),
            formats.fraction(p["late_share"]),
            formats.yes_no(p.get("lives_alone")),
            formats.yes_no(p.get("lacks_capacity")),
        )
        for p in details.get("people_late_over_10pct") or []
    ]


def over_carer_limit(details: dict[str, Any]) -> list[OverLimitPerson]:
    return [
        OverLimitPerson(
            p["person_ref"],
            formats.count(p["carers"]),
            formats.count(p["limit"]),
            formats.count(p["delivered_visits"]),
        )
        for p in details.get("people_over_carer_limit") or []
    ]


def time_critical_people(details: dict[str, Any]) -> list[TimeCriticalPerson]:
    """The people with a time-critical visit outside its window (stored with the figures)."""
    return [
        TimeCriticalPerson(
            p["person_ref"],
            formats.count(p["outside_window"]),
            formats.count(p["time_critical_visits"]),
            formats.yes_no(p.get("lives_alone")),
            formats.yes_no(p.get("lacks_capacity")),
        )
        for p in details.get("time_critical_outside_window") or []
    ]


def short_visit_packages(provider: Provider, month: Month) -> list[ShortVisitPackage]:
    """Visits planned for 15 minutes or less, per care package."""
    return [
        ShortVisitPackage(
            row["package__ref"],
            row["person__ref"],
            formats.count(row["visits"]),
            formats.count(row["delivered"]),
        )
        for row in selectors.short_visits_by_package(provider, month)
    ]


def packages(details: dict[str, Any], key: str) -> list[PackageRow]:
    rows = []
    for p in details.get(key) or []:
        when = p.get("last_review_date") if key == "annual_reviews_overdue" else p.get("due_date")
        on_time = p.get("reviewed_on_time")
        rows.append(
            PackageRow(
                p["package_ref"],
                p["person_ref"],
                formats.date(when),
                "" if on_time is None else formats.yes_no(on_time),
            )
        )
    return rows


# --- the visits behind a red or amber measure (packs) ----------------------------------


@dataclass(frozen=True)
class VisitRow:
    visit_id: str
    person_ref: str
    package_ref: str
    planned: str
    actual: str
    minutes_late: str
    status: str


def _local(value: dt.datetime | None) -> str:
    if not value:
        return "Not delivered"
    local = value.astimezone(LONDON)
    return f"{local.day} {local:%b %H:%M}"


def visit_rows(provider: Provider, month: Month, condition: Q, limit: int) -> tuple[list, int]:
    visits = (
        selectors.month_visits(provider, month)
        .filter(condition)
        .prefetch_related(None)
        .select_related("person", "package")
    )
    total = visits.count()
    rows = []
    for visit in visits[:limit]:
        late = ""
        if visit.actual_start:
            minutes = (visit.actual_start - visit.planned_start).total_seconds() // 60
            late = formats.count(max(minutes, 0))
        rows.append(
            VisitRow(
                visit.visit_id,
                visit.person.ref,
                visit.package.ref,
                _local(visit.planned_start),
                _local(visit.actual_start),
                late,
                visit.get_status_display(),
            )
        )
    return rows, total


@dataclass
class BehindList:
    """The people, packages or visits behind a red or amber measure."""

    anchor: str
    title: str
    rating: rag.Rating
    kind: str  # "people_late", "carers", "packages" or "visits"
    rows: list[Any]
    total: int
    columns: list[str] = field(default_factory=list)

    @property
    def cut(self) -> bool:
        return self.total > len(self.rows)

    @property
    def total_text(self) -> str:
        """ "1 care package", "2,104 visits"."""
        noun = NOUNS[self.kind]
        return formats.counted(self.total, noun)


NOUNS = {
    "visits": ("visit", "visits"),
    "people_late": ("person", "people"),
    "carers": ("person", "people"),
    "packages": ("care package", "care packages"),
}

# For each measure: the list's title, its kind, and where its rows come from
# (a key of the stored details, or a kind of visit).
BEHIND: dict[str, tuple[str, str, str]] = {
    "late_visit_rate": ("Late visits", "visits", selectors.LATE),
    "missed_visit_rate": ("Missed visits", "visits", selectors.MISSED),
    "people_late_share": (
        "People with a late visit more than 10% of the time",
        "people_late",
        "people_late_over_10pct",
    ),
    "six_week_reviews_overdue": (
        "Care packages with a six-week review overdue",
        "packages",
        "six_week_reviews_overdue",
    ),
    "mean_carers_per_person": ("People over the carer limit", "carers", "people_over_carer_limit"),
    "delivered_hours_share": ("Short visits", "visits", selectors.SHORT),
    "time_critical_outside_rate": (
        "Time-critical visits outside their window",
        "visits",
        selectors.TIME_CRITICAL_OUTSIDE,
    ),
    "ecm_verified_rate": ("Visits not verified by call monitoring", "visits", "not_verified"),
}


def behind_lists(
    provider: Provider,
    month: Month,
    details: dict[str, Any],
    ratings: dict[str, rag.Rating],
    limit: int,
) -> list[BehindList]:
    """For each red or amber measure, the list behind it, cut at `limit` rows."""
    out: list[BehindList] = []
    for key, rating in ratings.items():
        if rating.status not in (rag.RED, rag.AMBER) or key not in BEHIND:
            continue
        title, kind, source = BEHIND[key]
        if kind == "visits":
            if source == "not_verified":
                condition = Q(status=VisitStatus.COMPLETED, ecm_verified=False)
            else:
                condition = selectors.visit_kind(source, month)
            rows, total = visit_rows(provider, month, condition, limit)
        else:
            if kind == "people_late":
                every: list[Any] = people_late(details)
            elif kind == "carers":
                every = over_carer_limit(details)
            else:
                every = packages(details, source)
            rows, total = every[:limit], len(every)
        out.append(BehindList(f"behind-{key}", title, rating, kind, rows, total))
    return out
