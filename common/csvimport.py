"""Reading and checking the data-exchange CSV files (see shared/specs/data-exchange.md).

Every import streams its file row by row: a reader here yields one checked row
at a time, so nothing holds the whole file. Errors are collected rather than
raised, so the report names every bad row, not just the first.
"""

from __future__ import annotations

import codecs
import csv
import io
from collections.abc import Iterable, Iterator
from dataclasses import dataclass, field
from datetime import UTC, date, datetime, timedelta
from decimal import Decimal, InvalidOperation
from typing import IO
from zoneinfo import ZoneInfo

LONDON = ZoneInfo("Europe/London")
UTC = UTC

TRUE_WORDS = frozenset({"true", "yes", "y", "1"})
FALSE_WORDS = frozenset({"false", "no", "n", "0"})

# Allow very long cells (free-text notes) without letting a broken quote swallow memory.
csv.field_size_limit(1_000_000)


class FileRejected(Exception):
    """The file changed nothing; `errors` is the line-numbered report."""

    def __init__(self, errors: list[str]):
        super().__init__(f"{len(errors)} error(s)")
        self.errors = errors


class CellError(ValueError):
    """A cell's value is wrong; the message reads after the column name."""


@dataclass
class ImportResult:
    kind: str
    rows: int = 0
    created: int = 0
    updated: int = 0
    ignored_columns: list[str] = field(default_factory=list)
    months_touched: list[str] = field(default_factory=list)
    detail: str = ""

    @property
    def summary(self) -> str:
        text = (
            f"Imported {self.rows:,} row{'s' if self.rows != 1 else ''} of {self.kind}: "
            f"{self.created:,} new, {self.updated:,} updated"
        )
        if self.detail:
            text += f" ({self.detail})"
        text += "."
        if self.ignored_columns:
            text += " Ignored columns not in the format: " + ", ".join(self.ignored_columns) + "."
        return text


class ErrorReport:
    def __init__(self) -> None:
        self.lines: list[str] = []

    def add(self, line: int, column: str, reason: str) -> None:
        self.lines.append(f"line {line}, {column}: {reason}")

    def __bool__(self) -> bool:
        return bool(self.lines)

    def raise_if_any(self) -> None:
        if self.lines:
            raise FileRejected(self.lines)


# --- cell parsers: each returns the value or raises CellError --------------------


def parse_ref(value: str) -> str:
    value = value.strip()
    if not value:
        raise CellError("is blank")
    return value


def parse_text(value: str) -> str:
    return value.strip()


def parse_bool(value: str) -> bool | None:
    word = value.strip().lower()
    if not word:
        return None
    if word in TRUE_WORDS:
        return True
    if word in FALSE_WORDS:
        return False
    raise CellError(f"'{value.strip()}' is not true or false (use true/false, yes/no, y/n or 1/0)")


def parse_date(value: str, *, required: bool = True) -> date | None:
    value = value.strip()
    if not value:
        if required:
            raise CellError("is blank")
        return None
    try:
        return date.fromisoformat(value)
    except ValueError:
        raise CellError(f"'{value}' is not a date (use YYYY-MM-DD)") from None


def parse_decimal(value: str, *, places: int = 2) -> Decimal | None:
    value = value.strip()
    if not value:
        return None
    try:
        number = Decimal(value)
    except InvalidOperation:
        raise CellError(f"'{value}' is not a number") from None
    if not number.is_finite() or number < 0:
        raise CellError(f"'{value}' must be zero or more")
    return round(number, places)


class LondonClock:
    """Turns ISO 8601 date-times into naive UTC.

    Values without an offset are Europe/London wall time: in the repeated hour
    when the clocks go back they mean the first (BST) occurrence, and a time in
    the hour skipped when they go forward is an error. London changes its offset
    only on the hour, so the offset of each local hour is worked out once and
    cached: a 1M-row file has only a few thousand distinct hours.
    """

    def __init__(self) -> None:
        self._offsets: dict[str, timedelta | None] = {}
        self._hours: dict[str, tuple[timedelta, str]] = {}

    def _offset_for(self, local: datetime) -> timedelta | None:
        hour = local.replace(minute=0, second=0, microsecond=0)
        aware = hour.replace(tzinfo=LONDON)  # fold=0: the first occurrence
        offset = aware.utcoffset()
        assert offset is not None
        roundtrip = (hour - offset).replace(tzinfo=UTC).astimezone(LONDON).replace(tzinfo=None)
        return offset if roundtrip == hour else None

    def to_utc(self, value: str) -> datetime:
        """Naive UTC datetime, or CellError."""
        text = value.strip()
        if not text:
            raise CellError("is blank")
        try:
            parsed = datetime.fromisoformat(text)
        except ValueError:
            raise CellError(
                f"'{text}' is not a date-time (use ISO 8601, e.g. 2026-10-05T07:30:00)"
            ) from None
        if parsed.tzinfo is not None:
            return parsed.replace(tzinfo=None) - parsed.utcoffset()  # type: ignore[operator]
        key = text[:13]
        try:
            offset = self._offsets[key]
        except KeyError:
            offset = self._offsets[key] = self._offset_for(parsed)
        if offset is None:
            raise CellError(
                f"'{text}' is a local time that does not exist "
                "(the clocks went forward that night); give the UTC offset"
            )
        return parsed - offset

    def to_utc_with_text(self, value: str) -> tuple[datetime, str]:
        """The naive UTC datetime, and the same instant as ISO text with an
        explicit offset for PostgreSQL to read. Writing that text is the costly
        part of staging a million rows, so the usual shape of value (local time
        to the second) keeps its own text and gains its hour's offset."""
        text = value.strip()
        if len(text) == 19 and text[10] in "T " and text[13] == ":" and text[16] == ":":
            known = self._hours.get(text[:13])
            if known is not None:
                try:
                    parsed = datetime.fromisoformat(text)
                except ValueError:
                    pass  # the slow path below says what is wrong
                else:
                    return parsed - known[0], text + known[1]
            utc = self.to_utc(text)
            offset = self._offsets[text[:13]]
            if offset is not None:
                minutes = int(offset.total_seconds()) // 60
                sign = "+" if minutes >= 0 else "-"
                suffix = f"{sign}{abs(minutes) // 60:02d}:{abs(minutes) % 60:02d}"
                self._hours[text[:13]] = (offset, suffix)
                return utc, text + suffix
        utc = self.to_utc(text)
        return utc, utc.isoformat(" ") + "+00:00"


