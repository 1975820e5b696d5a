"""The commissioner's form for one measure's RAG limits."""

from __future__ import annotations

from typing import Any

from django import forms

from homecare.dashboards.models import RagThreshold
from homecare.dashboards.rag import MEASURES
from homecare.ui.forms import VersionField


class RagThresholdForm(forms.ModelForm):
    version = VersionField()

    class Meta:
        model = RagThreshold
        fields = ["green_limit", "red_limit"]
        error_messages = {
            "green_limit": {
                "required": "Enter the green limit",
                "invalid": "Green limit must be a number, like 5 or 92.5",
                "max_decimal_places": "Green limit must have 2 decimal places or fewer",
            },
            "red_limit": {
                "required": "Enter the red limit",
                "invalid": "Red limit must be a number, like 10 or 85",
                "max_decimal_places": "Red limit must have 2 decimal places or fewer",
            },
        }

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.initial["version"] = self.instance.version

    def clean(self) -> dict[str, Any]:
        super().clean()
        cleaned = self.cleaned_data
        for name in ("green_limit", "red_limit"):
            value = cleaned.get(name)
            if value is not None and value < 0:
                self.add_error(name, f"{self.fields[name].label} must be 0 or more")
        # The red limit lies on the worse side of the green one.
        measure = MEASURES.get(self.instance.measure)
        green, red = cleaned.get("green_limit"), cleaned.get("red_limit")
        if measure is None or green is None or red is None:
            return cleaned
        if measure.lower_is_better and green > red:
            self.add_error(
                "red_limit", "Red limit must be the same as or more than the green limit"
            )
        if not measure.lower_is_better and green < red:
            self.add_error(
                "red_limit", "Red limit must be the same as or less than the green limit"
            )
        return cleaned
