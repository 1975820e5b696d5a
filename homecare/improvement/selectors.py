"""Reads for the improvement tracker. What a user sees comes only from
providers.access (a provider's user: its own provider's plans, never the
council's) and, for assessments, from reviews.selectors."""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass, field
from typing import Any

from django.db.models import Max, Min, OuterRef, Q, QuerySet, Subquery
from django.http import Http404

from homecare.improvement.models import (
    OFF_TRACK,
    EvidenceFile,
    Grade,
    ImprovementItem,
    ImprovementPlan,
    ProgressUpdate,
)
from homecare.improvement.quarters import Quarter, quarters_between
from providers.access import is_council_staff, scope
from providers.models import Provider
from reviews import selectors as review_selectors
from reviews.models import Assessment, AssessmentStatus

_PLAN_RELATED = ("provider", "action_plan__assessment")
_ITEM_RELATED = (
    "plan__provider",
    "plan__action_plan__assessment",
    "action__issue__question",
)


def visible_plans(user: Any) -> QuerySet[ImprovementPlan]:
    return scope(ImprovementPlan.objects.select_related(*_PLAN_RELATED), user)


def get_visible_plan(user: Any, pk: int) -> ImprovementPlan:
    try:
        return visible_plans(user).get(pk=pk)
    except ImprovementPlan.DoesNotExist:
        raise Http404("No such improvement plan") from None


def grade_on(day: dt.date | None = None) -> Subquery:
    """An item's grade on a day: its latest update dated then or before (the
    latest recorded, if two share a date). Without a day, its grade now."""
    updates = ProgressUpdate.objects.filter(item=OuterRef("pk"))
    if day is not None:
        updates = updates.filter(as_of__lte=day)
    return Subquery(updates.order_by("-as_of", "-pk").values("grade")[:1])


def with_grades(items: QuerySet[ImprovementItem], day: dt.date | None = None) -> QuerySet:
    """Items with `grade` (as on `day`, or now) and `last_update` (its date)."""
    last = ProgressUpdate.objects.filter(item=OuterRef("pk"))
    if day is not None:
        last = last.filter(as_of__lte=day)
    return items.annotate(
        grade=grade_on(day),
        last_update=Subquery(last.order_by("-as_of").values("as_of")[:1]),
    )


def visible_items(user: Any) -> QuerySet[ImprovementItem]:
    return scope(
        ImprovementItem.objects.select_related(*_ITEM_RELATED),
        user,
        provider_field="plan__provider",
    )


COUNCIL_WIDE = "council"


def tracker_items(
    user: Any,
    *,
    provider: str = "",
    grade: int | None = None,
    quarter: Quarter | None = None,
) -> QuerySet:
    """The tracker list: every item the user sees, with its grade at the end of
    `quarter` (or now). `provider` is a provider's ref or COUNCIL_WIDE."""
    items: QuerySet[Any] = visible_items(user)
    if provider == COUNCIL_WIDE:
        items = items.filter(plan__provider__isnull=True)
    elif provider:
        items = items.filter(plan__provider__ref=provider)
    items = with_grades(items, quarter.last if quarter else None)
    if quarter is not None:
        # Only items graded by then: an item not yet reported on has no grade
        # to show for that quarter.
        items = items.filter(last_update__isnull=False)
    if grade is not None:
        items = items.filter(grade=grade)
    return items.order_by("plan__provider__name", "plan_id", "number", "pk")


def tracker_providers(user: Any) -> QuerySet[Provider]:
    """The providers with a plan in the tracker that the user may see (for the filter)."""
    return scope(
        Provider.objects.filter(pk__in=ImprovementPlan.objects.values("provider")), user, ""
    )


def tracker_quarters() -> list[Quarter]:
    """Every quarter from the first update to the latest (for the filter)."""
    span = ProgressUpdate.objects.aggregate(first=Min("as_of"), last=Max("as_of"))
    if span["first"] is None:
        return []
    return list(reversed(quarters_between(Quarter.of(span["first"]), Quarter.of(span["last"]))))


