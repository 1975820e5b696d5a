"""Action plans written before the tracker existed show in it too: a link row
for each plan and each of its actions (no words or dates are copied)."""

from typing import Any

from django.db import migrations


def link(apps: Any, schema_editor: Any) -> None:
    ActionPlan = apps.get_model("reviews", "ActionPlan")
    PlanAction = apps.get_model("reviews", "PlanAction")
    ImprovementPlan = apps.get_model("improvement", "ImprovementPlan")
    ImprovementItem = apps.get_model("improvement", "ImprovementItem")
    plans = {}
    for action_plan in ActionPlan.objects.filter(issues__actions__isnull=False).distinct():
        plans[action_plan.pk], _ = ImprovementPlan.objects.get_or_create(
            action_plan=action_plan, defaults={"provider_id": action_plan.provider_id}
        )
    for action in PlanAction.objects.select_related("issue").order_by("pk"):
        ImprovementItem.objects.get_or_create(
            action=action, defaults={"plan": plans[action.issue.plan_id]}
        )


class Migration(migrations.Migration):
    dependencies = [("improvement", "0001_initial")]

    operations = [migrations.RunPython(link, migrations.RunPython.noop)]
