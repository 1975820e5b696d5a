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
from dataclasses import dataclass, field
from typing import Any

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

from contracts.models import CarePackage, Contract
from homecare.kpis.months import Month
from homecare.kpis.thresholds import DEFAULT, Thresholds
from homecare.models import KpiThresholds
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
    out.children = [
        _prefixed(child, prefix) if isinstance(child, Q) else (prefix + child[0], child[1])
        for child in q.children
    ]
    return out


def _active_in(month: Month) -> Q:
    """A package or contract running at some time in the month."""
    return Q(start_date__lte=month.last) & (Q(end_date__isnull=True) | Q(end_date__gte=month.first))


def _either(groups: list[tuple[Thresholds, Q]], make) -> Q:
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
    scaled = DurationField()
    return Q(
        LessThan(
            ExpressionWrapper(ACTUAL * Value(ratio.denominator), output_field=scaled),
            ExpressionWrapper(PLANNED * Value(ratio.numerator), output_field=scaled),
        )
    )


@dataclass
class Scope:
    """The visits and packages one set of figures is about."""

    visits: Q
    packages: Q
    person_thresholds: Thresholds


def compute(month: Month, scope: Scope, plan: ThresholdPlan) -> tuple[dict, dict]:
    """The figures (keyed as the export) and the lists behind them."""
    figures: dict[str, Any] = {}
    details: dict[str, Any] = {}
    _visit_figures(month, scope, plan, figures)
    _people_figures(month, scope, plan, figures, details)
    _review_figures(month, scope, plan, figures, details)
    return {key: figures[key] for key in FIGURE_KEYS}, details


def _month_visits(month: Month, scope: Scope) -> QuerySet[Visit]:
    return (
        Visit.objects.filter(planned_date__gte=month.first, planned_date__lte=month.last)
        .filter(scope.visits)
        .exclude(status=VisitStatus.CANCELLED)
    )


def _timeliness(plan: ThresholdPlan) -> tuple[Q, Q]:
    groups = plan.groups(contract="package__contract_id", provider="provider_id")
    delivered = Q(status=VisitStatus.COMPLETED)
    late = delivered & _either(groups, lambda t: _started_after(t.late_after_minutes))
    missed = Q(status=VisitStatus.MISSED) | (
        delivered & _either(groups, lambda t: _started_after(t.missed_after_minutes))
    )
    return late, missed


def _visit_figures(month: Month, scope: Scope, plan: ThresholdPlan, figures: dict) -> None:
    groups = plan.groups(contract="package__contract_id", provider="provider_id")
    delivered = Q(status=VisitStatus.COMPLETED)
    late, missed = _timeliness(plan)
    totals = _month_visits(month, scope).aggregate(
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
        planned=Sum(PLANNED),
        actual=Sum(ACTUAL, filter=delivered),
        ecm=Count("id", filter=delivered & Q(ecm_verified=True)),
        people=Count("person_id", distinct=True),
    )
    figures.update(
        scheduled_visits=totals["scheduled"],
        delivered_visits=totals["delivered"],
        late_visits=totals["late"],
        missed_visits=totals["missed"],
        late_visit_rate=_rate(totals["late"], totals["delivered"]),
        missed_visit_rate=_rate(totals["missed"], totals["scheduled"]),
        short_visits=totals["short"],
        visits_under_30_min=totals["under_30"],
        visits_15_min_or_less=totals["up_to_15"],
        planned_hours=_hours(totals["planned"]),
        delivered_hours=_hours(totals["actual"]),
        ecm_verified_rate=_rate(totals["ecm"], totals["delivered"]),
        people_supported=totals["people"],
    )


