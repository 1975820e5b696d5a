"""visits.csv on PostgreSQL: the file's raw text is COPYed into a temporary
table, then checked and typed set-based in SQL (visits/sqlcheck.py) into the
staging table that visits/imports.py groups and writes.

The rules and their messages stay in visits/rows.py: rows the SQL does not
take are fetched back and put through those rules, which write the report (or
accept a row whose shape the SQL leaves to them). The line numbers are the
file's own because this path takes only files whose every line is one row:
no quotes (a quoted cell may hold a line break), no blank lines, nothing the
reader would have to clean. Any other file raises NeedsReader before anything
is written, and is read row by row in Python instead.
"""

from __future__ import annotations

import tempfile
from collections.abc import Iterator
from typing import IO

import psycopg2
from django.db import DataError, connection, transaction

from common.csvimport import ByteWatch, CsvFile, ErrorReport
from visits.rows import Counts, checked_rows, packages_by_ref
from visits.sqlcheck import typing_sql
from visits.staging import STAGE, STAGE_COLUMNS, STAGE_VISITS, copy_line

RAW = "visit_import_raw"
KNOWN = (
    "visit_id",
    "package_ref",
    "carer_ref",
    "planned_start",
    "planned_end",
    "actual_start",
    "actual_end",
    "status",
    "verification",
    "time_critical",
)
RECHECK_BATCH = 5_000


# The staging columns' types here (every one nullable: a bad row is staged too).
# A column added to the stage but not to this SQL (a new optional column of
# the format) is staged empty, and a file that has it goes to the Python path
# (see `knows`).
_TYPES = {
    "provider_id": "bigint",
    "package_id": "bigint",
    "person_id": "bigint",
    "planned_date": "date",
    "time_critical": "smallint",
}


def _stage_type(name: str) -> str:
    if name in _TYPES:
        return _TYPES[name]
    return "timestamp with time zone" if name.endswith(("_start", "_end", "_at")) else "text"


def knows(columns: list[str]) -> bool:
    """Whether this SQL types every column of the format the file has."""
    return set(columns) <= set(KNOWN)


class NeedsReader(Exception):
    """This file is for the Python reader: nothing was written."""


class _Feed:
    """The file's bytes after its header, handed to COPY as they are read, and
    watched on the way (at C speed) for what this path cannot take."""

    def __init__(self, binary: IO[bytes]) -> None:
        self.binary = binary
        self.watch = ByteWatch(binary)
        self.newlines = 0
        self.last = b"\n"
        self.quoted = False
        self.ascii = True

    def read(self, size: int = -1) -> bytes:
        data = self.binary.read(size if size and size > 0 else 1 << 16)
        if data:
            self.newlines += data.count(b"\n")
            self.last = data[-1:]
            self.quoted = self.quoted or b'"' in data
            self.ascii = self.ascii and data.isascii()
            self.watch.look(data)
        return data

    readline = read

    @property
    def lines(self) -> int:
        return self.newlines + (self.last != b"\n")


class _Recheck:
    """The rows SQL did not take, as the Python rules read a file."""

    def __init__(self, csv_file: CsvFile, cursor) -> None:  # type: ignore[no-untyped-def]
        self.errors = csv_file.errors
        self.header = csv_file.header
        self.column = csv_file.column
        self._cursor = cursor

    def records(self) -> Iterator[tuple[int, list[str]]]:
        while batch := self._cursor.fetchmany(RECHECK_BATCH):
            for line, *cells in batch:
                yield line, [cell or "" for cell in cells] + [""]


