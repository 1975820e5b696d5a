"""A draft's question ratings in the audit trail.

The ratings are saved in bulk (reviews.services.save_draft), which sends no
signal django-auditlog could hear. Every save is followed by an event in the
assessment's log, though: on that event, the ratings as they now stand are
compared with those of the last snapshot, and any difference is written as a
change of the assessment ("IN01 rating Good → Poor") by the event's user, with
the new snapshot kept beside it (`additional_data`).
"""

from __future__ import annotations

from typing import Any

from auditlog.models import LogEntry
from django.contrib.contenttypes.models import ContentType

from reviews.models import Assessment, AssessmentEvent, QuestionRating

PREFIX = "rating:"
NONE = "None"  # how django-auditlog writes an empty value


def _snapshot(assessment: Assessment) -> dict[str, str]:
    rows = QuestionRating.objects.filter(assessment=assessment).values_list(
        "question__code", "rating"
    )
    return {code: rating for code, rating in rows if rating}


def record_rating_changes(
    sender: Any, instance: AssessmentEvent, created: bool = False, raw: bool = False, **kwargs: Any
) -> LogEntry | None:
    """post_save of AssessmentEvent (connected in AuditConfig.ready)."""
    if not created or raw:
        return None
    assessment = instance.assessment
    now = _snapshot(assessment)
    last = (
        LogEntry.objects.filter(
            content_type=ContentType.objects.get_for_model(Assessment),
            object_id=assessment.pk,
            additional_data__has_key="ratings",
        )
        .order_by("-timestamp", "-pk")
        .first()
    )
    before: dict[str, str] = (last.additional_data or {}).get("ratings", {}) if last else {}
    changes = {
        f"{PREFIX}{code}": [before.get(code, NONE), now.get(code, NONE)]
        # By code: PostgreSQL's jsonb keeps no order of keys anyway.
        for code in sorted(set(before) | set(now))
        if before.get(code) != now.get(code)
    }
    if not changes:
        return None
    return LogEntry.objects.log_create(
        assessment,
        action=LogEntry.Action.UPDATE,
        changes=changes,
        additional_data={"ratings": now},
        actor=instance.by,
    )
