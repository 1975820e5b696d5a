"""The upload form. Error messages follow the GOV.UK Design System wording:
say what went wrong and how to fix it."""

from __future__ import annotations

from typing import Any

from django import forms
from django.core.files.uploadedfile import UploadedFile

from providers.permissions import may
from visits.models import ImportKind

MAX_UPLOAD_BYTES = 500 * 1024 * 1024


def allowed_kinds(user: Any) -> list[str]:
    """Council uploaders may load any kind; a provider's user only visits,
    because every other file describes the council's own records."""
    if may(user, "imports.upload_any_kind"):
        return list(ImportKind.values)
    return [ImportKind.VISITS]


class UploadForm(forms.Form):
    # Every kind is a valid choice so that a forbidden kind gets a message that
    # says why, rather than Django's generic "not one of the available choices".
    kind = forms.ChoiceField(
        label="What kind of file is it?",
        choices=ImportKind.choices,
        widget=forms.RadioSelect,
        error_messages={"required": "Select what kind of file it is"},
    )
    file = forms.FileField(
        label="Upload a CSV file",
        help_text="The file must be a CSV file smaller than 500 MB.",
        error_messages={
            "required": "Select a CSV file",
            "empty": "The selected file is empty",
            "invalid": "The selected file could not be read. Try again",
        },
    )

    def __init__(self, *args: Any, user: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.user = user
        self.allowed = allowed_kinds(user)
        if len(self.allowed) == 1:
            self.fields["kind"].initial = self.allowed[0]
        # The radios offer only the kinds this user may upload; the field still
        # accepts every kind, so a forbidden one gets a message that says why.
        kind = self.fields["kind"].widget
        kind.choices = self.kind_choices
        kind.attrs["govuk_legend_class"] = "govuk-fieldset__legend--m"
        self.fields["file"].widget.attrs.update(
            accept=".csv,text/csv", govuk_label_class="govuk-label--m"
        )

    @property
    def kind_choices(self) -> list[tuple[str, str]]:
        """The radios to show: only the kinds this user may upload."""
        return [(value, label) for value, label in ImportKind.choices if value in self.allowed]

    def clean_kind(self) -> str:
        kind = self.cleaned_data["kind"]
        if kind not in self.allowed:
            raise forms.ValidationError(
                "You can only upload visits files for your own provider", code="forbidden"
            )
        return kind

    def clean_file(self) -> UploadedFile:
        upload: UploadedFile = self.cleaned_data["file"]
        if not (upload.name or "").lower().endswith(".csv"):
            raise forms.ValidationError("The selected file must be a CSV file", code="type")
        if (upload.size or 0) > MAX_UPLOAD_BYTES:
            raise forms.ValidationError(
                "The selected file must be smaller than 500 MB", code="size"
            )
        return upload
