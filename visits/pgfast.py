"""visits.csv on PostgreSQL, the happy path: COPY types the file itself.

Most ECM exports are plain: every time written 'YYYY-MM-DDTHH:MM:SS', every
status in lower case, no cell with spaces around it, nothing but printable
ASCII. For such a file the work of visits/sqlcheck.py (trimming and checking
every cell with string functions) is wasted: this module COPYs the file
straight into a table whose time columns are PostgreSQL timestamps, so the
server parses every time once, as a raw COPY does, and the checks left are a
few comparisons per row in the one statement that builds the staging table.

It takes a file only when it is sure the Python rules (visits/rows.py) accept
every row with the very same values:

- while COPY reads the file, each block of lines is matched (at C speed, in
  this process, on the other core) against a pattern built from the header:
  each time exactly of the usual shape, within the years the rules take, hour
  below 24 and seconds below 60 (so PostgreSQL's parser cannot forgive what
  the rules refuse); a status spelt as stored; a care worker ref plain and
  short enough; a verification word in lower case; printable ASCII only, and
  no cell with a space at either end. A day PostgreSQL's calendar refuses
  (30 February) fails the COPY;
- the statement that builds the staging table keeps only rows that pass the
  rest of the rules (a known package, of the provider when it uploads its own;
  ends after starts; actual times exactly when completed; not before the kept
  months; a London time that exists), so it keeps every row or the file is
  not plain;
- the rows of a visit that repeats are grouped, and must agree and name each
  care worker once.

Anything else raises NotPlain inside a savepoint: nothing of this path stays,
and visits/pgstage.py stages the file from its raw text and reports each
problem by line, with the Python rules' messages. So there is still one set of
rules: this path only recognises files those rules accept.

Its staging table holds one row per file row with the visit's id on each
(rows of one visit share the first one's), and the visit's own values (the
latest actual times of its care workers, whether all were ECM-verified, how
many) on the first row of each visit; the view STAGE_VIEW shows one row per
visit, as visits/imports.py's STAGE_VISITS would. No grouping is done for the
many visits that have one row.
"""

from __future__ import annotations

import re
from typing import IO

import psycopg2
from django.db import DatabaseError, connection

from common.csvimport import CsvFile
from visits.rows import CARER_REF_LENGTH, STATUSES, VERIFICATION_LENGTH, VISIT_ID_LENGTH
from visits.staging import STAGE

TYPED = "visit_import_typed"
REPEATS = "visit_import_repeats"
GROUPS = "visit_import_groups"
STAGE_VIEW = "visit_import_stage_visit_rows"
TIMES = ("planned_start", "planned_end", "actual_start", "actual_end")
COLUMNS = (
    "visit_id",
    "package_ref",
    "carer_ref",
    *TIMES,
    "status",
    "verification",
)

# Years 1900 to 2100 (the rules' range), month 01-12, day 01-31 (PostgreSQL
# refuses a day its month lacks), hour 00-23, minutes and seconds 00-59.
_TIME = (
    rb"(?:19\d\d|20\d\d|2100)-(?:0[1-9]|1[0-2])-(?:0[1-9]|[12]\d|3[01])"
    rb"[T ](?:[01]\d|2[0-3]):[0-5]\d:[0-5]\d"
)
# Printable ASCII but the comma and the double quote (COPY and the csv module
# could read a quoted cell differently); the same without capitals.
_CELL = rb"[\x20\x21\x23-\x2b\x2d-\x7e]"
_LOWER = rb"[\x20\x21\x23-\x2b\x2d-\x40\x5b-\x7e]"
_PATTERNS: dict[str, bytes] = {
    "visit_id": _CELL + b"{1,%d}" % VISIT_ID_LENGTH,
    "package_ref": _CELL + b"+",
    # common.cells' plain reference: a letter or digit first.
    "carer_ref": rb"(?:[A-Za-z0-9][A-Za-z0-9 ._-]{0,%d})?" % (CARER_REF_LENGTH - 1),
    "planned_start": _TIME,
    "planned_end": _TIME,
    "actual_start": b"(?:" + _TIME + b")?",
    "actual_end": b"(?:" + _TIME + b")?",
    "status": b"(?:" + b"|".join(s.encode() for s in sorted(STATUSES)) + b")",
    "verification": _LOWER + b"{0,%d}" % VERIFICATION_LENGTH,
}
# What Python's str.strip() would take off a cell, at a cell's edge.
_EDGE_SPACES = (b" ,", b", ", b" \n", b" \r", b"\n ")
LONDON = "Europe/London"