def stage_with_sql(
    binary: IO[bytes], csv_file: CsvFile, provider_id: int | None, kept_from: str
) -> int:
    """Fill the staging table from the file; the number of rows. Errors go to
    csv_file.errors; NeedsReader if the file is for the Python reader."""
    binary.seek(0)
    header = binary.readline()
    if b'"' in header:
        raise NeedsReader
    width = len(csv_file.header)
    raw_columns = [f"c{i}" for i in range(width)]
    feed = _Feed(binary)
    with connection.cursor() as cursor:
        cursor.execute(f"DROP TABLE IF EXISTS {RAW}")
        cursor.execute(f"DROP TABLE IF EXISTS {STAGE}")
        cursor.execute(f"DROP TABLE IF EXISTS {STAGE_VISITS}")
        cursor.execute(
            f"""CREATE TEMPORARY TABLE {RAW} (n bigint GENERATED ALWAYS AS IDENTITY,
                {", ".join(f"{c} text" for c in raw_columns)}) ON COMMIT DROP"""
        )
        try:
            cursor.cursor.copy_expert(
                f"COPY {RAW} ({', '.join(raw_columns)}) FROM STDIN WITH (FORMAT csv)",
                feed,
                size=1 << 16,
            )
        except psycopg2.Error:
            # A row of another width, bytes that are not UTF-8, a lone
            # carriage return: the Python reader has the words for each.
            raise NeedsReader from None
        rows = cursor.cursor.rowcount
        if feed.quoted or feed.watch.found or rows == 0 or rows != feed.lines:
            raise NeedsReader
        cursor.execute(
            f"""CREATE TEMPORARY TABLE {STAGE} (
                line integer NOT NULL, ok boolean NOT NULL DEFAULT TRUE,
                {", ".join(f"{name} {_stage_type(name)}" for name in STAGE_COLUMNS[1:])})
                ON COMMIT DROP"""
        )
        cell = {
            name: f"r.c{csv_file.header.index(name)}" if name in csv_file.header else "NULL"
            for name in KNOWN
        }
        params = {"kept_from": kept_from, "provider": provider_id}
        cursor.execute("SET LOCAL DateStyle = 'ISO, YMD'")
        for quick in (True, False):
            sql = typing_sql(
                stage=STAGE,
                raw=RAW,
                cell=cell,
                ascii_file=feed.ascii,
                provider_scoped=provider_id is not None,
                quick=quick,
            )
            try:
                with transaction.atomic():
                    cursor.execute(sql, params)
                break
            except DataError:
                # A date PostgreSQL's parser refuses (2026-02-30): the careful
                # form checks the calendar itself, so no row fails the statement.
                if not quick:
                    raise
        cursor.execute(f"SELECT COUNT(*) FROM {STAGE} WHERE NOT ok")
        if cursor.fetchone()[0]:
            _recheck(cursor, csv_file, raw_columns, provider_id, kept_from)
    return rows


def _recheck(cursor, csv_file: CsvFile, raw_columns: list[str], provider_id, kept_from) -> None:  # type: ignore[no-untyped-def]
    """Put the rows SQL did not take through visits/rows.py: each bad one gets
    its lines in the report; any it accepts replace their SQL-typed rows."""
    packages = packages_by_ref()
    errors: ErrorReport = csv_file.errors
    with tempfile.SpooledTemporaryFile(max_size=16 << 20, mode="w+") as accepted:
        named = connection.connection.cursor(name="visit_import_recheck")
        named.itersize = RECHECK_BATCH
        named.execute(
            f"""SELECT r.n + 1, {", ".join("r." + c for c in raw_columns)}
                FROM {RAW} r JOIN {STAGE} s ON s.line = r.n + 1
                WHERE NOT s.ok ORDER BY r.n"""
        )
        try:
            source = _Recheck(csv_file, named)
            rows = checked_rows(source, packages, True, provider_id, Counts(), kept_from)  # type: ignore[arg-type]
            for row in rows:
                accepted.write(copy_line(row))
        finally:
            named.close()
        if errors:
            return
        cursor.execute(f"DELETE FROM {STAGE} WHERE NOT ok")
        accepted.seek(0)
        cursor.cursor.copy_expert(f"COPY {STAGE} ({', '.join(STAGE_COLUMNS)}) FROM STDIN", accepted)
