"""Filters for the market table and a provider's visits list."""

from __future__ import annotations

import calendar
from typing import Any

import django_filters
from django.db.models import QuerySet

from common.months import Month
from contracts.models import Framework, Lot
from homecare.dashboards import rag, selectors
from providers.models import CqcRating, Provider, ProviderStatus
from visits.models import Visit

RAG_CHOICES = [(key, rag.STATUS_LABELS[key]) for key in (rag.RED, rag.AMBER, rag.GREEN)]


class MarketFilter(django_filters.FilterSet):
    name = django_filters.CharFilter(label="Provider name", lookup_expr="icontains")
    lot = django_filters.ModelChoiceFilter(
        label="Lot",
        field_name="contracts__lot",
        queryset=Lot.objects.select_related("framework"),
        empty_label="Any lot",
        distinct=True,
    )
    framework = django_filters.ModelChoiceFilter(
        label="Framework",
        field_name="contracts__lot__framework",
        queryset=Framework.objects.all(),
        empty_label="Any framework",
        distinct=True,
    )
    cqc_rating = django_filters.ChoiceFilter(
        label="CQC rating", choices=CqcRating.choices, empty_label="Any rating"
    )
    # The status is worked out from stored figures after the query, so this
    # filter only validates; the view applies it to the rows.
    rag = django_filters.ChoiceFilter(
        label="Overall RAG status",
        choices=RAG_CHOICES,
        empty_label="Any status",
        method="keep_all",
    )

    class Meta:
        model = Provider
        fields = ["name", "lot", "framework", "cqc_rating", "rag"]

    def keep_all(self, queryset: QuerySet, name: str, value: Any) -> QuerySet:
        return queryset

    @property
    def rag_status(self) -> str:
        if not self.is_bound or not self.form.is_valid():
            return ""
        return self.form.cleaned_data.get("rag") or ""


KIND_CHOICES = [
    (selectors.LATE, "Late"),
    (selectors.MISSED, "Missed"),
    (selectors.SHORT, "Short"),
    (selectors.TIME_CRITICAL_OUTSIDE, "Time-critical, outside the window"),
    (selectors.UP_TO_15, "Planned for 15 minutes or less"),
    (selectors.MISSED_ALONE_NO_CAPACITY, "Missed, living alone and lacking capacity"),
]


class VisitFilter(django_filters.FilterSet):
    kind = django_filters.ChoiceFilter(
        label="Show", choices=KIND_CHOICES, empty_label="All visits", method="of_kind"
    )
    carer = django_filters.CharFilter(label="Care worker ref", method="of_carer")
    person = django_filters.CharFilter(label="Person ref", field_name="person__ref")
    day = django_filters.ChoiceFilter(
        label="Day", field_name="planned_date", empty_label="Any day", choices=[]
    )

    class Meta:
        model = Visit
        fields = ["kind", "carer", "person", "day"]

    def __init__(self, *args: Any, month: Month, **kwargs: Any) -> None:
        self.month = month
        super().__init__(*args, **kwargs)
        days = range(1, calendar.monthrange(month.first.year, month.first.month)[1] + 1)
        self.filters["day"].extra["choices"] = [
            (d.isoformat(), d.strftime("%a %-d %B"))
            for d in (month.first.replace(day=n) for n in days)
        ]

    def of_kind(self, queryset: QuerySet[Visit], name: str, value: str) -> QuerySet[Visit]:
        return queryset.filter(selectors.visit_kind(value, self.month)) if value else queryset

    def of_carer(self, queryset: QuerySet[Visit], name: str, value: str) -> QuerySet[Visit]:
        return queryset.filter(selectors.by_carer(value)) if value.strip() else queryset


def by_status(rows: list[dict[str, Any]], status: str) -> list[dict[str, Any]]:
    return [row for row in rows if row["overall"] == status] if status else rows


class ProviderFilter(django_filters.FilterSet):
    name = django_filters.CharFilter(label="Name", lookup_expr="icontains")
    status = django_filters.ChoiceFilter(
        label="Status", choices=ProviderStatus.choices, empty_label="Any status"
    )
    cqc_rating = django_filters.ChoiceFilter(
        label="CQC rating", choices=CqcRating.choices, empty_label="Any rating"
    )

    class Meta:
        model = Provider
        fields = ["name", "status", "cqc_rating"]
