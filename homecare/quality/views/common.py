"""What the quality pages share: today's date and the error summary."""

from __future__ import annotations

import datetime as dt

from django import forms
from django.utils import timezone


def local_today() -> dt.date:
    return timezone.localdate()


def error_list(form: forms.Form | None) -> list[tuple[str, str]]:
    """(anchor, message) pairs for the error summary, in the form's field order."""
    if form is None or not form.is_bound:
        return []
    found = [("main-content", str(e)) for e in form.non_field_errors()]
    for name, field in form.fields.items():
        bound = form[name]
        anchor = bound.auto_id
        if isinstance(field.widget, forms.RadioSelect):
            anchor = f"{bound.auto_id}_0"
        found += [(anchor, str(e)) for e in bound.errors]
    return found
