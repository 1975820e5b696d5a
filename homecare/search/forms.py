"""The search box: one field, checked so a bad query is a message on the
page, never a server error."""

from __future__ import annotations

from django import forms

from homecare.search.selectors import MAX_LENGTH, MIN_LENGTH


class SearchForm(forms.Form):
    q = forms.CharField(
        label="Search providers, care packages, people and visits",
        help_text="A provider's name or council ref, a care package ref, a person ref "
        "or an ECM visit id",
        min_length=MIN_LENGTH,
        max_length=MAX_LENGTH,
        error_messages={
            "required": "Enter a name or a reference to search for",
            "min_length": f"Enter at least {MIN_LENGTH} characters to search for",
            "max_length": f"Enter no more than {MAX_LENGTH} characters to search for",
            "null_characters_not_allowed": "Enter letters, numbers and spaces only",
        },
    )

    def clean_q(self) -> str:
        # Runs of spaces (a ref pasted from a spreadsheet) count as one.
        return " ".join(str(self.cleaned_data["q"]).split())
