"""Reads of the audit trail: the rows behind a history, newest first, each
with its actor in the same query (a page's query count stays fixed)."""

from __future__ import annotations

from collections.abc import Iterable

from auditlog.models import LogEntry
from django.contrib.contenttypes.models import ContentType
from django.db.models import Model, Q, QuerySet

from contracts.models import Person
from reviews.models import ActionPlan, Assessment, PlanAction, RatingOverride

# A history shows the latest changes; older ones stay in the admin's log.
HISTORY_LENGTH = 50


def _newest(entries: QuerySet[LogEntry], limit: int) -> list[LogEntry]:
    return list(
        entries.select_related("actor", "content_type").order_by("-timestamp", "-pk")[:limit]
    )


def _changes_of(model: type[Model], pks: Iterable[int] | None = None) -> Q:
    """Created, changed or deleted rows of a model (never the access log)."""
    content_type = ContentType.objects.get_for_model(model)
    query = Q(content_type=content_type) & ~Q(action=LogEntry.Action.ACCESS)
    if pks is not None:
        query &= Q(object_id__in=list(pks))
    return query


def changes_to(obj: Model, limit: int = HISTORY_LENGTH) -> list[LogEntry]:
    """The changes to one row: a lot's or contract's thresholds, a RAG limit."""
    if obj.pk is None:
        return []
    return _newest(LogEntry.objects.filter(_changes_of(type(obj), [obj.pk])), limit)


def changes_to_model(model: type[Model], limit: int = HISTORY_LENGTH) -> list[LogEntry]:
    """Every change to a kind of row: all thresholds, all RAG limits."""
    return _newest(LogEntry.objects.filter(_changes_of(model)), limit)


def assessment_changes(assessment: Assessment, limit: int = HISTORY_LENGTH) -> list[LogEntry]:
    """Changes to an assessment and what hangs off it: its action plan, the
    plan's actions and any rating overridden. The steps themselves are in the
    assessment's event log, shown beside it."""
    plan_ids = list(ActionPlan.objects.filter(assessment=assessment).values_list("pk", flat=True))
    query = (
        _changes_of(Assessment, [assessment.pk])
        | _changes_of(ActionPlan, plan_ids)
        | _changes_of(
            PlanAction,
            PlanAction.objects.filter(issue__plan__in=plan_ids).values_list("pk", flat=True),
        )
        | _changes_of(
            RatingOverride,
            RatingOverride.objects.filter(assessment=assessment).values_list("pk", flat=True),
        )
    )
    return _newest(LogEntry.objects.filter(query), limit)


def person_views(person: Person, limit: int = HISTORY_LENGTH) -> list[LogEntry]:
    """Who looked at a person's visits, newest first (the access log)."""
    content_type = ContentType.objects.get_for_model(Person)
    entries = LogEntry.objects.filter(
        content_type=content_type, object_id=person.pk, action=LogEntry.Action.ACCESS
    )
    return _newest(entries, limit)
