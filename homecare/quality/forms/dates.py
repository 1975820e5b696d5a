"""The date input used by the quality forms."""

from __future__ import annotations

import datetime as dt
from typing import Any

from django import forms


class DateInput(forms.DateInput):
    input_type = "date"

    def format_value(self, value: Any) -> str | None:
        # The browser's date input wants ISO dates whatever the locale.
        if isinstance(value, dt.date):
            return value.isoformat()
        return value
