"""django-tables2 tables of the dashboards, drawn by templates/tables/govuk_table.html.
Each cell's `value` (used for the CSV export) is its visible text, so a
downloaded file matches the table on screen row for row; the CSV also carries
the columns hidden on screen (visible=False) to keep the table narrow."""

from __future__ import annotations

from typing import Any

import django_tables2 as tables
from django.urls import reverse
from django.utils.html import format_html

from homecare.dashboards import rag
from homecare.kpis.registry import KPIS
from homecare.ui.tables import LINK, NUMERIC
from providers.models import Provider
from visits.models import Visit


def rag_tag(status: str) -> str:
    return format_html(
        '<strong class="govuk-tag {}">{}</strong>',
        rag.STATUS_TAGS[status],
        rag.STATUS_LABELS[status],
    )


class RatingColumn(tables.Column):
    """A measure's figure with its stored RAG status; sorts by the figure."""

    def __init__(self, measure: rag.Measure, **kwargs: Any) -> None:
        self.measure = measure
        super().__init__(verbose_name=measure.label, accessor=measure.key, attrs=NUMERIC, **kwargs)

    def render(self, record: dict[str, Any]) -> str:
        rating = record["ratings"][self.measure.key]
        return format_html(
            '<span class="app-nowrap">{} {}</span>', rating.display, rag_tag(rating.status)
        )

    def value(self, record: dict[str, Any]) -> str:
        # The figure alone: its status is a column of its own in the downloads,
        # so a spreadsheet reads the figure as a number it can sort and sum.
        return str(record["ratings"][self.measure.key].display)


class StatusColumn(tables.Column):
    """A measure's RAG status, for the downloads only (on screen it is the tag
    beside the figure)."""

    def __init__(self, measure: rag.Measure, **kwargs: Any) -> None:
        self.measure = measure
        super().__init__(
            verbose_name=f"{measure.label} RAG status",
            accessor=measure.key,
            visible=False,
            orderable=False,
            empty_values=(),  # a figure with nothing to measure has a status too
            **kwargs,
        )

    def value(self, record: dict[str, Any]) -> str:
        return str(record["ratings"][self.measure.key].label)


# The measures the market table shows on screen: the ones commissioners scan
# the market by. The others are on each provider's dashboard, and every
# measure is in the CSV download (the GOV.UK way with a wide table: fewer
# columns, the rest a click away, so the table fits a 1280 px screen).
ON_SCREEN = ("late_visit_rate", "missed_visit_rate", "six_week_reviews_overdue")


class MarketTable(tables.Table):
    caption = "Providers this month"

    name = tables.Column(verbose_name="Provider", attrs=LINK)
    ref = tables.Column(verbose_name="Council ref", visible=False)
    lots = tables.Column(verbose_name="Lots", empty_values=(), visible=False)
    cqc_rating = tables.Column(verbose_name="CQC rating", empty_values=())
    people_supported = tables.Column(verbose_name=KPIS["people_supported"].label, attrs=NUMERIC)
    overall = tables.Column(verbose_name="Overall", order_by=("overall_rank",))

    class Meta:
        empty_text = "No providers match."
        order_by = ("name",)

    def __init__(self, data: list[dict[str, Any]], *, month_key: str, **kwargs: Any) -> None:
        self.month_key = month_key
        extra: list[tuple[str, tables.Column]] = []
        for m in rag.MEASURE_LIST:
            extra.append((m.key, RatingColumn(m, visible=m.key in ON_SCREEN)))
            extra.append((f"{m.key}_status", StatusColumn(m)))
        # Each measure's status beside it; overall last, after the measures it sums up.
        sequence = ["name", "ref", "lots", "cqc_rating", "people_supported"]
        sequence += [key for key, _ in extra] + ["overall"]
        super().__init__(data, extra_columns=extra, sequence=sequence, **kwargs)

    @property
    def figure_columns(self) -> list[str]:
        """The headings of the columns whose cells are figures (for .xlsx)."""
        return [str(KPIS["people_supported"].label)] + [str(m.label) for m in rag.MEASURE_LIST]

    def render_name(self, record: dict[str, Any]) -> str:
        url = reverse("provider-dashboard", args=[record["ref"]]) + f"?month={self.month_key}"
        return format_html('<a class="govuk-link" href="{}">{}</a>', url, record["name"])

    def value_name(self, record: dict[str, Any]) -> str:
        return record["name"]

    def render_lots(self, value: str) -> str:
        return value or "None"

    def value_lots(self, value: str) -> str:
        return value or "None"

    def render_cqc_rating(self, record: dict[str, Any]) -> str:
        return record["cqc_label"]

    def value_cqc_rating(self, record: dict[str, Any]) -> str:
        return record["cqc_label"]

    def render_people_supported(self, record: dict[str, Any]) -> str:
        return record["people_supported_text"]

    def value_people_supported(self, record: dict[str, Any]) -> str:
        return record["people_supported_text"]

    def render_overall(self, value: str) -> str:
        return rag_tag(value)

    def value_overall(self, value: str) -> str:
        return rag.STATUS_LABELS[value]


