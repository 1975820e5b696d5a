"""The monthly KPIs of shared/specs/kpi-definitions.md, computed set-based.

Every figure is a database aggregate (Count/Sum with FILTER, grouped by person
where the definition is per person); Python only rounds the results and shapes
the short lists of people and packages behind them. The same ORM expressions
run on PostgreSQL and SQLite: times are UTC instants, so subtracting them gives
real elapsed time across the nights the clocks change, and a visit's month is
its `planned_date`, the London date fixed at import.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable
from dataclasses import dataclass, field
from typing import Any, cast

from django.db.models import (
    Case,
    Count,
    DateField,
    DateTimeField,
    DurationField,
    Exists,
    ExpressionWrapper,
    F,
    OuterRef,
    Q,
    QuerySet,
    Subquery,
    Sum,
    Value,
    When,
)
from django.db.models.functions import Cast
from django.db.models.lookups import LessThan

from common.months import Month
from contracts.models import CarePackage, Contract, Person
from homecare.kpis.models import KpiThresholds
from homecare.kpis.thresholds import DEFAULT, Thresholds
from reviews.models import PackageReview
from visits.models import Visit, VisitCarer, VisitStatus

# An annual review is due a year after the last one, whatever the contract says.
ANNUAL_REVIEW_DAYS = 365

FIGURE_KEYS = (
    "scheduled_visits",
    "delivered_visits",
    "late_visits",
    "missed_visits",
    "late_visit_rate",
    "missed_visit_rate",
    "short_visits",
    "visits_under_30_min",
    "visits_15_min_or_less",
    "planned_hours",
    "delivered_hours",
    "ecm_verified_rate",
    "people_supported",
    "people_late_over_10pct",
    "people_late_over_10pct_living_alone",
    "people_late_over_10pct_lacking_capacity",
    "mean_carers_per_person",
    "people_over_carer_limit",
    "reviews_due",
    "reviews_on_time",
    "six_week_reviews_overdue",
    "annual_reviews_overdue",
)


# --- which thresholds apply where ---------------------------------------------------


@dataclass
class ThresholdPlan:
    """The thresholds of every contract for one month (see thresholds.py for the rule)."""

    by_contract: dict[int, Thresholds]
    contract_refs: dict[int, str]
    main_contract: dict[int, int]  # provider id -> contract id
    lot_overrides: dict[int, Any] = field(default_factory=dict)

    @classmethod
    def for_month(cls, month: Month) -> ThresholdPlan:
        rows = list(KpiThresholds.objects.all())
        lot_rows = {row.lot_id: row for row in rows if row.lot_id}
        contract_rows = {row.contract_id: row for row in rows if row.contract_id}
        active = _active_in(month)
        contracts = Contract.objects.annotate(
            packages_in_month=Count("packages", filter=_prefixed(active, "packages__"))
        ).order_by("provider_id", "-packages_in_month", "ref")
        by_contract: dict[int, Thresholds] = {}
        refs: dict[int, str] = {}
        main: dict[int, int] = {}
        for contract_id, ref, lot_id, provider_id in contracts.values_list(
            "id", "ref", "lot_id", "provider_id"
        ):
            by_contract[contract_id] = DEFAULT.overlaid(lot_rows.get(lot_id)).overlaid(
                contract_rows.get(contract_id)
            )
            refs[contract_id] = ref
            main.setdefault(provider_id, contract_id)
        return cls(by_contract, refs, main, lot_rows)

    def for_provider(self, provider_id: int) -> Thresholds:
        contract_id = self.main_contract.get(provider_id)
        return self.by_contract[contract_id] if contract_id else DEFAULT

    def for_lot(self, lot_id: int) -> Thresholds:
        return DEFAULT.overlaid(self.lot_overrides.get(lot_id))

    def groups(self, *, contract: str, provider: str) -> list[tuple[Thresholds, Q]]:
        """Each distinct set of thresholds with a Q picking the rows it applies to.
        `contract` and `provider` are the lookups from the queried model to the
        package's contract id and provider id."""
        contracts: dict[Thresholds, list[int]] = {}
        for contract_id, thresholds in self.by_contract.items():
            contracts.setdefault(thresholds, []).append(contract_id)
        # Packages called off no contract take their provider's main contract.
        odd_providers: dict[Thresholds, list[int]] = {}
        for provider_id in self.main_contract:
            thresholds = self.for_provider(provider_id)
            if thresholds != DEFAULT:
                odd_providers.setdefault(thresholds, []).append(provider_id)
        if not odd_providers and set(contracts) <= {DEFAULT}:
            return [(DEFAULT, Q())]  # the usual case: one set, no conditions at all
        no_contract = Q(**{f"{contract}__isnull": True})
        groups = []
        for thresholds in set(contracts) | set(odd_providers) | {DEFAULT}:
            q = Q(**{f"{contract}__in": contracts.get(thresholds, [])})
            if thresholds == DEFAULT:
                others = [pid for pids in odd_providers.values() for pid in pids]
                q |= no_contract & ~Q(**{f"{provider}__in": others})
            else:
                q |= no_contract & Q(**{f"{provider}__in": odd_providers.get(thresholds, [])})
            groups.append((thresholds, q))
        return groups

    def describe(self, person_level: Thresholds, contract_ids: list[int]) -> dict[str, Any]:
        """What a stored result records about the thresholds it used."""
        return {
            "person_level": person_level.as_dict(),
            "by_contract": {
                self.contract_refs[cid]: self.by_contract[cid].as_dict()
                for cid in sorted(contract_ids, key=lambda cid: self.contract_refs[cid])
                if cid in self.by_contract
            },
        }


