"""Column attributes shared by every django-tables2 table; the tables are
drawn by templates/tables/govuk_table.html, and each names a `caption`
because every data table needs one for screen readers."""

NUMERIC = {
    "th": {"class": "govuk-table__header--numeric"},
    "td": {"class": "govuk-table__cell--numeric"},
}
LINK = {"a": {"class": "govuk-link"}}
