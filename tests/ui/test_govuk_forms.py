"""The GOV.UK form renderer and date input of homecare/ui/forms.py."""

from __future__ import annotations

import datetime as dt

import pytest
from django import forms

from homecare.ui.forms import GovukDateField, error_list


class VisitForm(forms.Form):
    visit_date = GovukDateField(label="Visit date")
    notes = forms.CharField(label="Notes", required=False, help_text="Do not include names.")


@pytest.mark.parametrize(
    ("day", "month", "year", "message", "anchor"),
    [
        ("", "", "", "Enter visit date", "id_visit_date_day"),
        ("5", "", "2026", "Visit date must include a month", "id_visit_date_month"),
        ("", "", "2026", "Visit date must include a day and month", "id_visit_date_day"),
        ("31", "2", "2026", "Visit date must be a real date", "id_visit_date_day"),
        ("5", "10", "26", "Visit date must be a real date", "id_visit_date_day"),
        ("x", "10", "2026", "Visit date must be a real date", "id_visit_date_day"),
    ],
)
def test_a_date_that_is_not_whole_says_what_is_missing(day, month, year, message, anchor):
    form = VisitForm({"visit_date_day": day, "visit_date_month": month, "visit_date_year": year})
    assert not form.is_valid()
    assert form.errors["visit_date"] == [message]
    assert error_list(form) == [(anchor, message)]


def test_a_whole_date_is_a_date_and_shows_again_in_its_boxes():
    form = VisitForm({"visit_date_day": "5", "visit_date_month": "10", "visit_date_year": "2026"})
    assert form.is_valid() and form.cleaned_data["visit_date"] == dt.date(2026, 10, 5)
    html = str(
        VisitForm(initial={"visit_date": dt.date(2026, 3, 7)})["visit_date"].as_field_group()
    )
    for part, value in (("day", "7"), ("month", "3"), ("year", "2026")):
        box = f'id="id_visit_date_{part}" name="visit_date_{part}" type="text" inputmode="numeric"'
        assert f'{box} value="{value}"' in html
    assert 'type="date"' not in html and "<legend" in html


def test_every_field_renders_with_label_hint_and_error_linked():
    form = VisitForm({"visit_date_day": "", "notes": "x"})
    form.is_valid()
    form.add_error("notes", "Notes must be longer")
    html = str(form)
    assert '<label class="govuk-label" for="id_notes">Notes</label>' in html
    assert '<div id="id_notes-hint" class="govuk-hint">Do not include names.</div>' in html
    assert 'aria-describedby="id_notes-hint id_notes-error"' in html
    assert '<span class="govuk-visually-hidden">Error:</span> Notes must be longer' in html
    assert "govuk-form-group--error" in html