def _prefixed(q: Q, prefix: str) -> Q:
    out = Q()
    out.connector, out.negated = q.connector, q.negated
    for child in q.children:
        # A Q's branches are Qs and its leaves (lookup, value) pairs.
        if isinstance(child, Q):
            out.children.append(_prefixed(child, prefix))
        else:
            lookup, value = cast(tuple[str, Any], child)
            out.children.append((prefix + lookup, value))
    return out


def _active_in(month: Month) -> Q:
    """A package or contract running at some time in the month."""
    return Q(start_date__lte=month.last) & (Q(end_date__isnull=True) | Q(end_date__gte=month.first))


def _either(groups: list[tuple[Thresholds, Q]], make: Callable[[Thresholds], Q]) -> Q:
    out = Q(pk__in=[])
    for thresholds, where in groups:
        out |= where & make(thresholds)
    return out


# --- the figures ----------------------------------------------------------------------


ACTUAL = ExpressionWrapper(F("actual_end") - F("actual_start"), output_field=DurationField())
PLANNED = ExpressionWrapper(F("planned_end") - F("planned_start"), output_field=DurationField())


def _started_after(minutes: int) -> Q:
    return Q(actual_start__gt=F("planned_start") + dt.timedelta(minutes=minutes))


def _short(thresholds: Thresholds) -> Q:
    # actual < ratio * planned, as integers: actual * den < planned * num.
    ratio = thresholds.short_ratio
    scaled: DurationField = DurationField()
    return Q(
        LessThan(
            ExpressionWrapper(ACTUAL * Value(ratio.denominator), output_field=scaled),
            ExpressionWrapper(PLANNED * Value(ratio.numerator), output_field=scaled),
        )
    )


# --- one pass over the month -------------------------------------------------------
#
# The month is read in a handful of grouped queries, whatever the number of
# providers: visits aggregated per (provider, lot, person), distinct care workers
# per (provider, lot, person), and one row per package with its review flags.
# Providers, lots and the market are then sums of those few thousand aggregate
# rows; no visit is ever looked at in Python.

Key = tuple[int, int | None, int]  # provider id, lot id (via the package's contract), person id
COUNTS = ("scheduled", "delivered", "late", "missed", "short", "under_30", "up_to_15", "ecm")


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


def _month_visits(month: Month) -> QuerySet[Visit]:
    return Visit.objects.filter(
        planned_date__gte=month.first, planned_date__lte=month.last
    ).exclude(status=VisitStatus.CANCELLED)


def _timeliness(plan: ThresholdPlan) -> tuple[Q, Q]:
    groups = plan.groups(contract="package__contract_id", provider="provider_id")
    delivered = Q(status=VisitStatus.COMPLETED)
    late = delivered & _either(groups, lambda t: _started_after(t.late_after_minutes))
    missed = Q(status=VisitStatus.MISSED) | (
        delivered & _either(groups, lambda t: _started_after(t.missed_after_minutes))
    )
    return late, missed