class NotPlain(Exception):
    """The file is not plainly one the rules accept whole: stage it from its raw text."""


def line_pattern(header: list[str]) -> re.Pattern[bytes]:
    """One line of a plain file, its columns in the header's order."""
    cells = [_PATTERNS.get(name, _CELL + b"*") for name in header]
    return re.compile(rb"(?m)^" + b",".join(cells) + rb"\r?\n")


def knows(columns: list[str]) -> bool:
    """Whether this path types every column of the format the file has (a new
    optional column sends a file the raw-text way until it does)."""
    return set(columns) <= set(_PATTERNS)


class _PlainFeed:
    """The file's lines after its header, handed to COPY as read, each block of
    whole lines matched against the plain shape on the way."""

    def __init__(self, binary: IO[bytes], pattern: re.Pattern[bytes]) -> None:
        self.binary = binary
        self.pattern = pattern
        self.pending = b""
        self.lines = 0
        self.plain = True
        self.first = True

    def read(self, size: int = -1) -> bytes:
        data = self.binary.read(size if size and size > 0 else 1 << 16)
        if not self.plain:
            # Nothing more is worth reading: end the COPY.
            return b""
        if data:
            cut = data.rfind(b"\n") + 1
            if not cut:
                self.pending += data
                return data
            block, self.pending = self.pending + data[:cut], data[cut:]
        else:
            if not self.pending:
                return data
            # The last line, without its line break.
            block, self.pending = self.pending + b"\n", b""
        self._check(block)
        return data

    readline = read

    def _check(self, block: bytes) -> None:
        lines = block.count(b"\n")
        self.lines += lines
        if (
            (self.first and block.startswith(b" "))
            or any(edge in block for edge in _EDGE_SPACES)
            or len(self.pattern.findall(block)) != lines
        ):
            self.plain = False
        self.first = False


def visit_ids(cursor) -> str:  # type: ignore[no-untyped-def]
    """SQL drawing a new visit id. The sequence is looked up once: named
    through pg_get_serial_sequence in the statement, it is looked up again for
    every row (5 microseconds each, most of the cost of staging a row)."""
    cursor.execute("SELECT pg_get_serial_sequence('visits_visit', 'id')")
    (sequence,) = cursor.fetchone()
    # The name comes quoted as an identifier where it needs to be.
    return "nextval('" + sequence.replace("'", "''") + "'::regclass)"


def _utc(column: str) -> str:
    """The London wall time as an instant, as common.cells.LondonClock reads
    it. The session's time zone is London here, so the cast does it, except in
    the hour from 01:00, when the clocks change (since 1981): there a repeated
    time is the first (BST) one, and a time that does not exist is NULL."""
    later = f"{column}::timestamptz"
    earlier = f"({later} - interval '1 hour')"
    careful = (
        f"CASE WHEN {earlier}::timestamp = {column} THEN {earlier} "
        f"WHEN {later}::timestamp = {column} THEN {later} END"
    )
    return (
        f"CASE WHEN {column}::time < '01:00' OR {column}::time >= '02:00' "
        f"THEN {later} ELSE {careful} END"
    )


