"""Forms of the market oversight: a register entry and a capacity declaration.
Messages follow the GOV.UK Design System: say what is wrong and how to fix it."""

from __future__ import annotations

import datetime as dt
from typing import Any

from django import forms
from django.contrib.auth.models import User
from django.db.models import QuerySet

from contracts.models import Lot
from homecare.market.models import RiskStatus
from providers.access import COUNCIL_ROLES


def council_users() -> QuerySet[User]:
    return (
        User.objects.filter(is_active=True, groups__name__in=COUNCIL_ROLES)
        .distinct()
        .order_by("username")
    )


class OwnerField(forms.ModelChoiceField):
    def label_from_instance(self, obj: Any) -> str:
        return str(obj.get_full_name() or obj.username)


class LotField(forms.ModelChoiceField):
    def label_from_instance(self, obj: Any) -> str:
        return str(obj.name)


class RiskEntryForm(forms.Form):
    status = forms.ChoiceField(
        label="Status",
        choices=RiskStatus.choices,
        error_messages={"required": "Select a status"},
    )
    reasons = forms.CharField(
        label="Reasons",
        help_text="Why the provider has this status: the evidence and what was decided.",
        widget=forms.Textarea(attrs={"rows": 4}),
        max_length=4000,
        error_messages={"required": "Enter the reasons for this status"},
    )
    owner = OwnerField(
        label="Owner",
        queryset=User.objects.none(),
        error_messages={"required": "Select who owns this entry"},
    )
    next_review = forms.DateField(
        label="Next review date",
        help_text="For example, 27 3 2027 is written 2027-03-27.",
        error_messages={
            "required": "Enter the next review date",
            "invalid": "Next review date must be a real date, like 2027-03-27",
        },
    )
    suggestion = forms.CharField(required=False, widget=forms.HiddenInput, max_length=300)

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        owner = self.fields["owner"]
        assert isinstance(owner, forms.ModelChoiceField)
        owner.queryset = council_users()

    def clean_next_review(self) -> dt.date:
        day: dt.date = self.cleaned_data["next_review"]
        if day < dt.date.today():
            raise forms.ValidationError("Next review date must be today or in the future")
        return day


class CapacityForm(forms.Form):
    lot = LotField(
        label="Lot",
        queryset=Lot.objects.none(),
        error_messages={"required": "Select the lot"},
    )
    spare_weekly_hours = forms.DecimalField(
        label="Spare hours a week",
        help_text="Hours of care a week you could take on in this lot from today.",
        min_value=0,
        max_digits=7,
        decimal_places=2,
        error_messages={
            "required": "Enter the spare hours a week",
            "invalid": "Spare hours a week must be a number, like 35 or 12.5",
            "min_value": "Spare hours a week must be 0 or more",
            "max_digits": "Spare hours a week must be less than 100,000",
            "max_decimal_places": "Spare hours a week can have at most 2 decimal places",
        },
    )

    def __init__(self, *args: Any, lots: QuerySet[Lot], **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        lot = self.fields["lot"]
        assert isinstance(lot, forms.ModelChoiceField)
        lot.queryset = lots