class VisitTable(tables.Table):
    caption = "Visits"
    compact = True  # nine columns: 16px type (templates/tables/govuk_table.html)

    planned_start = tables.DateTimeColumn(verbose_name="Planned start", format="D j M H:i")
    person = tables.Column(verbose_name="Person", accessor="person__ref")
    package = tables.Column(verbose_name="Care package", accessor="package__ref")
    status = tables.Column(verbose_name="Status")
    actual_start = tables.DateTimeColumn(
        verbose_name="Actual start", format="H:i", empty_values=(None,)
    )
    minutes_late = tables.Column(
        verbose_name="Minutes late", empty_values=(), orderable=False, attrs=NUMERIC
    )
    minutes = tables.Column(
        verbose_name="Minutes, planned / actual", empty_values=(), orderable=False, attrs=NUMERIC
    )
    carers = tables.Column(verbose_name="Care workers", empty_values=(), orderable=False)
    ecm_verified = tables.BooleanColumn(verbose_name="ECM verified", yesno="Yes,No")

    class Meta:
        model = Visit
        fields = ("planned_start", "status", "actual_start", "ecm_verified")
        sequence = (
            "planned_start",
            "person",
            "package",
            "status",
            "actual_start",
            "minutes_late",
            "minutes",
            "carers",
            "ecm_verified",
        )
        empty_text = "No visits match."

    def render_actual_start(self, value: Any) -> str:
        from django.utils import timezone

        return timezone.localtime(value).strftime("%H:%M") if value else "Not delivered"

    def render_minutes_late(self, record: Visit) -> str:
        if not record.actual_start:
            return "–"
        late = (record.actual_start - record.planned_start).total_seconds() / 60
        return f"{late:.0f}" if late > 0 else "0"

    def render_minutes(self, record: Visit) -> str:
        planned = (record.planned_end - record.planned_start).total_seconds() / 60
        if record.actual_start and record.actual_end:
            actual = (record.actual_end - record.actual_start).total_seconds() / 60
            return f"{planned:.0f} / {actual:.0f}"
        return f"{planned:.0f} / –"

    def render_carers(self, record: Visit) -> str:
        # Prefetched: one query for the page, not one per row.
        return ", ".join(sorted(w.ref for w in record.care_workers.all())) or "None"


class ProviderTable(tables.Table):
    caption = "Providers"

    name = tables.Column(verbose_name="Name", linkify=("provider", [tables.A("ref")]), attrs=LINK)
    ref = tables.Column(verbose_name="Council ref")
    status = tables.Column(verbose_name="Status")
    cqc_rating = tables.Column(verbose_name="CQC rating", empty_values=(None, ""))
    contract_count = tables.Column(verbose_name="Contracts", attrs=NUMERIC)
    package_count = tables.Column(verbose_name="Care packages", attrs=NUMERIC)

    class Meta:
        model = Provider
        # Only the declared columns: a model table would otherwise add every field.
        fields = ("name", "ref", "status", "cqc_rating")
        sequence = ("name", "ref", "status", "cqc_rating", "contract_count", "package_count")
        empty_text = "No providers match."
