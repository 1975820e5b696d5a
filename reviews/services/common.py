"""What every quality write shares: who counts as an officer, the event log,
and the refusal every step raises when it is not open to the user."""

from __future__ import annotations

from typing import Any

from providers.access import COMMISSIONER, QUALITY_OFFICER, has_role, user_provider
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


def is_quality_officer(user: Any) -> bool:
    return bool(user.is_superuser or has_role(user, QUALITY_OFFICER))


def is_senior_officer(user: Any) -> bool:
    return bool(
        user.is_superuser
        or has_role(user, COMMISSIONER)
        or (has_role(user, QUALITY_OFFICER) and user.has_perm("reviews.settle_assessment"))
    )


def log_event(assessment: Assessment, user: Any, action: str, note: str = "") -> None:
    AssessmentEvent.objects.create(assessment=assessment, by=user, action=action, note=note)


def require(condition: bool, message: str) -> None:
    if not condition:
        raise NotAllowed(message)


def is_providers_user(user: Any, provider_id: int) -> bool:
    provider = user_provider(user)
    return provider is not None and provider.pk == provider_id
