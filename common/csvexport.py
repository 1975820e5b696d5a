"""Writing CSV files people will open in a spreadsheet.

A spreadsheet runs a cell that begins with `=`, `+`, `-` or `@` as a formula
(and some also after a leading tab or carriage return), so a provider named
`=HYPERLINK("http://x","y")` would become a live link, or worse, in a
commissioner's copy of the market table. Every CSV export writes through
`SafeWriter`, which puts an apostrophe before such a cell: spreadsheets read the
cell as text, show the value as it was, and run nothing (OWASP's advice for CSV
injection).

A number stays a number: a value that is an int, float or Decimal, or text that
is only a plain number as the pages print it ("-3", "21,115", "-10.5%"), cannot
carry a formula and is written unchanged, so a negative figure still sums.
"""

from __future__ import annotations

import csv
import re
from collections.abc import Iterable
from decimal import Decimal
from typing import Any, Protocol

# The characters that start a formula, plus their full-width forms, which some
# spreadsheets accept in place of the ASCII ones when typed in East Asian locales.
FORMULA_STARTS = ("=", "+", "-", "@", "\t", "\r", "\n", "＝", "＋", "－", "＠")
# Digits with optional sign, thousands commas, decimals and a percent sign:
# nothing a spreadsheet could call.
PLAIN_NUMBER = re.compile(r"[+-]?(?:\d{1,3}(?:,\d{3})+|\d+)(?:\.\d+)?%?")


class _Writable(Protocol):
    def write(self, text: str, /) -> Any: ...


def safe_cell(value: Any) -> Any:
    """The value as it may go into a CSV cell: numbers as they are, text that a
    spreadsheet would run as a formula with an apostrophe in front."""
    if value is None:
        return ""
    if isinstance(value, bool):
        return str(value)
    if isinstance(value, int | float | Decimal):
        return value
    text = str(value)
    if text.startswith(FORMULA_STARTS) and not PLAIN_NUMBER.fullmatch(text):
        return "'" + text
    return text


class SafeWriter:
    """csv.writer with every cell passed through `safe_cell`."""

    def __init__(self, out: _Writable, **fmtparams: Any) -> None:
        self._writer = csv.writer(out, **fmtparams)

    def writerow(self, row: Iterable[Any]) -> Any:
        return self._writer.writerow([safe_cell(value) for value in row])

    def writerows(self, rows: Iterable[Iterable[Any]]) -> None:
        for row in rows:
            self.writerow(row)
