"""The .xlsx writer every CSV export has beside it (issue 17): numbers as
numbers in their formats, dates as dates, the header frozen, formula text
kept as text."""

from __future__ import annotations

import datetime as dt
import io
from decimal import Decimal
from zoneinfo import ZoneInfo

import pytest
from openpyxl import load_workbook

from common.xlsxexport import parse_figure, write_xlsx

HYPERLINK = '=HYPERLINK("http://x","y")'


def _sheet(content: bytes):
    return load_workbook(io.BytesIO(content)).active


def test_figures_become_numbers_with_the_format_they_were_printed_in() -> None:
    rows = [
        ["Provider", "People", "Late visits", "Mean carers", "Ref"],
        ["Alpha", "21,115", "10.5%", "3.47", "007"],
        ["Beta", "-3", "No data", "12", "12345"],
    ]
    sheet = _sheet(
        write_xlsx(
            rows, sheet_title="Providers", figure_columns={"People", "Late visits", "Mean carers"}
        )
    )
    alpha = sheet[2]
    assert [c.value for c in alpha] == ["Alpha", 21115, 0.105, 3.47, "007"]
    assert [c.number_format for c in alpha[1:4]] == ["#,##0", "0.0%", "#,##0.00"]
    beta = sheet[3]
    # "No data" in a figure column stays words; a ref outside one stays text.
    assert [c.value for c in beta] == ["Beta", -3, "No data", 12, "12345"]
    assert beta[4].data_type == "s"


@pytest.mark.parametrize(
    "text, number, number_format",
    [
        ("21,115", 21115, "#,##0"),
        ("-10.5%", -0.105, "0.0%"),
        ("+4%", 0.04, "0%"),
        ("1,234.50", 1234.5, "#,##0.00"),
        ("0", 0, "#,##0"),
    ],
)
def test_parse_figure(text: str, number: float, number_format: str) -> None:
    assert parse_figure(text) == (number, number_format)


@pytest.mark.parametrize("text", ["No data", "1 hour", "=1+1", "", "12a", "1,23"])
def test_words_are_not_figures(text: str) -> None:
    assert parse_figure(text) is None


def test_typed_values_dates_and_the_header() -> None:
    london = ZoneInfo("Europe/London")
    rows = [
        ["Line", "Amount", "Day", "When", "Ok"],
        [
            4,
            Decimal("12.50"),
            dt.date(2026, 10, 5),
            dt.datetime(2026, 10, 5, 7, 30, tzinfo=dt.UTC),
            True,
        ],
    ]
    sheet = _sheet(write_xlsx(rows, sheet_title="Sheet: one/two"))
    assert sheet.title == "Sheet  one two"
    header, row = sheet[1], sheet[2]
    assert all(c.font.b for c in header)
    assert sheet.freeze_panes == "A2"
    assert sheet.auto_filter.ref == "A1:E2"
    assert row[0].value == 4 and row[0].number_format == "#,##0"
    assert row[1].value == 12.5 and row[1].number_format == "#,##0.00"
    assert row[2].value == dt.datetime(2026, 10, 5) and row[2].is_date
    assert row[2].number_format == "d mmm yyyy"
    # In the service's time zone (BST in October), as the pages show it.
    assert row[3].value == dt.datetime(2026, 10, 5, 8, 30)
    assert row[3].value == dt.datetime(2026, 10, 5, 7, 30, tzinfo=dt.UTC).astimezone(
        london
    ).replace(tzinfo=None)
    assert row[3].is_date
    assert row[4].value == "True"


@pytest.mark.parametrize(
    "text", [HYPERLINK, "+1+cmd|' /C calc'!A0", "-2+3", "@SUM(A1:A9)", "\t=1+1", "＝1+1"]
)
def test_formula_text_stays_text(text: str) -> None:
    sheet = _sheet(write_xlsx([["Provider"], [text]], sheet_title="x", figure_columns={"Provider"}))
    cell = sheet["A2"]
    assert cell.data_type == "s"
    assert cell.value == text
    # Excel's own mark for "typed with an apostrophe": shown as text, never run.
    assert cell.quotePrefix is True


def test_characters_a_workbook_cannot_hold_are_replaced_not_fatal() -> None:
    sheet = _sheet(write_xlsx([["Problem"], ["bad \x01 byte"]], sheet_title="x"))
    assert sheet["A2"].value == "bad \ufffd byte"


def test_an_empty_export_is_still_a_workbook() -> None:
    sheet = _sheet(write_xlsx([], sheet_title="Empty"))
    assert sheet.max_row == 1 and sheet["A1"].value is None
