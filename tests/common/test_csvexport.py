"""The formula-safe CSV writer every export uses."""

from __future__ import annotations

import csv
import io
from decimal import Decimal

import pytest

from common.csvexport import SafeWriter, safe_cell

HYPERLINK = '=HYPERLINK("http://x","y")'


@pytest.mark.parametrize(
    "text",
    [HYPERLINK, "+1+cmd|' /C calc'!A0", "-2+3", "@SUM(A1:A9)", "\t=1+1", "\r=1+1", "＝1+1"],
)
def test_text_a_spreadsheet_would_run_is_written_as_text(text: str) -> None:
    assert safe_cell(text) == "'" + text


@pytest.mark.parametrize(
    "value, written",
    [
        (-3, -3),
        (Decimal("-10.5"), Decimal("-10.5")),
        (-0.25, -0.25),
        ("-3", "-3"),
        ("-21,115", "-21,115"),
        ("+4.5%", "+4.5%"),
        ("Alpha Home Care", "Alpha Home Care"),
        ("a=b", "a=b"),
        ("", ""),
        (None, ""),
        (True, "True"),
    ],
)
def test_numbers_and_ordinary_text_are_written_unchanged(value, written) -> None:
    assert safe_cell(value) == written


def test_a_written_file_reads_back_as_text_with_numbers_kept() -> None:
    out = io.StringIO()
    SafeWriter(out).writerows([["Provider", "Change"], [HYPERLINK, -3], ["Beta", "12.5%"]])
    rows = list(csv.reader(io.StringIO(out.getvalue())))
    # The apostrophe is what makes a spreadsheet show the cell as the text it
    # is rather than run it; the value is otherwise intact.
    assert rows == [["Provider", "Change"], ["'" + HYPERLINK, "-3"], ["Beta", "12.5%"]]