def slipped_items(
    provider: Provider | None = None,
    *,
    council_wide: bool | None = None,
    user: Any = None,
) -> QuerySet:
    """Items whose grade now is 3 Slipped or 4 Not achieved: those of
    `provider`, or only the council's own (council_wide=True), or all; narrowed
    to what `user` sees when given. For the dashboards and for alerts. Each row
    has `grade` and `last_update`; `plan` and `action` are loaded."""
    items = (
        visible_items(user)
        if user is not None
        else ImprovementItem.objects.select_related(*_ITEM_RELATED)
    )
    if provider is not None:
        items = items.filter(plan__provider=provider)
    if council_wide is True:
        items = items.filter(plan__provider__isnull=True)
    elif council_wide is False:
        items = items.filter(plan__provider__isnull=False)
    return (
        with_grades(items)
        .filter(grade__in=[int(g) for g in OFF_TRACK])
        .order_by("-grade", "last_update", "pk")
    )


def plan_items(plan: ImprovementPlan) -> QuerySet:
    return with_grades(
        plan.items.select_related("action__issue__question").order_by("number", "pk")
    )


@dataclass
class ItemHistory:
    item: Any
    grades: list[int | None] = field(default_factory=list)


@dataclass
class GradeHistory:
    quarters: list[Quarter]
    rows: list[ItemHistory]


def grade_history(plan: ImprovementPlan, items: list[Any]) -> GradeHistory:
    """Each item's grade in each quarter from the plan's first update to its
    latest: the last grade given in or before the quarter (kept from quarter to
    quarter until a new update changes it). One query for the plan's updates."""
    updates = list(
        ProgressUpdate.objects.filter(item__plan=plan)
        .order_by("as_of", "pk")
        .values_list("item_id", "as_of", "grade")
    )
    if not updates:
        return GradeHistory([], [ItemHistory(item) for item in items])
    quarters = quarters_between(Quarter.of(updates[0][1]), Quarter.of(updates[-1][1]))
    rows = []
    for item in items:
        grades: list[int | None] = []
        mine = [(day, grade) for item_id, day, grade in updates if item_id == item.pk]
        current: int | None = None
        for quarter in quarters:
            for day, grade in mine:
                if quarter.first <= day <= quarter.last:
                    current = grade
            grades.append(current)
        rows.append(ItemHistory(item, grades))
    return GradeHistory(quarters, rows)


def item_updates(item: ImprovementItem) -> QuerySet[ProgressUpdate]:
    return item.updates.select_related("by").prefetch_related("files")


def plan_updates(plan: ImprovementPlan) -> QuerySet[ProgressUpdate]:
    return (
        ProgressUpdate.objects.filter(item__plan=plan)
        .select_related("by")
        .prefetch_related("files")
        .order_by("item_id", "-as_of", "-pk")
    )


def get_visible_item(user: Any, pk: int) -> ImprovementItem:
    try:
        item: ImprovementItem = visible_items(user).get(pk=pk)
    except ImprovementItem.DoesNotExist:
        raise Http404("No such item") from None
    return item


def _visible_assessments(user: Any) -> QuerySet[Assessment]:
    """As reviews.selectors.get_visible_assessment: a provider's user never sees a draft."""
    assessments = review_selectors.visible_assessments(user)
    if not is_council_staff(user):
        assessments = assessments.exclude(status=AssessmentStatus.DRAFT)
    return assessments


def get_visible_evidence(user: Any, pk: int) -> EvidenceFile:
    """A file of evidence if the user may see its plan or its assessment; 404 otherwise."""
    files = EvidenceFile.objects.filter(
        Q(update__item__plan__in=visible_plans(user).values("pk"))
        | Q(assessment__in=_visible_assessments(user).values("pk"))
    )
    try:
        return files.get(pk=pk)
    except EvidenceFile.DoesNotExist:
        raise Http404("No such file") from None


def assessment_evidence(assessment: Assessment) -> QuerySet[EvidenceFile]:
    return assessment.evidence_files.select_related("uploaded_by")


GRADE_LABELS = dict(Grade.choices)
