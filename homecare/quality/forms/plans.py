"""Forms for action plans: the provider's actions and progress, the officer's
review of the plan and verification of each action."""

from __future__ import annotations

from typing import Any, cast

from django import forms

from homecare.ui.forms import GovukDateField, VersionField
from reviews.models import (
    ActionPlan,
    ActionStatus,
    PlanIssue,
)


class IssueChoiceField(forms.ModelChoiceField):
    def label_from_instance(self, obj: Any) -> str:
        return f"{obj.question.code} {obj.question.text}"


class ActionForm(forms.Form):
    version = VersionField()
    issue = IssueChoiceField(
        queryset=PlanIssue.objects.none(),
        label="Issue",
        empty_label=None,
        error_messages={"required": "Select the issue this action addresses"},
    )
    description = forms.CharField(
        label="Action",
        widget=forms.Textarea(attrs={"rows": 3}),
        error_messages={"required": "Enter what will be done"},
    )
    owner = forms.CharField(
        label="Named owner",
        max_length=200,
        help_text="The person responsible, with their role",
        error_messages={"required": "Enter the name of the person responsible"},
    )
    due_date = GovukDateField(
        label="Date it will be done by",
        error_messages={"required": "Enter the date it will be done by"},
    )

    def __init__(self, *args: Any, plan: ActionPlan, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        field = cast(IssueChoiceField, self.fields["issue"])
        field.queryset = plan.issues.select_related("question")


class _DecisionForm(forms.Form):
    """A two-way decision whose negative answer must say why."""

    needs_reason: str
    reason_field: str
    missing_reason: str

    def clean(self) -> dict[str, Any]:
        data = super().clean() or {}
        if (
            data.get("decision") == self.needs_reason
            and not (data.get(self.reason_field) or "").strip()
        ):
            self.add_error(self.reason_field, self.missing_reason)
        return data


class PlanReviewForm(_DecisionForm):
    version = VersionField()
    needs_reason, reason_field, missing_reason = (
        "return",
        "reason",
        "Enter why the plan is returned",
    )
    decision = forms.ChoiceField(
        label="Your decision",
        choices=[("accept", "Accept the plan"), ("return", "Return it to the provider")],
        widget=forms.RadioSelect,
        error_messages={"required": "Select whether to accept or return the plan"},
    )
    reason = forms.CharField(
        label="Reason (needed when returning the plan)",
        required=False,
        widget=forms.Textarea(attrs={"rows": 3}),
    )


class ProgressForm(forms.Form):
    status = forms.ChoiceField(
        label="Progress",
        choices=[
            (ActionStatus.IN_PROGRESS, "In progress"),
            (ActionStatus.COMPLETED, "Completed, ready for the officer to verify"),
        ],
        widget=forms.RadioSelect,
        error_messages={"required": "Select the action's progress"},
    )
    progress = forms.CharField(
        label="What has been done",
        widget=forms.Textarea(attrs={"rows": 3}),
        error_messages={"required": "Enter what has been done"},
    )
    evidence = forms.CharField(
        label="Evidence",
        required=False,
        widget=forms.Textarea(attrs={"rows": 3}),
        help_text="Describe the evidence and where the officer can see it.",
    )


class VerifyForm(_DecisionForm):
    needs_reason, reason_field, missing_reason = (
        "reopen",
        "note",
        "Enter why the action is reopened",
    )
    decision = forms.ChoiceField(
        label="Is the action done?",
        choices=[("verify", "Yes, verify it"), ("reopen", "No, reopen it")],
        widget=forms.RadioSelect,
        error_messages={"required": "Select whether the action is verified"},
    )
    note = forms.CharField(
        label="Note (needed when reopening)",
        required=False,
        widget=forms.Textarea(attrs={"rows": 3}),
    )
