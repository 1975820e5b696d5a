"""Writing Excel (.xlsx) files from the same rows as the CSV exports.

Every table that downloads as CSV also downloads as .xlsx (issue 17), fed the
very rows the CSV writer is fed, so the two files say the same thing. What the
workbook adds is types, which a CSV cannot carry:

- numbers are numbers, with the format they are shown in: a count "21,115"
  is 21115 shown as `#,##0`; a percentage "10.5%" is 0.105 shown as `0.0%`;
  a mean "3.47" is 3.47 shown as `#,##0.00`. Text is read as a number only in
  the columns the caller names as figures, so a reference such as "007" stays
  the text it is;
- dates and times are dates and times (in the service's time zone: a
  workbook cell has none);
- the header row is bold, frozen and filtered;
- text a spreadsheet would run as a formula (`=HYPERLINK(...)`, see
  csvexport.py) is written as a text cell with Excel's quote prefix, the
  flag Excel itself stores when someone types an apostrophe before a cell:
  the cell shows the text as it is, cannot run, and stays text if edited.

The workbook is written in openpyxl's write-only mode, row by row, so a long
export (a million-line import report) takes no more memory than a short one.
"""

from __future__ import annotations

import datetime as dt
import io
import re
from collections.abc import Collection, Iterable, Iterator, Sequence
from decimal import Decimal
from itertools import chain, islice
from typing import Any

from django.utils import timezone
from openpyxl import Workbook
from openpyxl.cell import WriteOnlyCell
from openpyxl.cell.cell import ILLEGAL_CHARACTERS_RE
from openpyxl.styles import Font
from openpyxl.utils import get_column_letter
from openpyxl.worksheet._write_only import WriteOnlyWorksheet

from common.csvexport import FORMULA_STARTS, PLAIN_NUMBER

CONTENT_TYPE = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"

WHOLE = "#,##0"
DATE = "d mmm yyyy"
DATE_TIME = "d mmm yyyy hh:mm"
# Column widths are guessed from the header and the first rows; a sheet of
# long problem descriptions should not open a screen wide.
WIDTH_SAMPLE_ROWS = 200
MIN_WIDTH, MAX_WIDTH = 8, 60
# Excel's limit on a sheet name, and the characters it refuses in one.
SHEET_TITLE = re.compile(r"[\[\]:*?/\\]")


def _places(text: str) -> int:
    return len(text.split(".", 1)[1]) if "." in text else 0


def _number_format(places: int, *, percent: bool = False) -> str:
    decimals = "." + "0" * places if places else ""
    return f"0{decimals}%" if percent else f"{WHOLE}{decimals}"


def parse_figure(text: str) -> tuple[int | float, str] | None:
    """A figure as the pages print it ("21,115", "-10.5%", "3.47") as a number
    and the format that prints it the same way; None if it is not one."""
    text = text.strip()
    if not PLAIN_NUMBER.fullmatch(text):
        return None
    percent = text.endswith("%")
    digits = text.rstrip("%").replace(",", "")
    places = _places(digits)
    if percent:
        # Decimal first, so 10.5% is exactly the float nearest 0.105.
        return float(Decimal(digits) / 100), _number_format(places, percent=True)
    if places:
        return float(Decimal(digits)), _number_format(places)
    return int(digits), WHOLE


def _clean_text(text: str) -> str:
    # Control characters cannot be stored in the XML of a workbook at all.
    return ILLEGAL_CHARACTERS_RE.sub("\ufffd", text)


def typed_cell(sheet: WriteOnlyWorksheet, value: Any, *, figure: bool = False) -> WriteOnlyCell:
    """One cell of the workbook, typed and formatted; `figure` marks a column
    whose text is a figure as the page shows it."""
    if value is None or value == "":
        return WriteOnlyCell(sheet, value=None)
    if isinstance(value, bool):
        return WriteOnlyCell(sheet, value=str(value))
    if isinstance(value, int):
        cell = WriteOnlyCell(sheet, value=value)
        cell.number_format = WHOLE
        return cell
    if isinstance(value, Decimal):
        cell = WriteOnlyCell(sheet, value=float(value))
        exponent = value.as_tuple().exponent
        cell.number_format = _number_format(-exponent if isinstance(exponent, int) else 0)
        return cell
    if isinstance(value, float):
        return WriteOnlyCell(sheet, value=value)
    if isinstance(value, dt.datetime):
        local = timezone.localtime(value) if timezone.is_aware(value) else value
        cell = WriteOnlyCell(sheet, value=local.replace(tzinfo=None))
        cell.number_format = DATE_TIME
        return cell
    if isinstance(value, dt.date):
        cell = WriteOnlyCell(sheet, value=value)
        cell.number_format = DATE
        return cell
    text = _clean_text(str(value))
    parsed = parse_figure(text) if figure else None
    if parsed is not None:
        cell = WriteOnlyCell(sheet, value=parsed[0])
        cell.number_format = parsed[1]
        return cell
    cell = WriteOnlyCell(sheet, value=text)
    # openpyxl would store text beginning with "=" as a formula: it is text.
    cell.data_type = "s"
    if text.startswith(FORMULA_STARTS):
        cell.quotePrefix = True
    return cell


def _width(value: Any) -> int:
    if isinstance(value, dt.datetime):
        return 17
    if isinstance(value, dt.date):
        return 11
    return len(str(value)) if value is not None else 0


def write_xlsx(
    rows: Iterable[Sequence[Any]],
    *,
    sheet_title: str,
    figure_columns: Collection[str] = (),
) -> bytes:
    """The rows as a one-sheet workbook. The first row is the header; the
    columns named in `figure_columns` hold figures printed as text."""
    book = Workbook(write_only=True)
    sheet = book.create_sheet(SHEET_TITLE.sub(" ", sheet_title)[:31] or "Sheet")
    iterator: Iterator[Sequence[Any]] = iter(rows)
    header = list(next(iterator, []))
    sample = list(islice(iterator, WIDTH_SAMPLE_ROWS))
    figures = {i for i, name in enumerate(header) if name in figure_columns}

    for index, name in enumerate(header):
        width = max([_width(name) + 2] + [_width(r[index]) + 1 for r in sample if index < len(r)])
        sheet.column_dimensions[get_column_letter(index + 1)].width = min(
            max(width, MIN_WIDTH), MAX_WIDTH
        )
    if header:
        sheet.freeze_panes = "A2"
        bold = Font(bold=True)
        heading = []
        for name in header:
            cell = typed_cell(sheet, name)
            cell.font = bold
            heading.append(cell)
        sheet.append(heading)
    written = 0
    for row in chain(sample, iterator):
        sheet.append([typed_cell(sheet, v, figure=i in figures) for i, v in enumerate(row)])
        written += 1
    if header:
        # Set after the rows (openpyxl writes filters in the sheet's tail), so
        # the filter covers them all.
        sheet.auto_filter.ref = f"A1:{get_column_letter(len(header))}{written + 1}"
    out = io.BytesIO()
    book.save(out)
    return out.getvalue()
