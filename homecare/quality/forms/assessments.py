"""Forms for recording an assessment and its lifecycle: starting it, the
details and answers, the provider's comments, overrides and settling a dispute."""

from __future__ import annotations

from typing import Any, cast

from django import forms
from django.db.models import Exists, OuterRef

from homecare.ui.forms import GovukDateField, VersionField
from providers.access import (
    visible_providers,
)
from providers.models import Provider
from reviews import selectors, services
from reviews.models import (
    Assessment,
    AssessmentFramework,
    AssessmentType,
    Rating,
)

RATING_CHOICES = list(Rating.choices)


class StartForm(forms.Form):
    provider = forms.ModelChoiceField(
        queryset=Provider.objects.none(),
        label="Provider",
        empty_label="Choose a provider",
        error_messages={"required": "Select the provider being assessed"},
    )
    framework = forms.ModelChoiceField(
        queryset=AssessmentFramework.objects.all(),
        label="Framework",
        empty_label=None,
        error_messages={"required": "Select a framework"},
    )
    assessment_type = forms.ChoiceField(
        label="Type of assessment",
        choices=AssessmentType.choices,
        widget=forms.RadioSelect,
        error_messages={"required": "Select the type of assessment"},
    )

    def __init__(self, *args: Any, user: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        cast(forms.ModelChoiceField, self.fields["provider"]).queryset = visible_providers(
            user
        ).filter(status="active")
        # Only each framework's latest version: older ones stay for old assessments.
        # (No DISTINCT ON: SQLite has none.)
        newer = AssessmentFramework.objects.filter(
            name=OuterRef("name"), version__gt=OuterRef("version")
        )
        cast(
            forms.ModelChoiceField, self.fields["framework"]
        ).queryset = AssessmentFramework.objects.exclude(Exists(newer))


class DetailsForm(forms.ModelForm):
    start_date = GovukDateField(label="First day of the assessment", required=False)
    end_date = GovukDateField(label="Last day of the assessment", required=False)
    version = VersionField()

    class Meta:
        model = Assessment
        fields = list(services.DETAIL_FIELDS)
        labels = {
            "assessment_type": "Type of assessment",
            "start_date": "First day of the assessment",
            "end_date": "Last day of the assessment",
            "assessors": "Assessors",
            "files_sampled": "Care files sampled",
            "people_spoken_with": "People receiving care spoken with",
            "staff_spoken_with": "Staff spoken with",
            "evidence_notes": "Notes on the evidence sampled",
        }
        help_texts = {
            "assessors": "Names of the council officers who carried out the assessment",
            "people_spoken_with": "A number only. Do not record names of people receiving care.",
            "evidence_notes": "For example, which records were looked at. "
            "Do not include names of people receiving care.",
        }
        widgets = {
            "assessment_type": forms.RadioSelect(attrs={"govuk_inline": True}),
            "evidence_notes": forms.Textarea(attrs={"rows": 4}),
        }
        error_messages = {
            "files_sampled": {"invalid": "Care files sampled must be a whole number"},
            "people_spoken_with": {"invalid": "People spoken with must be a whole number"},
            "staff_spoken_with": {"invalid": "Staff spoken with must be a whole number"},
        }

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        cast(forms.ChoiceField, self.fields["assessment_type"]).choices = AssessmentType.choices
        self.initial["version"] = self.instance.version
        self.fields["assessment_type"].error_messages["required"] = "Select the type of assessment"

    def clean(self) -> dict[str, Any]:
        data = super().clean() or {}
        start, end = data.get("start_date"), data.get("end_date")
        if start and end and end < start:
            self.add_error("end_date", "Last day of the assessment must be on or after the first")
        return data


class AnswersForm(forms.Form):
    """A rating and evidence notes for every question of the framework."""

    def __init__(self, *args: Any, report: selectors.Report, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.report = report
        for row in report.question_rows:
            q = row.question
            self.fields[f"q{q.pk}"] = forms.ChoiceField(
                choices=RATING_CHOICES,
                required=False,
                initial=row.rating,
                widget=forms.RadioSelect(attrs={"govuk_inline": True}),
                label=f"{q.code} {q.text}",
                help_text=q.guidance or "No guidance for this question.",
            )
            self.fields[f"e{q.pk}"] = forms.CharField(
                required=False,
                initial=row.evidence,
                widget=forms.Textarea(attrs={"rows": 2}),
                label=f"Evidence notes for {q.code}",
            )

    def answers(self) -> dict[int, tuple[str, str]]:
        return {
            row.question.pk: (
                self.cleaned_data.get(f"q{row.question.pk}") or "",
                self.cleaned_data.get(f"e{row.question.pk}") or "",
            )
            for row in self.report.question_rows
        }

    def rows(self) -> list[dict[str, Any]]:
        """The form laid out as the framework is: domains, standards, questions."""
        out = []
        for domain in self.report.domains:
            standards = []
            for standard in domain.standards:
                questions = [
                    {
                        "question": q.question,
                        "rating": self[f"q{q.question.pk}"],
                        "evidence": self[f"e{q.question.pk}"],
                    }
                    for q in standard.questions
                ]
                standards.append({"name": standard.name, "questions": questions})
            out.append({"name": domain.name, "standards": standards})
        return out


class CommentForm(forms.Form):
    comment = forms.CharField(
        label="Your comments on the draft report",
        widget=forms.Textarea(attrs={"rows": 6}),
        error_messages={"required": "Enter your comments on the draft report"},
    )
    evidence = forms.CharField(
        label="Further evidence (optional)",
        required=False,
        widget=forms.Textarea(attrs={"rows": 4}),
        help_text="Describe the evidence and where the officer can see it.",
    )
    disputes_accuracy = forms.TypedChoiceField(
        label="Do you dispute the factual accuracy of the report?",
        choices=[("yes", "Yes, we dispute it"), ("no", "No, these are comments only")],
        coerce=lambda v: v == "yes",
        widget=forms.RadioSelect,
        error_messages={"required": "Select whether you dispute the factual accuracy"},
    )


class OverrideForm(forms.Form):
    target = forms.ChoiceField(
        label="Rating to override", error_messages={"required": "Select the rating to override"}
    )
    rating = forms.ChoiceField(
        label="New rating",
        choices=RATING_CHOICES,
        widget=forms.RadioSelect,
        error_messages={"required": "Select the new rating"},
    )
    reason = forms.CharField(
        label="Reason for the override",
        widget=forms.Textarea(attrs={"rows": 3}),
        error_messages={"required": "Enter the reason for the override"},
    )

    def __init__(self, *args: Any, report: selectors.Report, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        choices = [("overall", f"Overall rating (now {report.overall_label})")]
        for domain in report.domains:
            choices.append((domain.key, f"Domain: {domain.name} (now {domain.label})"))
            choices += [(s.key, f"Standard: {s.name} (now {s.label})") for s in domain.standards]
        cast(forms.ChoiceField, self.fields["target"]).choices = choices


class SettleForm(forms.Form):
    notes = forms.CharField(
        label="How the dispute was settled",
        widget=forms.Textarea(attrs={"rows": 5}),
        help_text="Say which points were upheld and what was changed in the report.",
        error_messages={"required": "Enter how the dispute was settled"},
    )
