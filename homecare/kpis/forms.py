from __future__ import annotations

from typing import Any

from django import forms

from homecare.kpis.models import KpiThresholds
from homecare.kpis.thresholds import DEFAULT, FIELDS
from homecare.ui.forms import VersionField


class KpiThresholdsForm(forms.ModelForm):
    """A lot's or a contract's KPI thresholds; a blank field inherits (contract >
    lot > default). The lot or contract is fixed by the view, not the form."""

    version = VersionField()

    class Meta:
        model = KpiThresholds
        fields = list(FIELDS)

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        for name in FIELDS:
            self.fields[name].required = False
            self.fields[name].widget.attrs.setdefault("placeholder", str(getattr(DEFAULT, name)))
        self.initial["version"] = self.instance.version

    def clean(self) -> dict[str, Any]:
        super().clean()
        cleaned = self.cleaned_data
        late, missed = cleaned.get("late_after_minutes"), cleaned.get("missed_after_minutes")
        if late is not None and missed is not None and missed < late:
            self.add_error(
                "missed_after_minutes",
                f"Missed after must be at least the late threshold ({late} minutes)",
            )
        return cleaned
