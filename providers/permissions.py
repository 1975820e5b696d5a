"""Who may do what: every permission of the service, as `rules` predicates.

`providers.access` decides what a user *sees* (it scopes querysets, and an
unseen record is a 404); this module decides what a user may *do* with what
they see. Views (`homecare.accounts.roles.permission_required` and `require`),
templates (`{% load rules %}{% has_perm "quality.edit_assessment" user assessment as x %}`)
and services (`user.has_perm(...)`) all ask the same rules, through Django's
permission API and the `rules` authentication backend.

Roles are the four groups of `providers.access`. A superuser passes every
check, as everywhere in Django.

The objects are duck-typed (an assessment has `status`, `provider_id` and
`officer_id`; a plan `status` and `provider_id`): this module sits below the
apps whose records it judges, so it names their states by value.
"""

from __future__ import annotations

from typing import Any

import rules
from django.utils import timezone

from providers.access import (
    COMMISSIONER,
    CONTRACT_MANAGER,
    PROVIDER_USER,
    QUALITY_OFFICER,
    has_role,
    user_provider,
)
from providers.access import is_council_staff as _is_council_staff

# The states of reviews.models.AssessmentStatus and PlanStatus that permissions turn on.
DRAFT, ISSUED, DISPUTED = "draft", "issued", "disputed"
PLAN_OPEN, PLAN_RETURNED, PLAN_SUBMITTED = "open", "returned", "submitted"

# --- roles ---------------------------------------------------------------------------


@rules.predicate
def is_commissioner(user: Any) -> bool:
    return bool(user.is_superuser or has_role(user, COMMISSIONER))


@rules.predicate
def is_quality_officer(user: Any) -> bool:
    return bool(user.is_superuser or has_role(user, QUALITY_OFFICER))


@rules.predicate
def is_contract_manager(user: Any) -> bool:
    return has_role(user, CONTRACT_MANAGER)


@rules.predicate
def is_council_staff(user: Any) -> bool:
    return _is_council_staff(user)


@rules.predicate
def is_provider_member(user: Any) -> bool:
    """A provider's user who is actually tied to a provider; a provider role
    without a membership sees nothing and may do nothing."""
    return has_role(user, PROVIDER_USER) and user_provider(user) is not None


@rules.predicate
def may_settle_disputes(user: Any) -> bool:
    """A senior officer: a commissioner, or a quality officer given the
    `reviews.settle_assessment` permission (directly or through a group)."""
    return bool(
        user.is_superuser
        or has_role(user, COMMISSIONER)
        or (has_role(user, QUALITY_OFFICER) and user.has_perm("reviews.settle_assessment"))
    )


has_any_access = is_council_staff | is_provider_member
# Commissioners and contract managers upload any kind of file; a provider's
# user only its own visits (enforced by the upload form and the importer).
uploads_any_kind = is_commissioner | is_contract_manager

# --- ownership and state -----------------------------------------------------------


@rules.predicate
def is_own_provider(user: Any, obj: Any) -> bool:
    """The object is the user's own provider, or belongs to it."""
    provider = user_provider(user)
    if provider is None or obj is None:
        return False
    return bool(getattr(obj, "provider_id", obj.pk) == provider.pk)


@rules.predicate
def recorded_it(user: Any, assessment: Any) -> bool:
    return bool(assessment is not None and assessment.officer_id == user.pk)


@rules.predicate
def is_draft(user: Any, assessment: Any) -> bool:
    return bool(assessment is not None and assessment.status == DRAFT)


@rules.predicate
def is_disputed(user: Any, assessment: Any) -> bool:
    return bool(assessment is not None and assessment.status == DISPUTED)


@rules.predicate
def comment_window_open(user: Any, assessment: Any) -> bool:
    """The provider's 14 days for comments on an issued draft report."""
    return bool(
        assessment is not None
        and assessment.status == ISSUED
        and assessment.comments_due is not None
        and timezone.localdate() <= assessment.comments_due
    )


