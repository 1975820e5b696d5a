"""A provider pack's quality section (issue 5): the latest published quality
assessment on or before the month's end and its open actions."""

from __future__ import annotations

import datetime as dt
from typing import Any

from common.months import LONDON, Month
from providers.models import Provider
from reviews import selectors as quality
from reviews.models import ActionStatus, Assessment, AssessmentStatus, PlanAction


def quality_section(provider: Provider, month: Month) -> dict[str, Any]:
    month_end = dt.datetime.combine(month.last, dt.time.max, tzinfo=LONDON)
    assessment = (
        Assessment.objects.filter(
            provider=provider, status=AssessmentStatus.PUBLISHED, published_at__lte=month_end
        )
        .select_related("framework")
        .order_by("-published_at")
        .first()
    )
    if assessment is None:
        return {"assessment": None}
    report = quality.assessment_report(assessment)
    actions = list(
        PlanAction.objects.filter(issue__plan__assessment=assessment)
        .exclude(status__in=[ActionStatus.COMPLETED, ActionStatus.VERIFIED])
        .select_related("issue__question")
        .order_by("due_date", "pk")
    )
    overdue_ids = set(quality.overdue_actions(provider, month.last).values_list("pk", flat=True))
    return {
        "assessment": assessment,
        "report": report,
        "actions": [(action, action.pk in overdue_ids) for action in actions],
    }