def _people_figures(
    month: Month, scope: Scope, plan: ThresholdPlan, figures: dict, details: dict
) -> None:
    """Per person in the database (late and delivered visits, distinct carers),
    then the people over each threshold."""
    thresholds = scope.person_thresholds
    late, _ = _timeliness(plan)
    # The join to carer rows repeats a double-handed visit, hence distinct counts.
    per_person = (
        _month_visits(month, scope)
        .filter(status=VisitStatus.COMPLETED)
        .values("person_id", "person__ref", "person__lives_alone", "person__lacks_capacity")
        .annotate(
            delivered=Count("id", distinct=True),
            late=Count("id", filter=late, distinct=True),
            carers=Count("carer_rows__care_worker_id", distinct=True),
        )
    )
    # The sum over people of their distinct carers is the number of distinct
    # (person, carer) pairs, which the database counts without a nested aggregate.
    delivered = _month_visits(month, scope).filter(status=VisitStatus.COMPLETED)
    people = delivered.aggregate(n=Count("person_id", distinct=True))["n"]
    carer_pairs = (
        VisitCarer.objects.filter(visit__in=delivered.values("pk"))
        .values("visit__person_id", "care_worker_id")
        .distinct()
        .count()
    )
    share = thresholds.late_share
    late_people = list(
        per_person.alias(late_scaled=F("late") * share.denominator)
        .filter(late_scaled__gt=F("delivered") * share.numerator)
        .order_by("person__ref")
    )
    # carers > ceil(delivered / per_carer) <=> (carers - 1) * per_carer >= delivered
    over_limit = list(
        per_person.alias(spare=(F("carers") - 1) * thresholds.visits_per_carer)
        .filter(carers__gt=thresholds.min_carer_limit, spare__gte=F("delivered"))
        .order_by("person__ref")
    )
    figures.update(
        people_late_over_10pct=len(late_people),
        people_late_over_10pct_living_alone=sum(1 for p in late_people if p["person__lives_alone"]),
        people_late_over_10pct_lacking_capacity=sum(
            1 for p in late_people if p["person__lacks_capacity"]
        ),
        mean_carers_per_person=(round(carer_pairs / people, 2) if people else None),
        people_over_carer_limit=len(over_limit),
    )
    details["people_late_over_10pct"] = [
        {
            "person_id": p["person_id"],
            "person_ref": p["person__ref"],
            "late_visits": p["late"],
            "delivered_visits": p["delivered"],
            "late_share": round(p["late"] / p["delivered"], 4),
            "lives_alone": p["person__lives_alone"],
            "lacks_capacity": p["person__lacks_capacity"],
        }
        for p in late_people
    ]
    details["people_over_carer_limit"] = [
        {
            "person_id": p["person_id"],
            "person_ref": p["person__ref"],
            "carers": p["carers"],
            "limit": max(
                thresholds.min_carer_limit, -(-p["delivered"] // thresholds.visits_per_carer)
            ),
            "delivered_visits": p["delivered"],
        }
        for p in over_limit
    ]


def _due_date(plan: ThresholdPlan):
    groups = plan.groups(contract="contract_id", provider="provider_id")

    def due(days: int):
        return ExpressionWrapper(
            F("start_date") + dt.timedelta(days=days), output_field=DateTimeField()
        )

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


def _review_figures(
    month: Month, scope: Scope, plan: ThresholdPlan, figures: dict, details: dict
) -> None:
    packages = CarePackage.objects.filter(scope.packages).annotate(due=_due_date(plan))
    due = (
        packages.filter(due__gte=month.first, due__lte=month.last)
        .filter(Q(end_date__isnull=True) | Q(end_date__gte=F("due")))
        .annotate(
            on_time=Exists(_reviews_between(OuterRef("start_date"), OuterRef("due")).values("pk"))
        )
    )
    end = month.last
    active_at_end = Q(start_date__lte=end) & (Q(end_date__isnull=True) | Q(end_date__gt=end))
    six_week = packages.filter(active_at_end, due__lte=end).exclude(
        Exists(_reviews_between(OuterRef("start_date"), end))
    )
    year_before = end - dt.timedelta(days=ANNUAL_REVIEW_DAYS)
    last_review = Subquery(
        _reviews_between(OuterRef("start_date"), end)
        .order_by("-review_date")
        .values("review_date")[:1]
    )
    annual = (
        packages.filter(active_at_end)
        .filter(Exists(_reviews_between(OuterRef("start_date"), end)))
        .exclude(Exists(_reviews_between(year_before, end)))
        .annotate(last_review=last_review)
    )
    figures.update(
        reviews_due=due.count(),
        reviews_on_time=due.filter(on_time=True).count(),
        six_week_reviews_overdue=six_week.count(),
        annual_reviews_overdue=annual.count(),
    )
    details["reviews_due"] = [
        {
            "package_id": row["id"],
            "package_ref": row["ref"],
            "person_ref": row["person__ref"],
            "due_date": _iso(row["due"]),
            "reviewed_on_time": row["on_time"],
        }
        for row in due.order_by("ref").values("id", "ref", "person__ref", "due", "on_time")
    ]
    details["six_week_reviews_overdue"] = [
        {
            "package_id": row["id"],
            "package_ref": row["ref"],
            "person_ref": row["person__ref"],
            "due_date": _iso(row["due"]),
        }
        for row in six_week.order_by("ref").values("id", "ref", "person__ref", "due")
    ]
    details["annual_reviews_overdue"] = [
        {
            "package_id": row["id"],
            "package_ref": row["ref"],
            "person_ref": row["person__ref"],
            "last_review_date": _iso(row["last_review"]),
        }
        for row in annual.order_by("ref").values("id", "ref", "person__ref", "last_review")
    ]


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