def stage_plain(
    binary: IO[bytes], csv_file: CsvFile, provider_id: int | None, kept_from: str
) -> int:
    """Stage a plain file (see the module's docstring); its number of rows.
    NotPlain if it is not plain: the caller rolls back what was done here."""
    binary.seek(0)
    header = binary.readline()
    if b'"' in header:
        raise NotPlain
    feed = _PlainFeed(binary, line_pattern(csv_file.header))
    typed = [f"c{i}" for i in range(len(csv_file.header))]
    cell = {
        name: f"t.c{csv_file.header.index(name)}" if name in csv_file.header else "NULL"
        for name in COLUMNS
    }
    with connection.cursor() as cursor:
        cursor.execute(f"DROP VIEW IF EXISTS {STAGE_VIEW}")
        for table in (TYPED, STAGE, REPEATS, GROUPS):
            cursor.execute(f"DROP TABLE IF EXISTS {table}")
        cursor.execute(
            f"""CREATE TEMPORARY TABLE {TYPED} ({
                ", ".join(
                    f"{c} {'timestamp' if name in TIMES else 'text'}"
                    for c, name in zip(typed, csv_file.header, strict=True)
                )
            }) ON COMMIT DROP"""
        )
        try:
            cursor.cursor.copy_expert(
                f"COPY {TYPED} FROM STDIN WITH (FORMAT csv)", feed, size=1 << 16
            )
        except (psycopg2.Error, DatabaseError):
            # A row of another width, a day its month lacks: not plain.
            raise NotPlain from None
        rows = cursor.cursor.rowcount
        if not feed.plain or rows == 0 or rows != feed.lines:
            raise NotPlain
        # The time zone and memory are the transaction's only (SET LOCAL).
        cursor.execute("SHOW TimeZone")
        zone = cursor.fetchone()[0]
        cursor.execute("SET LOCAL TimeZone = %s", [LONDON])
        cursor.execute("SET LOCAL work_mem = '256MB'")
        scope = "AND p.provider_id = %(provider)s" if provider_id is not None else ""
        cursor.execute(
            f"""CREATE TEMPORARY TABLE {STAGE} ON COMMIT DROP AS
                SELECT {visit_ids(cursor)} AS id,
                    TRUE AS head, p.provider_id, p.id AS package_id, p.person_id,
                    {cell["visit_id"]} AS visit_id, {cell["carer_ref"]} AS carer_ref,
                    u.planned_start, u.planned_end,
                    {cell["planned_start"]}::date AS planned_date,
                    u.actual_start, u.actual_end, {cell["status"]} AS status,
                    {cell["verification"]} AS verification,
                    NULL::timestamptz AS cancelled_at,
                    -- The visit's own values, on its first row when it has several.
                    NULL::timestamptz AS v_actual_start, NULL::timestamptz AS v_actual_end,
                    NULL::boolean AS v_ecm, NULL::integer AS v_carers,
                    NULL::date AS old_date, 1 AS fresh
                FROM {TYPED} t
                JOIN contracts_carepackage p ON p.ref = {cell["package_ref"]} {scope}
                CROSS JOIN LATERAL (SELECT
                    {_utc(cell["planned_start"])} AS planned_start,
                    {_utc(cell["planned_end"])} AS planned_end,
                    {_utc(cell["actual_start"])} AS actual_start,
                    {_utc(cell["actual_end"])} AS actual_end OFFSET 0) u
                WHERE {cell["planned_start"]}::date >= %(kept_from)s
                  AND u.planned_end > u.planned_start
                  AND CASE WHEN {cell["status"]} = 'completed'
                      THEN {cell["carer_ref"]} IS NOT NULL AND u.actual_end > u.actual_start
                      ELSE {cell["actual_start"]} IS NULL AND {cell["actual_end"]} IS NULL END""",
            {"kept_from": kept_from, "provider": provider_id},
        )
        if cursor.cursor.rowcount != rows:
            raise NotPlain
        cursor.execute("SET LOCAL TimeZone = %s", [zone])
        # Its size and the spread of its keys, so that it is hash-joined (a
        # guess at a new table's statistics sorts it instead). A sample: the
        # same cost whatever the file's size.
        cursor.execute(f"ANALYZE {STAGE} (provider_id, visit_id, carer_ref)")
        _group_repeats(cursor)
        cursor.execute(
            f"""CREATE TEMPORARY VIEW {STAGE_VIEW} AS
                SELECT id, provider_id, visit_id, package_id, person_id, planned_start,
                    planned_end, planned_date,
                    COALESCE(v_actual_start, actual_start) AS actual_start,
                    COALESCE(v_actual_end, actual_end) AS actual_end, status,
                    COALESCE(v_ecm, verification = 'ecm', FALSE) AS ecm_verified,
                    cancelled_at,
                    COALESCE(v_carers, CASE WHEN carer_ref IS NULL THEN 0 ELSE 1 END)
                        AS carer_count,
                    old_date, fresh
                FROM {STAGE} WHERE head"""
        )
    return rows


