"""GOV.UK form rendering in one place (issue 11).

`GovukRenderer` is the project's FORM_RENDERER: every form field renders
through homecare/ui/templates/govuk/field.html (label, hint, error message and
the input, per the GOV.UK Design System), as `{{ form.name.as_field_group }}`
or `{{ form }}`; pages put `{% error_summary form %}` (homecare/ui/templatetags)
at the top. `GovukDateField` is the GOV.UK date input: day, month and year
boxes, never the browser's date picker.

Per-field presentation, where a page needs it, goes in the widget's attrs
under `govuk_` keys (`govuk_label_class`, `govuk_legend_class`, `govuk_width`,
`govuk_inline`, `govuk_hint_html`); other attrs (autocomplete, inputmode,
spellcheck) are written on the input.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterable
from typing import Any

from django import forms
from django.core.exceptions import ValidationError
from django.forms.boundfield import BoundField
from django.forms.renderers import DjangoTemplates
from django.http import QueryDict

PARTS = ("day", "month", "year")
INPUT_ATTRS = ("autocomplete", "autocapitalize", "inputmode", "spellcheck", "accept", "rows")


class GovukDateWidget(forms.MultiWidget):
    """Three text boxes named <name>_day, <name>_month and <name>_year."""

    def __init__(self, attrs: dict[str, Any] | None = None) -> None:
        numeric = {"inputmode": "numeric"}
        super().__init__({part: forms.TextInput(numeric) for part in PARTS}, attrs)

    def decompress(self, value: Any) -> list[Any]:
        if isinstance(value, dt.date):
            return [value.day, value.month, value.year]
        return [None, None, None]


class GovukDateField(forms.MultiValueField):
    """A date from day, month and year boxes, with the GOV.UK messages:
    "Enter <name>", "<Name> must include a month", "<Name> must be a real date".
    The error's `part` says which box to highlight and link to."""

    widget = GovukDateWidget

    def __init__(self, *, name_in_errors: str = "", **kwargs: Any) -> None:
        self.name_in_errors = name_in_errors
        # Only messages the form gives replace GOV.UK's wording, not Django's defaults.
        self.given_messages: dict[str, str] = dict(kwargs.get("error_messages") or {})
        parts = [forms.CharField(required=False) for _ in PARTS]
        super().__init__(fields=parts, require_all_fields=False, **kwargs)

    def _name(self) -> str:
        return self.name_in_errors or str(self.label or "The date")

    def compress(self, data_list: list[Any]) -> dt.date | None:
        return None  # clean() below makes the date, with a message for each way it fails

    def clean(self, value: Any) -> dt.date | None:
        values = [str(v or "").strip() for v in (value or ["", "", ""])]
        name = self._name()
        if not any(values):
            if self.required:
                message = f"Enter {name[:1].lower()}{name[1:]}"
                raise ValidationError(
                    self.given_messages.get("required") or message,
                    code="required",
                    params={"part": "day"},
                )
            return None
        missing = [part for part, v in zip(PARTS, values, strict=True) if not v]
        if missing:
            raise ValidationError(
                f"{name} must include a {' and '.join(missing)}",
                code="incomplete",
                params={"part": missing[0]},
            )
        day, month, year = values
        try:
            if len(year) != 4:
                raise ValueError
            found = dt.date(int(year), int(month), int(day))
        except ValueError:
            raise ValidationError(
                self.given_messages.get("invalid") or f"{name} must be a real date",
                code="invalid",
                params={"part": "day"},
            ) from None
        self.run_validators(found)
        return found


def _kind(widget: forms.Widget) -> str:
    """Which GOV.UK component draws the widget."""
    if isinstance(widget, GovukDateWidget):
        return "date"
    if isinstance(widget, forms.RadioSelect):
        return "radios"
    if isinstance(widget, forms.CheckboxSelectMultiple):
        return "checkboxes"
    if isinstance(widget, forms.CheckboxInput):
        return "checkbox"
    if isinstance(widget, forms.Textarea):
        return "textarea"
    if isinstance(widget, forms.Select):
        return "select"
    if isinstance(widget, forms.FileInput):
        return "file"
    if isinstance(widget, forms.HiddenInput):
        return "hidden"
    return "input"


def _error_parts(bound: BoundField) -> set[str]:
    """The date boxes to highlight: the part each error names (all, if none does)."""
    errors = bound.form.errors.as_data().get(bound.name, [])
    parts = {str((e.params or {}).get("part", "")) for e in errors}
    return {p for p in parts if p in PARTS} if parts - {""} else set(PARTS)


