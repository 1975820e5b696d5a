"""Writes for quality monitoring: every step of an assessment and its action
plan, each recorded in the event log with who and when.

The steps live in modules by what they change (assessments, plans, package
reviews); they are re-exported here so callers write `services.publish(...)`."""

from reviews.services.assessments import (
    add_provider_comment,
    issue_to_provider,
    load_default_framework,
    may_publish,
    missing_for_issue,
    override_rating,
    publish,
    save_draft,
    settle_dispute,
    start_assessment,
)
from reviews.services.common import (
    COMMENT_DAYS,
    DETAIL_FIELDS,
    PLAN_DAYS,
    NotAllowed,
)
from reviews.services.package_reviews import record_package_review
from reviews.services.plans import (
    add_action,
    review_plan,
    submit_plan,
    update_action,
    verify_action,
)

__all__ = [
    "COMMENT_DAYS",
    "DETAIL_FIELDS",
    "PLAN_DAYS",
    "NotAllowed",
    "add_action",
    "add_provider_comment",
    "issue_to_provider",
    "load_default_framework",
    "may_publish",
    "missing_for_issue",
    "override_rating",
    "publish",
    "record_package_review",
    "review_plan",
    "save_draft",
    "settle_dispute",
    "start_assessment",
    "submit_plan",
    "update_action",
    "verify_action",
]