# Which staged columns the rows of one visit must agree on.
AGREE = ("package_id", "planned_start", "planned_end", "status")


def _group_repeats(cursor) -> None:  # type: ignore[no-untyped-def]
    """Group the visits that have several rows (double-handed ones): they take
    their first row's id, and their own values go on that row. NotPlain if
    their rows disagree or name a care worker twice (the raw-text path says
    which lines)."""
    cursor.execute(
        f"""CREATE TEMPORARY TABLE {REPEATS} ON COMMIT DROP AS
            SELECT provider_id, visit_id FROM {STAGE}
            GROUP BY provider_id, visit_id HAVING COUNT(*) > 1"""
    )
    if not cursor.cursor.rowcount:
        return
    disagree = " OR ".join(f"MIN(s.{c}) <> MAX(s.{c})" for c in AGREE)
    cursor.execute(
        f"""CREATE TEMPORARY TABLE {GROUPS} ON COMMIT DROP AS
            SELECT s.provider_id, s.visit_id, MIN(s.id) AS id, COUNT(*) AS n,
                MAX(s.actual_start) AS actual_start, MAX(s.actual_end) AS actual_end,
                MIN(CASE WHEN s.verification = 'ecm' THEN 1 ELSE 0 END) = 1 AS ecm,
                COUNT(s.carer_ref) AS carers,
                ({disagree}) AS disagrees,
                -- Two rows without a care worker, or (of two) the same one twice;
                -- visits of more rows are checked below.
                (COUNT(*) - COUNT(s.carer_ref) > 1
                 OR (COUNT(*) = 2 AND COUNT(s.carer_ref) = 2
                     AND MIN(s.carer_ref) = MAX(s.carer_ref))) AS duplicated
            FROM {STAGE} s JOIN {REPEATS} r
              ON r.provider_id = s.provider_id AND r.visit_id = s.visit_id
            GROUP BY s.provider_id, s.visit_id"""
    )
    cursor.execute(f"SELECT bool_or(disagrees OR duplicated), MAX(n) FROM {GROUPS}")
    bad, most = cursor.fetchone()
    if bad:
        raise NotPlain
    if most > 2:
        cursor.execute(
            f"""SELECT 1 FROM {STAGE} s JOIN {GROUPS} g
                  ON g.provider_id = s.provider_id AND g.visit_id = s.visit_id AND g.n > 2
                WHERE s.carer_ref IS NOT NULL
                GROUP BY s.provider_id, s.visit_id, s.carer_ref HAVING COUNT(*) > 1 LIMIT 1"""
        )
        if cursor.fetchone():
            raise NotPlain
    cursor.execute(
        f"""UPDATE {STAGE} s SET id = g.id, head = (s.id = g.id),
                v_actual_start = g.actual_start, v_actual_end = g.actual_end,
                v_ecm = g.ecm, v_carers = g.carers
            FROM {GROUPS} g WHERE g.provider_id = s.provider_id AND g.visit_id = s.visit_id"""
    )
