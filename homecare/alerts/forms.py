"""The alerts page's filter (read from the query string: a bad value is a
400 page, homecare/ui/query.py) and the daily e-mail preference."""

from __future__ import annotations

from typing import Any

from django import forms

from homecare.ui.query import QueryForm
from providers.models import Provider

UNREAD, READ, ALL = "unread", "read", "all"
SHOW_CHOICES = [(UNREAD, "Unread"), (READ, "Read"), (ALL, "All")]


class AlertFilterForm(QueryForm):
    provider = forms.ModelChoiceField(
        queryset=Provider.objects.none(),
        required=False,
        to_field_name="ref",
        empty_label="All providers",
        error_messages={"invalid_choice": "Choose a provider from the list"},
    )
    show = forms.ChoiceField(
        label="Show",
        choices=SHOW_CHOICES,
        required=False,
        error_messages={"invalid_choice": "Choose unread, read or all alerts"},
    )

    def __init__(self, *args: Any, providers: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        field = self.fields["provider"]
        assert isinstance(field, forms.ModelChoiceField)
        field.queryset = providers
        field.label_from_instance = lambda provider: provider.name  # type: ignore[method-assign,assignment]


class DigestForm(forms.Form):
    daily_digest = forms.BooleanField(
        label="Send me a daily e-mail of new alerts",
        required=False,
        help_text="One e-mail each morning listing the alerts raised since the last one, "
        "if there are any. Untick to stop it.",
    )