def _person_rows(month: Month, plan: ThresholdPlan) -> dict[Key, PersonRow]:
    groups = plan.groups(contract="package__contract_id", provider="provider_id")
    delivered = Q(status=VisitStatus.COMPLETED)
    late, missed = _timeliness(plan)
    rows = (
        _month_visits(month)
        .values("provider_id", "package__contract__lot_id", "person_id")
        .annotate(
            scheduled=Count("id"),
            delivered=Count("id", filter=delivered),
            late=Count("id", filter=late),
            missed=Count("id", filter=missed),
            short=Count("id", filter=delivered & _either(groups, _short)),
            under_30=Count(
                "id", filter=Q(planned_end__lt=F("planned_start") + dt.timedelta(minutes=30))
            ),
            up_to_15=Count(
                "id", filter=Q(planned_end__lte=F("planned_start") + dt.timedelta(minutes=15))
            ),
            ecm=Count("id", filter=delivered & Q(ecm_verified=True)),
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
    carer_visits = VisitCarer.objects.filter(
        visit__planned_date__gte=month.first,
        visit__planned_date__lte=month.last,
        visit__status=VisitStatus.COMPLETED,
    )
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


def _provider_carers(month: Month, rows: dict[Key, PersonRow]) -> dict[tuple[int, int], int]:
    """Distinct care workers per (provider, person). Summing a person's lots
    would count twice a care worker who served them under two lots of one
    provider, so only those (rare) people are counted again, across lots."""
    lots_of: dict[tuple[int, int], int] = {}
    for provider_id, _lot, person_id in rows:
        lots_of[(provider_id, person_id)] = lots_of.get((provider_id, person_id), 0) + 1
    split = {pair for pair, lots in lots_of.items() if lots > 1}
    if not split:
        return {}
    recount = (
        VisitCarer.objects.filter(
            visit__planned_date__gte=month.first,
            visit__planned_date__lte=month.last,
            visit__status=VisitStatus.COMPLETED,
            visit__person_id__in={person for _, person in split},
        )
        .values("visit__provider_id", "visit__person_id")
        .annotate(carers=Count("care_worker_id", distinct=True))
        .order_by()
    )
    return {
        (row["visit__provider_id"], row["visit__person_id"]): row["carers"]
        for row in recount
        if (row["visit__provider_id"], row["visit__person_id"]) in split
    }


@dataclass
class MonthFigures:
    """Every scope's figures for one month, from one read of the month."""

    month: Month
    plan: ThresholdPlan
    rows: dict[Key, PersonRow]
    provider_carers: dict[tuple[int, int], int]
    packages: list[dict[str, Any]]
    people: dict[int, dict[str, Any]] = field(default_factory=dict)

    @classmethod
    def read(cls, month: Month, plan: ThresholdPlan) -> MonthFigures:
        rows = _person_rows(month, plan)
        figures = cls(
            month=month,
            plan=plan,
            rows=rows,
            provider_carers=_provider_carers(month, rows),
            packages=_package_rows(month, plan),
        )
        return figures

    # Each scope: which rows count, how people's rows combine, whose thresholds.

    def provider(self, provider_id: int) -> tuple[dict, dict]:
        per_person: dict[int, PersonRow] = {}
        for (pid, _lot, person_id), row in self.rows.items():
            if pid == provider_id:
                per_person.setdefault(person_id, PersonRow()).add(row)
        for (pid, person_id), carers in self.provider_carers.items():
            if pid == provider_id:
                per_person[person_id].carers = carers
        packages = [p for p in self.packages if p["provider_id"] == provider_id]
        return self._figures(per_person, packages, self.plan.for_provider(provider_id))

    def lot(self, lot_id: int) -> tuple[dict, dict]:
        # Care workers belong to one provider, so a person's carers under a lot
        # are the sum over the lot's providers.
        per_person: dict[int, PersonRow] = {}
        for (_pid, lot, person_id), row in self.rows.items():
            if lot == lot_id:
                per_person.setdefault(person_id, PersonRow()).add(row)
        packages = [p for p in self.packages if p["lot_id"] == lot_id]
        return self._figures(per_person, packages, self.plan.for_lot(lot_id))

    def market(self) -> tuple[dict, dict]:
        by_provider: dict[tuple[int, int], PersonRow] = {}
        for (pid, _lot, person_id), row in self.rows.items():
            by_provider.setdefault((pid, person_id), PersonRow()).add(row)
        for pair, carers in self.provider_carers.items():
            by_provider[pair].carers = carers
        per_person: dict[int, PersonRow] = {}
        for (_pid, person_id), row in by_provider.items():
            per_person.setdefault(person_id, PersonRow()).add(row)
        return self._figures(per_person, self.packages, DEFAULT)

    def _figures(
        self, per_person: dict[int, PersonRow], packages: list[dict], thresholds: Thresholds
    ) -> tuple[dict, dict]:
        total = PersonRow()
        for row in per_person.values():
            total.add(row, carers=False)
        share = thresholds.late_share
        late_people = [
            pid
            for pid, row in per_person.items()
            if row.delivered and row.late * share.denominator > row.delivered * share.numerator
        ]
        delivered_people = [row for row in per_person.values() if row.delivered]
        over_limit = [
            pid
            for pid, row in per_person.items()
            if row.delivered and row.carers > _carer_limit(row.delivered, thresholds)
        ]
        people = self._people_info(late_people + over_limit)
        late_people.sort(key=lambda pid: people[pid]["ref"])
        over_limit.sort(key=lambda pid: people[pid]["ref"])
        figures = {
            "scheduled_visits": total.scheduled,
            "delivered_visits": total.delivered,
            "late_visits": total.late,
            "missed_visits": total.missed,
            "late_visit_rate": _rate(total.late, total.delivered),
            "missed_visit_rate": _rate(total.missed, total.scheduled),
            "short_visits": total.short,
            "visits_under_30_min": total.under_30,
            "visits_15_min_or_less": total.up_to_15,
            "planned_hours": _hours(total.planned),
            "delivered_hours": _hours(total.actual),
            "ecm_verified_rate": _rate(total.ecm, total.delivered),
            "people_supported": len(per_person),
            "people_late_over_10pct": len(late_people),
            "people_late_over_10pct_living_alone": sum(
                1 for pid in late_people if people[pid]["lives_alone"]
            ),
            "people_late_over_10pct_lacking_capacity": sum(
                1 for pid in late_people if people[pid]["lacks_capacity"]
            ),
            "mean_carers_per_person": (
                round(sum(r.carers for r in delivered_people) / len(delivered_people), 2)
                if delivered_people
                else None
            ),
            "people_over_carer_limit": len(over_limit),
        }
        details: dict[str, Any] = {
            "people_late_over_10pct": [
                {
                    "person_id": pid,
                    "person_ref": people[pid]["ref"],
                    "late_visits": per_person[pid].late,
                    "delivered_visits": per_person[pid].delivered,
                    "late_share": round(per_person[pid].late / per_person[pid].delivered, 4),
                    "lives_alone": people[pid]["lives_alone"],
                    "lacks_capacity": people[pid]["lacks_capacity"],
                }
                for pid in late_people
            ],
            "people_over_carer_limit": [
                {
                    "person_id": pid,
                    "person_ref": people[pid]["ref"],
                    "carers": per_person[pid].carers,
                    "limit": _carer_limit(per_person[pid].delivered, thresholds),
                    "delivered_visits": per_person[pid].delivered,
                }
                for pid in over_limit
            ],
        }
        _review_figures(packages, figures, details)
        return {key: figures[key] for key in FIGURE_KEYS}, details

    def _people_info(self, person_ids: list[int]) -> dict[int, dict[str, Any]]:
        missing = set(person_ids) - set(self.people)
        if missing:
            for pid, ref, alone, capacity in Person.objects.filter(pk__in=missing).values_list(
                "id", "ref", "lives_alone", "lacks_capacity"
            ):
                self.people[pid] = {"ref": ref, "lives_alone": alone, "lacks_capacity": capacity}
        return self.people


def _carer_limit(delivered: int, thresholds: Thresholds) -> int:
    return max(thresholds.min_carer_limit, -(-delivered // thresholds.visits_per_carer))


def _due_date(plan: ThresholdPlan) -> Cast:
    groups = plan.groups(contract="contract_id", provider="provider_id")

    def due(days: int) -> ExpressionWrapper:
        return ExpressionWrapper(
            F("start_date") + dt.timedelta(days=days), output_field=DateTimeField()
        )

    expression: ExpressionWrapper | Case
    if len(groups) == 1:
        expression = due(groups[0][0].review_due_days)
    else:
        expression = Case(
            *[When(where, then=due(t.review_due_days)) for t, where in groups],
            output_field=DateTimeField(),
        )
    # A date on both databases (PostgreSQL's date + interval is a timestamp).
    return Cast(expression, output_field=DateField())


def _reviews_between(start: Any, end: Any) -> QuerySet[PackageReview]:
    """Reviews of the outer package dated from `start` to `end`, never before it began."""
    return PackageReview.objects.filter(
        package_id=OuterRef("pk"),
        review_date__gte=OuterRef("start_date"),
    ).filter(review_date__gte=start, review_date__lte=end)


def _package_rows(month: Month, plan: ThresholdPlan) -> list[dict[str, Any]]:
    """One row per package that counts in the month's review figures, with its flags."""
    end = month.last
    year_before = end - dt.timedelta(days=ANNUAL_REVIEW_DAYS)
    active_at_end = Q(start_date__lte=end) & (Q(end_date__isnull=True) | Q(end_date__gt=end))
    due_in_month = Q(due__gte=month.first, due__lte=month.last) & (
        Q(end_date__isnull=True) | Q(end_date__gte=F("due"))
    )
    reviewed_by_end = Exists(_reviews_between(OuterRef("start_date"), end))
    packages = (
        CarePackage.objects.annotate(due=_due_date(plan))
        .filter(due_in_month | active_at_end)
        .annotate(
            is_due=Case(When(due_in_month, then=True), default=False),
            on_time=Exists(_reviews_between(OuterRef("start_date"), OuterRef("due"))),
            active_at_end=Case(When(active_at_end, then=True), default=False),
            reviewed_by_end=reviewed_by_end,
            reviewed_in_year=Exists(_reviews_between(year_before, end)),
            last_review=Subquery(
                _reviews_between(OuterRef("start_date"), end)
                .order_by("-review_date")
                .values("review_date")[:1]
            ),
        )
        .values(
            "id",
            "ref",
            "provider_id",
            "contract__lot_id",
            "person__ref",
            "due",
            "is_due",
            "on_time",
            "active_at_end",
            "reviewed_by_end",
            "reviewed_in_year",
            "last_review",
        )
        .order_by("ref")
    )
    rows = []
    for row in packages:
        due = _as_date(row["due"])
        six_week = bool(
            row["active_at_end"] and due is not None and due <= end and not row["reviewed_by_end"]
        )
        annual = bool(
            row["active_at_end"] and row["reviewed_by_end"] and not row["reviewed_in_year"]
        )
        if not (row["is_due"] or six_week or annual):
            continue
        rows.append(
            {
                "package_id": row["id"],
                "package_ref": row["ref"],
                "provider_id": row["provider_id"],
                "lot_id": row["contract__lot_id"],
                "person_ref": row["person__ref"],
                "due_date": _iso(row["due"]),
                "is_due": bool(row["is_due"]),
                "on_time": bool(row["on_time"]),
                "six_week_overdue": six_week,
                "annual_overdue": annual,
                "last_review_date": _iso(row["last_review"]),
            }
        )
    return rows


def _review_figures(packages: list[dict], figures: dict, details: dict) -> None:
    due = [p for p in packages if p["is_due"]]
    six_week = [p for p in packages if p["six_week_overdue"]]
    annual = [p for p in packages if p["annual_overdue"]]
    figures.update(
        reviews_due=len(due),
        reviews_on_time=sum(1 for p in due if p["on_time"]),
        six_week_reviews_overdue=len(six_week),
        annual_reviews_overdue=len(annual),
    )
    keep = ("package_id", "package_ref", "person_ref")
    details["reviews_due"] = [
        {**{k: p[k] for k in keep}, "due_date": p["due_date"], "reviewed_on_time": p["on_time"]}
        for p in due
    ]
    details["six_week_reviews_overdue"] = [
        {**{k: p[k] for k in keep}, "due_date": p["due_date"]} for p in six_week
    ]
    details["annual_reviews_overdue"] = [
        {**{k: p[k] for k in keep}, "last_review_date": p["last_review_date"]} for p in annual
    ]


def _as_date(value: Any) -> dt.date | None:
    if value is None:
        return None
    if isinstance(value, dt.datetime):
        return value.date()
    if isinstance(value, dt.date):
        return value
    return dt.date.fromisoformat(str(value)[:10])


# --- rounding as the export wants it ------------------------------------------------------


def _rate(numerator: int, denominator: int) -> float | None:
    return round(numerator / denominator, 4) if denominator else None


def _hours(total: dt.timedelta | None) -> float:
    return round(total.total_seconds() / 3600, 2) if total else 0.0


def _iso(value: Any) -> str | None:
    if value is None:
        return None
    if isinstance(value, dt.datetime):
        value = value.date()
    return value.isoformat() if isinstance(value, dt.date) else str(value)[:10]
