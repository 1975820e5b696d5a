"""A page's query string read through a form (issue 10): every value a view
takes from `request.GET` (a month, a table's sort and page, a filter) is
validated by a Django form, and a value the form refuses is a 400 page that
says what is wrong, never a server error deeper in the view.

Views call `read_query(request, SomeQueryForm)` for their own parameters and
`configure_table(request, table, per_page=...)` instead of django-tables2's
`RequestConfig`; a django-filter FilterSet is checked with `check_filter`.
`InvalidQuery` is turned into the page by homecare.ui.middleware."""

from __future__ import annotations

import datetime as dt
import re
from typing import Any

from django import forms
from django.core.exceptions import BadRequest
from django.http import HttpRequest
from django_tables2 import RequestConfig, Table

from common.months import Month

# The months a page may be asked for: as the importers' dates (1900 to 2100),
# so arithmetic a year or two either side never leaves what a date can hold.
FIRST_MONTH = dt.date(1900, 1, 1)
LAST_MONTH = dt.date(2100, 12, 1)
MONTH_EXAMPLE = "2026-10"
# The most rows a table shows on one page, whatever the address asks.
MAX_PER_PAGE = 100
MAX_PAGE = 1_000_000


class InvalidQuery(BadRequest):
    """A query value a page's form refused; carries the messages to show."""

    def __init__(self, errors: list[str]) -> None:
        super().__init__("; ".join(errors))
        self.errors = errors


def form_errors(form: forms.Form) -> list[str]:
    return [str(error) for field_errors in form.errors.values() for error in field_errors]


class MonthField(forms.CharField):
    """A calendar month written as commissioners do, 2026-10, between 1900 and 2100."""

    default_error_messages = {
        "invalid": f"Month must be a month written as year and month, like {MONTH_EXAMPLE}",
        "range": "Month must be between January 1900 and December 2100",
    }

    def to_python(self, value: Any) -> Month | None:  # type: ignore[override]
        text = super().to_python(value)
        if not text:
            return None
        try:
            month = Month.parse(text)
        except ValueError:
            raise forms.ValidationError(self.error_messages["invalid"], code="invalid") from None
        if not FIRST_MONTH <= month.first <= LAST_MONTH:
            raise forms.ValidationError(self.error_messages["range"], code="range")
        return month


class QueryForm(forms.Form):
    """Base of a page's query form. Unknown parameters are not fields, so they
    are ignored (as a browser or a tracking tool may add some)."""


class MonthQueryForm(QueryForm):
    month = MonthField(required=False)


def read_query(request: HttpRequest, form_class: type[forms.Form], **kwargs: Any) -> dict:
    """The cleaned values of `form_class` over the query string, or InvalidQuery."""
    form = form_class(request.GET, **kwargs)
    if not form.is_valid():
        raise InvalidQuery(form_errors(form))
    return form.cleaned_data


def asked_month(request: HttpRequest) -> Month | None:
    """The month the address asks for, if any (validated)."""
    month: Month | None = read_query(request, MonthQueryForm)["month"]
    return month


_SORT = re.compile(r"^-?[\w]+$")


class TableQueryForm(forms.Form):
    """A table's sort, page and page size, under the table's prefix."""

    def __init__(self, data: Any, *, table: Table) -> None:
        super().__init__(data)
        self.table = table
        self.sort_name = table.prefixed_order_by_field
        self.page_name = table.prefixed_page_field
        self.per_page_name = table.prefixed_per_page_field
        self.fields[self.sort_name] = forms.CharField(required=False)
        self.fields[self.page_name] = forms.IntegerField(
            required=False,
            min_value=1,
            max_value=MAX_PAGE,
            error_messages={
                "invalid": "Page must be a whole number, like 2",
                "min_value": "Page must be 1 or more",
                "max_value": "Page must be a page of the table",
            },
        )
        self.fields[self.per_page_name] = forms.IntegerField(
            required=False,
            min_value=1,
            max_value=MAX_PER_PAGE,
            error_messages={
                "invalid": "Rows per page must be a whole number, like 25",
                "min_value": "Rows per page must be 1 or more",
                "max_value": f"Rows per page must be {MAX_PER_PAGE} or fewer",
            },
        )

    def clean(self) -> dict[str, Any]:
        cleaned = super().clean() or {}
        sort = cleaned.get(self.sort_name) or ""
        orderable = {
            column.name for column in self.table.columns if column.orderable and column.visible
        }
        for part in (p.strip() for p in sort.split(",") if p.strip()):
            if not _SORT.match(part) or part.lstrip("-") not in orderable:
                self.add_error(self.sort_name, "Sort the table by one of its column headings")
                break
        return cleaned


def configure_table(request: HttpRequest, table: Table, *, per_page: int | None = None) -> Table:
    """django-tables2's RequestConfig after the table's query values are
    validated; a page past the last one shows the last page (as the table's
    own links never ask for one)."""
    form = TableQueryForm(request.GET, table=table)
    if not form.is_valid():
        raise InvalidQuery(form_errors(form))
    paginate: dict[str, Any] | bool = {"per_page": per_page} if per_page else False
    RequestConfig(request, paginate=paginate).configure(table)
    return table


def check_filter(filterset: Any) -> Any:
    """A bound django-filter FilterSet whose form refuses a value (a choice it
    does not offer) is a bad address: 400 with the form's messages."""
    if filterset.is_bound and not filterset.form.is_valid():
        raise InvalidQuery(form_errors(filterset.form))
    return filterset
