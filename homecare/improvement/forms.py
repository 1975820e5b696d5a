"""Forms of the improvement tracker, drawn by the GOV.UK renderer: the
tracker's filters, a council-wide plan and its recommendations, a progress
update with its grade and evidence, an evidence file on an assessment."""

from __future__ import annotations

import datetime as dt
from typing import Any

from django import forms
from django.core.files.uploadedfile import UploadedFile

from homecare.improvement.files import KINDS_HINT, check_upload, max_bytes, size_label
from homecare.improvement.models import Grade
from homecare.improvement.quarters import EXAMPLE, Quarter
from homecare.improvement.selectors import COUNCIL_WIDE
from homecare.ui.forms import GovukDateField

GRADE_HELP = {
    Grade.FULLY_ACHIEVED: "The action is done and its success measure met",
    Grade.ON_TRACK: "Progressing as agreed, due on time",
    Grade.SLIPPED: "Behind the agreed date or measure, still being worked on",
    Grade.NOT_ACHIEVED: "Not done, and not expected to be as agreed",
}


class QuarterField(forms.CharField):
    default_error_messages = {
        "invalid": f"Quarter must be a financial year and quarter, like {EXAMPLE}",
    }

    def to_python(self, value: Any) -> Quarter | None:  # type: ignore[override]
        text = super().to_python(value)
        if not text:
            return None
        try:
            return Quarter.parse(text)
        except ValueError:
            raise forms.ValidationError(self.error_messages["invalid"], code="invalid") from None


class TrackerFilterForm(forms.Form):
    """The tracker's filters, read from the address (a bad value is a 400 page)."""

    provider = forms.ChoiceField(label="Provider", required=False)
    grade = forms.TypedChoiceField(
        label="Grade",
        required=False,
        coerce=int,
        empty_value=None,
        choices=[("", "Any grade"), *Grade.choices],
    )
    quarter = QuarterField(label="Quarter", required=False)

    def __init__(
        self, *args: Any, providers: list[tuple[str, str]], quarters: list[Quarter], **kwargs: Any
    ) -> None:
        super().__init__(*args, **kwargs)
        provider = self.fields["provider"]
        assert isinstance(provider, forms.ChoiceField)
        provider.choices = [("", "All plans"), (COUNCIL_WIDE, "Council-wide"), *providers]
        # The quarters with updates, newest first; any valid quarter may be asked.
        self.fields["quarter"].widget = forms.Select(
            choices=[("", "Now"), *((q.key, f"{q.label} ({q.months})") for q in quarters)]
        )


class PlanForm(forms.Form):
    title = forms.CharField(
        label="Name of the plan",
        max_length=200,
        help_text="For example, the scrutiny review its recommendations come from",
        error_messages={"required": "Enter the name of the plan"},
    )
    description = forms.CharField(
        label="About the plan (optional)",
        required=False,
        widget=forms.Textarea(attrs={"rows": 3}),
    )
    agreed_on = GovukDateField(label="Date the plan was agreed (optional)", required=False)
    lead_officer = forms.CharField(label="Link officer (optional)", max_length=200, required=False)


class ItemForm(forms.Form):
    number = forms.IntegerField(
        label="Recommendation number (optional)",
        required=False,
        min_value=1,
        max_value=999,
        error_messages={
            "invalid": "Recommendation number must be a whole number, like 3",
            "min_value": "Recommendation number must be 1 or more",
            "max_value": "Recommendation number must be 999 or less",
        },
    )
    recommendation = forms.CharField(
        label="Recommendation",
        widget=forms.Textarea(attrs={"rows": 3}),
        error_messages={"required": "Enter the recommendation"},
    )
    agreed_action = forms.CharField(
        label="Agreed action",
        widget=forms.Textarea(attrs={"rows": 3}),
        error_messages={"required": "Enter the agreed action"},
    )
    success_measure = forms.CharField(
        label="Agreed success measure (optional)",
        required=False,
        widget=forms.Textarea(attrs={"rows": 2}),
    )
    responsibility = forms.CharField(
        label="Responsibility (optional)",
        required=False,
        max_length=200,
        help_text="The officer who answers for it",
    )
    due_date = GovukDateField(label="Date it is due (optional)", required=False)


class EvidenceField(forms.FileField):
    """A file of evidence, its type read from its content (homecare/improvement/files.py)."""

    def __init__(self, **kwargs: Any) -> None:
        kwargs.setdefault(
            "help_text",
            f"{KINDS_HINT[0].upper()}{KINDS_HINT[1:]}, smaller than {size_label(max_bytes())}",
        )
        super().__init__(**kwargs)

    def clean(self, data: Any, initial: Any = None) -> Any:
        upload = super().clean(data, initial)
        if isinstance(upload, UploadedFile):
            check_upload(upload)
        return upload


class UpdateForm(forms.Form):
    as_of = GovukDateField(
        label="Date of the update",
        help_text="The date the progress is reported as at, for example 31 3 2024",
        error_messages={"required": "Enter the date of the update"},
    )
    progress = forms.CharField(
        label="Evidence of progress",
        help_text="What has taken place on the agreed action",
        widget=forms.Textarea(attrs={"rows": 4}),
        error_messages={"required": "Enter the evidence of progress"},
    )
    grade = forms.TypedChoiceField(
        label="Assessment of progress",
        coerce=int,
        choices=Grade.choices,
        widget=forms.RadioSelect,
        help_text=" ".join(f"{Grade(g).label}: {text}." for g, text in GRADE_HELP.items()),
        error_messages={"required": "Select the assessment of progress, from 1 to 4"},
    )
    impact = forms.CharField(
        label="Evidence of impact (optional)",
        help_text="What difference the action has made, for people and for the service",
        required=False,
        widget=forms.Textarea(attrs={"rows": 3}),
    )
    evidence = EvidenceField(label="File of evidence (optional)", required=False)

    def __init__(self, *args: Any, today: dt.date, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.today = today

    def clean_as_of(self) -> dt.date:
        as_of: dt.date = self.cleaned_data["as_of"]
        if as_of > self.today:
            raise forms.ValidationError("The date of the update must be today or in the past")
        return as_of


class AssessmentEvidenceForm(forms.Form):
    evidence = EvidenceField(
        label="File of evidence",
        error_messages={"required": "Select a file of evidence"},
    )
    description = forms.CharField(
        label="What the file shows (optional)", required=False, max_length=300
    )
