"""django-tables2 tables, drawn by templates/tables/govuk_table.html. Each
table names a `caption` because every data table needs one for screen readers."""

from __future__ import annotations

import django_tables2 as tables
from django.utils.html import format_html

from homecare.ui.tables import LINK, NUMERIC
from visits.models import ImportOutcome, ImportRecord

# Running keeps the default (blue) tag.
OUTCOME_TAGS: dict[str, str] = {
    ImportOutcome.QUEUED: "govuk-tag--grey",
    ImportOutcome.RUNNING: "",
    ImportOutcome.SUCCEEDED: "govuk-tag--green",
    ImportOutcome.REJECTED: "govuk-tag--red",
    ImportOutcome.FAILED: "govuk-tag--orange",
}


def outcome_tag(record: ImportRecord) -> str:
    return format_html(
        '<strong class="govuk-tag {}">{}</strong>',
        OUTCOME_TAGS.get(record.outcome, ""),
        record.outcome_label,
    )


class ImportTable(tables.Table):
    caption = "Imports, newest first"

    id = tables.Column(
        verbose_name="Import", linkify=("import-record", [tables.A("pk")]), attrs=LINK
    )
    kind = tables.Column(verbose_name="Kind")
    file_name = tables.Column(verbose_name="File")
    uploaded_by = tables.Column(verbose_name="Uploaded by", accessor="uploaded_by__username")
    provider = tables.Column(verbose_name="For provider", accessor="provider__name")
    created_at = tables.DateTimeColumn(verbose_name="Uploaded", format="j M Y H:i")
    outcome = tables.Column(verbose_name="Outcome")
    rows = tables.Column(verbose_name="Rows", attrs=NUMERIC)

    class Meta:
        model = ImportRecord
        fields = ("id", "kind", "file_name", "created_at", "outcome", "rows")
        sequence = (
            "id",
            "kind",
            "file_name",
            "uploaded_by",
            "provider",
            "created_at",
            "outcome",
            "rows",
        )
        order_by = ("-created_at",)
        empty_text = "No files have been imported yet."

    def render_id(self, value: int) -> str:
        return format_html("#{}", value)

    def render_outcome(self, record: ImportRecord) -> str:
        return outcome_tag(record)
