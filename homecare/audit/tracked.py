"""Every model whose changes leave an audit row, in one list (issue 10).

Registered by label, so this app imports none of the feature apps above it.
django-auditlog writes a row on every save and delete through the ORM, with
the values before and after, the signed-in user (AuditlogMiddleware) or no
one for Celery tasks and commands ("the system"). Bulk writes (the visit and
contract imports) send no signals: each import is recorded by its own
ImportRecord (who uploaded what, when, with what outcome).

New feature apps register their own models in their apps.py ready().
"""

from __future__ import annotations

from typing import Any, cast

from auditlog.registry import auditlog
from django.apps import apps
from django.db.models.base import ModelBase

# Kept out of every history: when a row was saved (the audit row says so) and
# who saved it (the audit row's actor), and the edit version that guards
# against concurrent saves (common/concurrency.py), which says the same again.
_STAMPS = ["updated_at", "updated_by", "version", "changed_by", "changed_at"]

TRACKED: dict[str, dict[str, Any]] = {
    # Thresholds and RAG limits: what makes a figure late, short or red.
    "kpis.KpiThresholds": {"exclude_fields": _STAMPS},
    "dashboards.RagThreshold": {"exclude_fields": _STAMPS},
    # Quality assessments, their event log, ratings and action plans.
    "reviews.Assessment": {"exclude_fields": _STAMPS},
    "reviews.AssessmentEvent": {},
    "reviews.QuestionRating": {},
    "reviews.RatingOverride": {},
    "reviews.ProviderComment": {},
    "reviews.ActionPlan": {"exclude_fields": _STAMPS},
    "reviews.PlanIssue": {},
    "reviews.PlanAction": {},
    "reviews.PackageReview": {},
    "reviews.AssessmentFramework": {},
    # Contracts and care packages, as edited in the admin; people too, whose
    # records are also the subject of the access log (homecare/audit/services.py).
    "contracts.Framework": {},
    "contracts.Lot": {},
    "contracts.Contract": {},
    "contracts.CarePackage": {},
    "contracts.Person": {},
    # Dated rates and commissioned hours (issue 13): what a visit is paid and
    # what a package is measured against.
    "contracts.ContractRate": {},
    "contracts.PackageHours": {},
    "providers.Provider": {},
    "providers.ProviderUser": {},
    # Users and their roles (groups). A password change is recorded, its hash
    # never copied into the trail; sign-ins are recorded by django-axes, not
    # as a change of last_login.
    "auth.User": {
        "exclude_fields": ["last_login"],
        "mask_fields": ["password"],
        "mask_callable": "homecare.audit.tracked.hidden",
        "m2m_fields": {"groups", "user_permissions"},
    },
    "auth.Group": {"m2m_fields": {"permissions"}},
    # The improvement tracker (issue 15): plans, items, graded updates, evidence files.
    "improvement.ImprovementPlan": {},
    "improvement.ImprovementItem": {},
    "improvement.ProgressUpdate": {},
    "improvement.EvidenceFile": {},
}


HIDDEN = "(not shown)"


def hidden(value: str) -> str:
    """What the trail keeps of a masked field: that it had a value, nothing of it."""
    return HIDDEN if value and value != "None" else value


def register_all() -> None:
    for label, options in TRACKED.items():
        # django-auditlog annotates models as ModelBase (their metaclass).
        model = cast(ModelBase, apps.get_model(label))
        if not auditlog.contains(model):
            auditlog.register(model, **options)
