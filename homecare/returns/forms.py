"""The return's question pages, one form a page, and the commissioner's
reopening form. A draft may leave questions blank; what is given must make
sense, and each error names its field in words a provider uses."""

from __future__ import annotations

from dataclasses import dataclass
from decimal import Decimal
from typing import Any

from django import forms

from contracts.models import Lot
from homecare.returns.models import ProviderReturn
from homecare.returns.services import ANSWER_FIELDS


@dataclass(frozen=True)
class Section:
    slug: str
    title: str
    fields: tuple[str, ...]
    intro: str = ""


SECTIONS = (
    Section(
        "complaints",
        "Complaints, compliments and safeguarding",
        (
            "complaints_received",
            "complaints_upheld",
            "compliments",
            "safeguarding_concerns",
            "incidents",
        ),
        "Count those about care the council pays for, received during the month.",
    ),
    Section(
        "workforce",
        "Care workers",
        (
            "care_workers_headcount",
            "care_workers_fte",
            "starters",
            "leavers",
            "vacancies",
            "agency_hours_share",
        ),
        "Care workers are the staff who visit people; leave out office staff.",
    ),
    Section(
        "pay",
        "Pay and conditions",
        (
            "lowest_hourly_pay",
            "median_hourly_pay",
            "zero_hours_share",
            "travel_time_paid",
            "care_certificate_completions",
        ),
        "Hourly pay before tax, as at the end of the month.",
    ),
    Section(
        "capacity",
        "Spare capacity",
        (),
        "The extra hours of care a week you could start within two weeks, in each lot.",
    ),
    Section("comment", "Anything else", ("comment",)),
)
SECTION_BY_SLUG = {section.slug: section for section in SECTIONS}
WHOLE = "{label} must be a whole number, like 3"
NUMBER = "{label} must be a number, like {example}"
EXAMPLES = {
    "care_workers_fte": "42.5",
    "agency_hours_share": "5",
    "zero_hours_share": "20",
    "lowest_hourly_pay": "12.60",
    "median_hourly_pay": "13.10",
}


class SectionForm(forms.ModelForm):
    """A page of questions: the fields of one Section, all optional in a draft."""

    travel_time_paid = forms.TypedChoiceField(
        label="Is travel time paid?",
        choices=[("yes", "Yes"), ("no", "No")],
        coerce=lambda value: value == "yes",
        empty_value=None,
        required=False,
        widget=forms.RadioSelect,
        help_text="Paid travel time between visits, as the Ethical Care Charter asks.",
    )

    class Meta:
        model = ProviderReturn
        fields = list(ANSWER_FIELDS)

    def __init__(self, *args: Any, section: Section, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        for name in list(self.fields):
            if name not in section.fields:
                del self.fields[name]
        for name, field in self.fields.items():
            field.required = False
            label = str(field.label)
            if isinstance(field, forms.IntegerField):
                field.min_value = 0
                field.error_messages["invalid"] = WHOLE.format(label=label)
                field.error_messages["min_value"] = f"{label} must be 0 or more"
            elif isinstance(field, forms.DecimalField):
                field.error_messages["invalid"] = NUMBER.format(
                    label=label, example=EXAMPLES.get(name, "3")
                )
                field.error_messages["max_decimal_places"] = (
                    f"{label} must have 2 decimal places or fewer"
                )
                field.error_messages["max_digits"] = f"{label} is too large"
                field.error_messages["max_whole_digits"] = f"{label} is too large"
        if "travel_time_paid" in self.fields and self.instance.travel_time_paid is not None:
            self.initial["travel_time_paid"] = "yes" if self.instance.travel_time_paid else "no"

    def clean(self) -> dict[str, Any]:
        cleaned = super().clean() or {}
        for name in ("agency_hours_share", "zero_hours_share"):
            value = cleaned.get(name)
            if value is not None and not Decimal(0) <= value <= Decimal(100):
                self.add_error(name, f"{self.fields[name].label} must be between 0 and 100")
        for name in ("care_workers_fte", "lowest_hourly_pay", "median_hourly_pay"):
            value = cleaned.get(name)
            if value is not None and value < 0:
                self.add_error(name, f"{self.fields[name].label} must be 0 or more")
        received, upheld = cleaned.get("complaints_received"), cleaned.get("complaints_upheld")
        if received is not None and upheld is not None and upheld > received:
            self.add_error(
                "complaints_upheld", "Complaints upheld cannot be more than complaints received"
            )
        lowest, median = cleaned.get("lowest_hourly_pay"), cleaned.get("median_hourly_pay")
        if lowest is not None and median is not None and lowest > median:
            self.add_error(
                "lowest_hourly_pay", "Lowest hourly pay cannot be more than the median hourly pay"
            )
        return cleaned

    def answers(self) -> dict[str, Any]:
        return {name: self.cleaned_data.get(name) for name in self.fields}


class CapacityForm(forms.Form):
    """Spare hours a week in each of the provider's lots; blank is no answer."""

    def __init__(
        self, *args: Any, lots: list[Lot], current: dict[int, Decimal], **kwargs: Any
    ) -> None:
        super().__init__(*args, **kwargs)
        self.lots = lots
        for lot in lots:
            self.fields[f"lot_{lot.pk}"] = forms.DecimalField(
                label=f"Spare hours a week in {lot.name}",
                required=False,
                min_value=0,
                max_digits=8,
                decimal_places=1,
                initial=current.get(lot.pk),
                help_text="For example 40 or 12.5. Enter 0 if you have none.",
                error_messages={
                    "invalid": f"Spare hours a week in {lot.name} must be a number, like 40",
                    "min_value": f"Spare hours a week in {lot.name} must be 0 or more",
                    "max_decimal_places": (
                        f"Spare hours a week in {lot.name} must have 1 decimal place or fewer"
                    ),
                    "max_digits": f"Spare hours a week in {lot.name} is too large",
                    "max_whole_digits": f"Spare hours a week in {lot.name} is too large",
                },
            )

    def capacity(self) -> dict[int, Decimal | None]:
        return {lot.pk: self.cleaned_data.get(f"lot_{lot.pk}") for lot in self.lots}


class ReopenForm(forms.Form):
    reason = forms.CharField(
        label="Why are you reopening this return?",
        help_text="The provider sees this reason, and it stays in the return's history.",
        max_length=2000,
        widget=forms.Textarea(attrs={"rows": 4}),
        error_messages={"required": "Enter the reason for reopening the return"},
    )