def london_date(utc_naive: datetime) -> date:
    return utc_naive.replace(tzinfo=UTC).astimezone(LONDON).date()


# --- reading the file -------------------------------------------------------------


def _text_stream(binary: IO[bytes]) -> io.TextIOWrapper:
    head = binary.read(4096)
    if not head.strip():
        raise FileRejected(["line 1: the file is empty; it needs a header row"])
    if b"\x00" in head:
        raise FileRejected(["line 1: this is not a CSV file (it holds binary data)"])
    try:
        codecs.getincrementaldecoder("utf-8")().decode(head, final=False)
    except UnicodeDecodeError:
        raise FileRejected(
            ["line 1: this is not a UTF-8 CSV file (save it as 'CSV UTF-8' and try again)"]
        ) from None
    binary.seek(0)
    return io.TextIOWrapper(binary, encoding="utf-8-sig", newline="")


@dataclass
class CsvFile:
    """A header-checked CSV file, read one row at a time."""

    header: list[str]
    ignored_columns: list[str]
    _reader: Iterator[list[str]]
    _text: io.TextIOWrapper

    def column(self, name: str) -> int:
        """Where a column sits in each record; a column the file lacks reads as
        the always-blank cell that `records` adds at the end of every row."""
        return self.header.index(name) if name in self.header else len(self.header)

    def rows(self) -> Iterator[tuple[int, dict[str, str]]]:
        header = self.header
        for line, cells in self.records():
            yield line, dict(zip(header, cells, strict=False))

    def records(self) -> Iterator[tuple[int, list[str]]]:
        """(line number, cells) for each non-blank row, padded to the header's
        width plus one blank cell: the fast path for files of a million rows."""
        width = len(self.header) + 1
        reader = self._reader
        last_line = 1
        try:
            for cells in reader:
                line = last_line + 1
                last_line = reader.line_num  # type: ignore[attr-defined]
                if not cells or (len(cells) == 1 and not cells[0].strip()):
                    continue
                if len(cells) < width:
                    cells += [""] * (width - len(cells))
                yield line, cells
        except UnicodeDecodeError:
            raise FileRejected(
                [f"line {last_line + 1}: is not UTF-8 text (save the file as 'CSV UTF-8')"]
            ) from None
        except csv.Error as exc:
            raise FileRejected([f"line {last_line + 1}: is not valid CSV ({exc})"]) from None


def open_csv(
    binary: IO[bytes], *, required: Iterable[str], optional: Iterable[str] = ()
) -> CsvFile:
    """Check the header of a CSV file; FileRejected if it cannot be imported."""
    required = list(required)
    known = set(required) | set(optional)
    text = _text_stream(binary)
    reader = csv.reader(text)
    try:
        raw_header = next(reader)
    except StopIteration:
        raise FileRejected(["line 1: the file is empty; it needs a header row"]) from None
    except (csv.Error, UnicodeDecodeError) as exc:
        raise FileRejected([f"line 1: the header row is not valid CSV ({exc})"]) from None
    header = [name.strip().lower() for name in raw_header]
    errors = ErrorReport()
    seen: set[str] = set()
    for name in header:
        if name in seen and name in known:
            errors.add(1, name, "the column appears more than once")
        seen.add(name)
    for name in required:
        if name not in seen:
            errors.add(1, name, "required column is missing")
    errors.raise_if_any()
    ignored = [name or "(unnamed)" for name in header if name not in known]
    return CsvFile(header=header, ignored_columns=ignored, _reader=reader, _text=text)


def month_key(day: date) -> str:
    return f"{day.year:04d}-{day.month:02d}"