@rules.predicate
def plan_with_provider(user: Any, plan: Any) -> bool:
    return bool(plan is not None and plan.status in (PLAN_OPEN, PLAN_RETURNED))


@rules.predicate
def plan_submitted(user: Any, plan: Any) -> bool:
    return bool(plan is not None and plan.status == PLAN_SUBMITTED)


# A senior officer never settles a dispute about an assessment they recorded,
# so a second pair of eyes always looks at a disputed report.
may_settle = may_settle_disputes & ~recorded_it
own_providers_user = is_provider_member & is_own_provider


@rules.predicate
def is_council_wide(user: Any, plan: Any) -> bool:
    """An improvement plan of the council's own (no provider)."""
    return bool(plan is not None and plan.provider_id is None)


@rules.predicate
def is_providers_plan(user: Any, plan: Any) -> bool:
    return bool(plan is not None and plan.provider_id is not None)


# Commissioners and quality officers write and grade the council's plans.
manages_improvement = is_commissioner | is_quality_officer

# --- the permissions ---------------------------------------------------------------

PERMISSIONS: dict[str, rules.Predicate] = {
    # Reaching the service at all, and seeing every provider rather than one's own.
    "homecare.use_service": has_any_access,
    "providers.see_all_providers": is_council_staff,
    "providers.see_provider": is_council_staff | own_providers_user,
    # The audit trail of a record: council staff only.
    "audit.see_history": is_council_staff,
    # Files and thresholds.
    "imports.upload_file": uploads_any_kind | is_provider_member,
    "imports.upload_any_kind": uploads_any_kind,
    "kpis.change_thresholds": is_commissioner,
    "dashboards.change_rag_limits": is_commissioner,
    # Monthly packs: build for the market; download one's own (or any, for staff).
    "packs.build_packs": is_council_staff,
    "packs.download_pack": is_council_staff | own_providers_user,
    # Quality monitoring.
    "quality.see_drafts": is_council_staff,
    "quality.record_assessment": is_quality_officer,
    "quality.upload_framework": is_quality_officer,
    "quality.edit_assessment": is_quality_officer & is_draft,
    "quality.override_rating": (is_quality_officer & is_draft) | (may_settle & is_disputed),
    "quality.comment_on_assessment": own_providers_user,
    "quality.comment_now": own_providers_user & comment_window_open,
    "quality.settle_dispute": may_settle,
    "quality.publish_assessment": is_quality_officer | may_settle,
    "quality.write_action_plan": own_providers_user & plan_with_provider,
    "quality.review_action_plan": is_quality_officer & plan_submitted,
    "quality.update_actions": own_providers_user,
    "quality.verify_actions": is_quality_officer,
    "quality.record_package_review": is_council_staff,
    # The improvement tracker (issue 15): contract managers read it; the
    # council's plans are the council's; a provider's user reports progress on
    # its own provider's action plan, which officers may grade too.
    "improvement.see_tracker": has_any_access,
    "improvement.manage_plans": manages_improvement,
    "improvement.update_item": (manages_improvement & is_council_wide)
    | (is_providers_plan & (own_providers_user | manages_improvement)),
    "improvement.add_assessment_evidence": is_quality_officer | own_providers_user,
    # Provider ranking (issue 15): council staff see every lot's ranking, a
    # provider's user only its own place; commissioners set the weights.
    "ranking.see_ranking": is_council_staff | is_provider_member,
    "ranking.change_settings": is_commissioner,
    # Alerts (issue 15): council staff see every provider's, a provider's
    # users their own provider's.
    "alerts.see_alerts": is_council_staff | is_provider_member,
}

for _name, _predicate in PERMISSIONS.items():
    rules.set_perm(_name, _predicate)


def may(user: Any, perm: str, obj: Any = None) -> bool:
    """Whether the user has the permission (on the object, if given), through
    Django's permission API: the answer `{% has_perm %}` gives in templates."""
    return bool(user.has_perm(perm, obj))
