"""What every quality write shares: the event log, and the refusal every step
raises when it is not open to the user. Who may take a step is asked of the
rules in providers/permissions.py (`may`), as the pages ask them."""

from __future__ import annotations

from typing import Any

from providers.permissions import may
from reviews.models import (
    Assessment,
    AssessmentEvent,
)

COMMENT_DAYS = 14  # the provider's factual-accuracy window
PLAN_DAYS = 14  # to submit an action plan after publication
DETAIL_FIELDS = (
    "assessment_type",
    "start_date",
    "end_date",
    "assessors",
    "files_sampled",
    "people_spoken_with",
    "staff_spoken_with",
    "evidence_notes",
)


class NotAllowed(Exception):
    """The step is not open to this user, or not at this stage; the message says why."""


__all__ = ["may"]


def log_event(assessment: Assessment, user: Any, action: str, note: str = "") -> None:
    AssessmentEvent.objects.create(assessment=assessment, by=user, action=action, note=note)


def require(condition: bool, message: str) -> None:
    if not condition:
        raise NotAllowed(message)
