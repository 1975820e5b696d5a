"""Uploading an assessment framework, and recording a package review."""

from __future__ import annotations

import datetime as dt
from typing import Any, cast

from django import forms
from django.utils import timezone

from contracts.models import CarePackage
from homecare.ui.forms import GovukDateField
from reviews.models import (
    ReviewType,
)


class FrameworkUploadForm(forms.Form):
    name = forms.CharField(
        label="Framework name",
        max_length=200,
        help_text="Using the name of an existing framework makes a new version of it.",
        error_messages={"required": "Enter the framework's name"},
    )
    file = forms.FileField(
        label="Upload a CSV file",
        help_text="Columns: domain, standard, code, question, guidance.",
        error_messages={"required": "Select a CSV file", "empty": "The selected file is empty"},
    )

    def clean_file(self) -> Any:
        upload = self.cleaned_data["file"]
        if not (upload.name or "").lower().endswith(".csv"):
            raise forms.ValidationError("The selected file must be a CSV file")
        return upload


class PackageReviewForm(forms.Form):
    package = forms.ModelChoiceField(
        queryset=CarePackage.objects.none(),
        label="Care package",
        to_field_name="ref",
        empty_label="Choose a care package",
        error_messages={"required": "Select the care package reviewed"},
    )
    review_type = forms.ChoiceField(
        label="Type of review",
        choices=ReviewType.choices,
        widget=forms.RadioSelect,
        error_messages={"required": "Select the type of review"},
    )
    review_date = GovukDateField(
        label="Date of the review",
        error_messages={"required": "Enter the date of the review"},
    )
    notes = forms.CharField(
        label="Notes (optional)",
        required=False,
        widget=forms.Textarea(attrs={"rows": 3}),
        help_text="Do not include the person's name.",
    )

    def __init__(self, *args: Any, provider: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        cast(forms.ModelChoiceField, self.fields["package"]).queryset = CarePackage.objects.filter(
            provider=provider
        )

    def clean_review_date(self) -> dt.date:
        value = self.cleaned_data["review_date"]
        if value > timezone.localdate():
            raise forms.ValidationError("Date of the review must be today or in the past")
        return value
