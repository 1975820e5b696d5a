"""The commissioners' form for the ranking's weights and cycle."""

from __future__ import annotations

from decimal import Decimal
from typing import Any

from django import forms

from homecare.ranking.models import PART_LABELS, PARTS, RankingSettings
from homecare.ui.forms import VersionField


def _errors(label: str) -> dict[str, str]:
    return {
        "required": f"Enter the {label.lower()}, or 0 to leave the part out",
        "invalid": f"{label} must be a number, like 40 or 12.5",
        "max_decimal_places": f"{label} must have 2 decimal places or fewer",
        "max_digits": f"{label} must be 9,999.99 or less",
        "max_whole_digits": f"{label} must be 9,999.99 or less",
    }


class RankingSettingsForm(forms.ModelForm):
    """Weights are any numbers 0 or more, at least one more than 0: they
    are used as shares of their total (40, 25, 20, 15 and 8, 5, 4, 3 rank
    alike), so they need not add up to 100."""

    version = VersionField()

    class Meta:
        model = RankingSettings
        fields = [*(f"weight_{part}" for part in PARTS), "cycle_months"]
        error_messages = {
            **{f"weight_{p}": _errors(f"{PART_LABELS[p]} weight") for p in PARTS},
            "cycle_months": {
                "required": "Enter how many months a cycle lasts",
                "invalid": "Months in a cycle must be a whole number, like 6",
            },
        }

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.initial["version"] = self.instance.version
        self.fields["cycle_months"].widget.attrs["inputmode"] = "numeric"
        for part in PARTS:
            self.fields[f"weight_{part}"].widget.attrs["inputmode"] = "decimal"

    def clean_cycle_months(self) -> int:
        months: int = self.cleaned_data["cycle_months"]
        if not 1 <= months <= 24:
            raise forms.ValidationError("Months in a cycle must be between 1 and 24")
        return months

    def clean(self) -> dict[str, Any]:
        super().clean()
        cleaned = self.cleaned_data
        weights: dict[str, Decimal] = {}
        for part in PARTS:
            name = f"weight_{part}"
            value = cleaned.get(name)
            if value is None:
                continue
            if value < 0:
                self.add_error(name, f"{PART_LABELS[part]} weight must be 0 or more")
            else:
                weights[part] = value
        if len(weights) == len(PARTS) and sum(weights.values()) == 0:
            self.add_error(
                f"weight_{PARTS[0]}",
                "Give at least one part a weight more than 0, or nothing can be ranked",
            )
        return cleaned

    def weights(self) -> dict[str, Decimal]:
        return {part: self.cleaned_data[f"weight_{part}"] for part in PARTS}
