from __future__ import annotations

from django import forms

DAYS = [("30", "30 days"), ("90", "90 days"), ("365", "1 year")]


class TokenForm(forms.Form):
    name = forms.CharField(
        label="Name the token",
        help_text="Say what will use it, for example “ECM system, live”.",
        max_length=100,
        error_messages={"required": "Enter a name for the token"},
    )
    days = forms.TypedChoiceField(
        label="How long it works",
        choices=DAYS,
        coerce=int,
        initial="90",
        widget=forms.RadioSelect,
        error_messages={"required": "Choose how long the token works"},
    )