class GovukBoundField(BoundField):
    """A bound field that knows how GOV.UK draws it (see govuk/field.html)."""

    def get_context(self) -> dict[str, Any]:
        context = super().get_context()
        widget = self.field.widget
        attrs = widget.attrs
        kind = _kind(widget)
        described = [f"{self.auto_id}-hint"] if self.help_text else []
        if self.errors:
            described.append(f"{self.auto_id}-error")
        context.update(
            kind=kind,
            id=self.auto_id,
            described_by=" ".join(described),
            label_class=attrs.get("govuk_label_class", ""),
            legend_class=attrs.get("govuk_legend_class", "govuk-fieldset__legend--s"),
            width_class=attrs.get("govuk_width", ""),
            inline=attrs.get("govuk_inline", False),
            # Only what helps people fill the box in; never placeholders or autofocus.
            input_attrs={k: v for k, v in attrs.items() if k in INPUT_ATTRS},
        )
        if kind == "input":
            context["input_type"] = {"password": "password", "email": "email"}.get(
                widget.input_type if isinstance(widget, forms.widgets.Input) else "", "text"
            )
            if isinstance(widget, forms.NumberInput):
                context["input_attrs"].setdefault("inputmode", "numeric")
                context["width_class"] = context["width_class"] or "govuk-input--width-5"
            shown = self.value()
            if isinstance(widget, forms.PasswordInput) and not widget.render_value:
                shown = None
            context["value"] = "" if shown is None else shown
        elif kind in ("radios", "checkboxes", "select"):
            chosen = self.value()
            chosen_set = {str(v) for v in chosen} if isinstance(chosen, list) else {str(chosen)}
            context["choices"] = [
                {
                    "value": value,
                    "label": label,
                    "id": f"{self.auto_id}_{index}",
                    "checked": str(value) in chosen_set,
                }
                # The widget's choices: a form may offer fewer than the field accepts.
                for index, (value, label) in enumerate(widget.choices)
            ]
        elif kind == "date":
            in_error = _error_parts(self) if self.errors else set()
            values = self.value()
            if not isinstance(values, list | tuple):
                values = widget.decompress(values)
            context["parts"] = [
                {
                    "name": f"{self.html_name}_{part}",
                    "id": f"{self.auto_id}_{part}",
                    "label": part.capitalize(),
                    "value": "" if value in (None, "") else value,
                    "width": "govuk-input--width-4" if part == "year" else "govuk-input--width-2",
                    "error": part in in_error,
                }
                for part, value in zip(PARTS, values, strict=True)
            ]
        else:
            context["value"] = self.value()
        return context


class VersionField(forms.IntegerField):
    """The version of the record a form shows (common/concurrency.py), sent back
    in a hidden input so the service can tell if someone saved in between."""

    widget = forms.HiddenInput

    def __init__(self, **kwargs: Any) -> None:
        super().__init__(required=False, min_value=0, **kwargs)


def show_version(form: forms.BaseForm, version: int, name: str = "version") -> None:
    """After a conflict (or any save), the form shows the record's current
    version: saving again is then a decision taken knowing the other change."""
    if form.is_bound:
        key = form.add_prefix(name)
        if isinstance(form.data, QueryDict):
            data = form.data.copy()  # a QueryDict keeps every value of a repeated key
            data[key] = str(version)
            form.data = data
        else:
            form.data = {**form.data, key: str(version)}
    form.initial[name] = version


class GovukRenderer(DjangoTemplates):
    form_template_name = "govuk/form.html"
    field_template_name = "govuk/field.html"
    bound_field_class = GovukBoundField


def error_anchor(bound: BoundField, error: ValidationError | None = None) -> str:
    """Where a message in the error summary links: the input to fix first."""
    kind = _kind(bound.field.widget)
    if kind in ("radios", "checkboxes"):
        return f"{bound.auto_id}_0"
    if kind == "date":
        part = str(((error.params if error else None) or {}).get("part") or "day")
        return f"{bound.auto_id}_{part}"
    return str(bound.auto_id)


def error_list(*forms_: forms.BaseForm | None) -> list[tuple[str, str]]:
    """(anchor, message) for the error summary, form by form, field by field."""
    found: list[tuple[str, str]] = []
    for form in forms_:
        if form is None or not form.is_bound:
            continue
        # An error about the form as a whole links to its first field, where to start.
        visible = form.visible_fields()
        first = error_anchor(visible[0]) if visible else "main-content"
        found += [(first, str(e)) for e in form.non_field_errors()]
        data = form.errors.as_data()
        for name in form.fields:
            for error in data.get(name, []):
                for message in error.messages:
                    found.append((error_anchor(form[name], error), message))
    return found


def all_errors(items: Iterable[Any]) -> list[tuple[str, str]]:
    """The error summary's list for a template argument: forms or ready pairs."""
    found: list[tuple[str, str]] = []
    for item in items:
        if isinstance(item, forms.BaseForm):
            found += error_list(item)
        elif item:
            found += list(item)
    return found
