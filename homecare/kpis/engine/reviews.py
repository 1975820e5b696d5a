"""The review figures of a month: one row per care package that counts in
them, with its flags worked out by the database (due, on time, overdue)."""

from __future__ import annotations

import datetime as dt
from typing import Any

from django.db.models import (
    Case,
    DateField,
    DateTimeField,
    Exists,
    ExpressionWrapper,
    F,
    OuterRef,
    Q,
    QuerySet,
    Subquery,
    When,
)
from django.db.models.functions import Cast

from common.months import Month
from contracts.models import CarePackage
from homecare.kpis.engine.plan import ThresholdPlan
from reviews.models import PackageReview

# An annual review is due a year after the last one, whatever the contract says.
ANNUAL_REVIEW_DAYS = 365


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


def package_rows(
    month: Month, plan: ThresholdPlan, provider_id: int | None = None
) -> list[dict[str, Any]]:
    """One row per package that counts in the month's review figures, with its
    flags: of every provider, or of one."""
    end = month.last
    year_before = end - dt.timedelta(days=ANNUAL_REVIEW_DAYS)
    active_at_end = Q(start_date__lte=end) & (Q(end_date__isnull=True) | Q(end_date__gt=end))
    due_in_month = Q(due__gte=month.first, due__lte=month.last) & (
        Q(end_date__isnull=True) | Q(end_date__gte=F("due"))
    )
    reviewed_by_end = Exists(_reviews_between(OuterRef("start_date"), end))
    packages = (
        (
            CarePackage.objects.all()
            if provider_id is None
            else CarePackage.objects.filter(provider_id=provider_id)
        )
        .annotate(due=_due_date(plan))
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


def review_figures(packages: list[dict], figures: dict, details: dict) -> None:
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


def _iso(value: Any) -> str | None:
    if value is None:
        return None
    if isinstance(value, dt.datetime):
        value = value.date()
    return value.isoformat() if isinstance(value, dt.date) else str(value)[:10]
