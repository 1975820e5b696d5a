"""Reading and checking the data-exchange CSV files (see shared/specs/data-exchange.md).

Every import streams its file row by row: a reader here yields one checked row
at a time, so nothing holds the whole file. Errors are collected rather than
raised, so the report names every bad row, not just the first. Whatever bytes a
file holds, reading it gives rows and a report or FileRejected, nothing else.
The rules for each cell are in common/cells.py.
"""

from __future__ import annotations

import codecs
import csv
import io
import re
from collections.abc import Iterable, Iterator
from dataclasses import dataclass, field
from typing import IO

from common.cells import CONTROL, clip, control_problem

# Allow very long cells (free-text notes) without letting a broken quote swallow memory.
csv.field_size_limit(1_000_000)

# A cell is checked character by character only once its file is known to hold
# something wrong: C0 control bytes and DEL, C1 controls (0xC2 0x80-0x9F in
# UTF-8) and bytes that are not UTF-8, which the reader lets through as lone
# surrogates so the report can name their line and column.
_C0_BYTES = bytes([*range(0x00, 0x09), 0x0B, 0x0C, *range(0x0E, 0x20), 0x7F])
_C1_BYTES = re.compile(rb"\xc2[\x80-\x9f]")
_NOT_UTF8 = re.compile("[\udc80-\udcff]")
NOT_UTF8 = "is not UTF-8 text (save the file as 'CSV UTF-8')"
HEADER_WIDTH = 60  # how much of an ignored column's name the summary repeats


class FileRejected(Exception):
    """The file changed nothing; `errors` is the line-numbered report."""

    def __init__(self, errors: list[str]):
        super().__init__(f"{len(errors)} error(s)")
        self.errors = errors


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


# --- reading the file -------------------------------------------------------------


class _Watch(io.RawIOBase):
    """The file's bytes as the reader takes them, watched at C speed, a block
    at a time, for anything a cell may not hold: a million clean rows pay a
    fraction of a second, and only the rows after a find are checked cell by cell."""

    def __init__(self, binary: IO[bytes]) -> None:
        self._binary = binary
        self._utf8 = codecs.getincrementaldecoder("utf-8")()
        self._last = b""
        self.found = False

    def readable(self) -> bool:
        return True

    def readinto(self, buffer) -> int:  # type: ignore[no-untyped-def]
        data = self._binary.read(len(buffer)) or b""
        if not self.found:
            self._look(data)
        buffer[: len(data)] = data
        return len(data)

    def look(self, data: bytes) -> None:
        """Watch a block read by someone else (the COPY of visits/pgstage.py)."""
        if not self.found:
            self._look(data)

    def _look(self, data: bytes) -> None:
        if data.isascii() and data and not self._utf8.getstate()[0]:
            # The usual block: ASCII, so UTF-8 whatever it holds, and no C1.
            if len(data.translate(None, _C0_BYTES)) != len(data):
                self.found = True
            self._last = b""
            return
        try:
            self._utf8.decode(data, final=not data)
        except UnicodeDecodeError:
            self.found = True
            return
        c0 = len(data.translate(None, _C0_BYTES)) != len(data)
        self.found = c0 or _C1_BYTES.search(self._last + data) is not None
        self._last = data[-1:]


ByteWatch = _Watch


def _text_stream(binary: IO[bytes]) -> tuple[io.TextIOWrapper, _Watch]:
    head = binary.read(4096)
    if not head.strip():
        raise FileRejected(["line 1: the file is empty; it needs a header row"])
    if head.startswith((codecs.BOM_UTF16_LE, codecs.BOM_UTF16_BE)):
        raise FileRejected(
            ["line 1: this is UTF-16 text, not UTF-8 (save it as 'CSV UTF-8' and try again)"]
        )
    if b"\x00" in head.split(b"\n", 1)[0]:
        # NULs in the first line: a spreadsheet or other binary file, not CSV.
        # A NUL further down is a bad cell, reported by line and column.
        raise FileRejected(["line 1: this is not a CSV file (it holds binary data)"])
    try:
        codecs.getincrementaldecoder("utf-8")().decode(head, final=False)
    except UnicodeDecodeError:
        raise FileRejected(
            ["line 1: this is not a UTF-8 CSV file (save it as 'CSV UTF-8' and try again)"]
        ) from None
    binary.seek(0)
    watch = _Watch(binary)
    buffered = io.BufferedReader(watch, buffer_size=1 << 16)
    text = io.TextIOWrapper(buffered, encoding="utf-8-sig", errors="surrogateescape", newline="")
    return text, watch


@dataclass
class CsvFile:
    """A header-checked CSV file, read one row at a time. Its `errors` report
    starts with what the reader finds (control characters, bytes that are not
    UTF-8); each import adds its own findings to the same report."""

    header: list[str]
    ignored_columns: list[str]
    _reader: Iterator[list[str]]
    _text: io.TextIOWrapper
    _watch: _Watch
    _known: list[int]
    errors: ErrorReport = field(default_factory=ErrorReport)

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
        watch = self._watch
        last_line = 1
        try:
            for cells in reader:
                line = last_line + 1
                last_line = reader.line_num  # type: ignore[attr-defined]
                if not cells or (len(cells) == 1 and not cells[0].strip()):
                    continue
                if len(cells) < width:
                    cells += [""] * (width - len(cells))
                if watch.found:
                    self._clean(line, cells)
                yield line, cells
        except csv.Error as exc:
            raise FileRejected([f"line {last_line + 1}: is not valid CSV ({exc})"]) from None

    def _clean(self, line: int, cells: list[str]) -> None:
        """Report each cell of a column the import reads that holds what no cell
        may, and take it out, so the checks that follow see the rest of the value
        and the report holds nothing that cannot be shown or stored."""
        for index in self._known:
            cell = cells[index]
            if _NOT_UTF8.search(cell):
                self.errors.add(line, self.header[index], NOT_UTF8)
                cells[index] = cell = _NOT_UTF8.sub("", cell)
            problem = control_problem(cell)
            if problem:
                self.errors.add(line, self.header[index], problem)
                cells[index] = CONTROL.sub("", cell)


def open_csv(
    binary: IO[bytes], *, required: Iterable[str], optional: Iterable[str] = ()
) -> CsvFile:
    """Check the header of a CSV file; FileRejected if it cannot be imported."""
    required = list(required)
    known = set(required) | set(optional)
    text, watch = _text_stream(binary)
    reader = csv.reader(text)
    try:
        raw_header = next(reader)
    except StopIteration:
        raise FileRejected(["line 1: the file is empty; it needs a header row"]) from None
    except csv.Error as exc:
        raise FileRejected([f"line 1: the header row is not valid CSV ({exc})"]) from None
    for name in raw_header:
        if _NOT_UTF8.search(name):
            raise FileRejected([f"line 1: the header row {NOT_UTF8}"])
        problem = control_problem(name)
        if problem:
            raise FileRejected([f"line 1: the header row {problem}"])
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
    ignored = [clip(name, HEADER_WIDTH) or "(unnamed)" for name in header if name not in known]
    return CsvFile(
        header=header,
        ignored_columns=ignored,
        _reader=reader,
        _text=text,
        _watch=watch,
        _known=[index for index, name in enumerate(header) if name in known],
    )
