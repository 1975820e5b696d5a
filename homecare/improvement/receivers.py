"""The tracker's links to the quality app's action plans, and its files on disk."""

from __future__ import annotations

from typing import Any

from django.db import transaction
from django.db.models.signals import post_delete, post_save

from homecare.improvement.models import EvidenceFile, ImprovementItem, ImprovementPlan
from reviews.models import PlanAction


def link_action(sender: Any, instance: PlanAction, created: bool, **kwargs: Any) -> None:
    """A new action of a provider's action plan becomes a tracker item: a row
    of two keys, so its words and dates are read from the action itself."""
    if not created or kwargs.get("raw"):
        return
    action_plan = instance.issue.plan
    plan, _ = ImprovementPlan.objects.get_or_create(
        action_plan=action_plan, defaults={"provider_id": action_plan.provider_id}
    )
    ImprovementItem.objects.get_or_create(action=instance, defaults={"plan": plan})


def remove_file(sender: Any, instance: EvidenceFile, **kwargs: Any) -> None:
    """The file goes with its row, however the row goes (its plan or update
    deleted, a retention run): no evidence is left on disk unreachable."""
    if instance.file:
        storage, name = instance.file.storage, instance.file.name
        # Only once the delete is committed: a rolled-back delete keeps its file.
        transaction.on_commit(lambda: storage.delete(name))


def connect() -> None:
    post_save.connect(link_action, sender=PlanAction, dispatch_uid="improvement-link-action")
    post_delete.connect(remove_file, sender=EvidenceFile, dispatch_uid="improvement-remove-file")
