"""visits.csv, the ECM export, as shared/specs/data-exchange.md defines it.

A visits file can hold a million rows, so it is never held in memory: each row
is checked in Python as it streams past and appended to a temporary staging
table (COPY on PostgreSQL). The checks that need the whole file (the rows of one
visit must agree; a care worker appears once per visit) and the writes are then
set-based SQL over the staging table, all in one transaction.
"""

from __future__ import annotations

from collections.abc import Iterator
from itertools import islice
from typing import IO, Any

from django.db import connection, transaction
from django.db.backends.utils import CursorWrapper

from common.cells import month_key
from common.csvimport import ErrorReport, ImportResult, open_csv
from visits.retention import first_kept_day
from visits.rows import Counts, checked_rows, packages_by_ref

REQUIRED = ["visit_id", "package_ref", "planned_start", "planned_end", "status"]
OPTIONAL = ["carer_ref", "actual_start", "actual_end", "verification"]
CHUNK_ROWS = 5_000
ANALYZE_AFTER_ROWS = 10_000
STAGE = "visit_import_stage"
STAGE_VISITS = "visit_import_stage_visits"
STAGE_COLUMNS = (
    "line",
    "provider_id",
    "package_id",
    "person_id",
    "visit_id",
    "carer_ref",
    "planned_start",
    "planned_end",
    "planned_date",
    "actual_start",
    "actual_end",
    "status",
    "verification",
)
# Which columns of the file each agreement check is about, for the report.
AGREEMENT = (
    ("package_id", "package_ref"),
    ("planned_start", "planned_start"),
    ("planned_end", "planned_end"),
    ("status", "status"),
)


# COPY's text format: a backslash, tab or line break inside a value is escaped,
# and \N is NULL. Only the refs and the verification word come from the file
# as free text; every other value is a number or a time this module wrote.
_COPY_ESCAPES = str.maketrans({"\\": "\\\\", "\t": "\\t", "\n": "\\n", "\r": "\\r"})


NULL = "\\N"


def _copy_text(value: str | None) -> str:
    return NULL if value is None else value.translate(_COPY_ESCAPES)


def _copy_line(row: tuple[Any, ...]) -> str:
    (line, provider, package, person, visit_id, carer, p_start, p_end, day, a_start, a_end,
     status, verification) = row  # fmt: skip
    return (
        f"{line}\t{provider}\t{package}\t{person}\t{_copy_text(visit_id)}\t"
        f"{_copy_text(carer)}\t{p_start}\t{p_end}\t{day}\t"
        f"{a_start or NULL}\t{a_end or NULL}\t{status}\t{_copy_text(verification)}\n"
    )


class _RowPipe:
    """A file-like object whose read() turns checked rows into COPY text.
    (Formatting lines by hand is several times faster than the csv module,
    and this is the hottest loop of a million-row import.)"""

    def __init__(self, rows: Iterator[tuple[Any, ...]]) -> None:
        self.rows = rows
        self.failure: BaseException | None = None

    def read(self, size: int = -1) -> str:
        lines: list[str] = []
        length = 0
        try:
            for row in self.rows:
                text = _copy_line(row)
                lines.append(text)
                length += len(text)
                if length >= size:
                    break
        except Exception as exc:
            # psycopg2 would bury the reason (a rejected file, say) in a
            # QueryCanceled; end the COPY and raise it as itself afterwards.
            self.failure = exc
            return ""
        return "".join(lines)

    readline = read


class _Stage:
    """The staging table, written in chunks by the fastest path the database has."""

    def __init__(self) -> None:
        self.vendor = connection.vendor

    def create(self) -> None:
        timestamp = "timestamp with time zone" if self.vendor == "postgresql" else "datetime"
        with connection.cursor() as cursor:
            # On PostgreSQL the table goes with the transaction, whatever its end.
            on_commit = " ON COMMIT DROP" if self.vendor == "postgresql" else ""
            cursor.execute(f"DROP TABLE IF EXISTS {STAGE}")
            cursor.execute(
                f"""CREATE TEMPORARY TABLE {STAGE} (
                    line integer NOT NULL, provider_id bigint NOT NULL,
                    package_id bigint NOT NULL, person_id bigint NOT NULL,
                    visit_id varchar(64) NOT NULL, carer_ref varchar(64),
                    planned_start {timestamp} NOT NULL, planned_end {timestamp} NOT NULL,
                    planned_date date NOT NULL,
                    actual_start {timestamp}, actual_end {timestamp},
                    status varchar(16) NOT NULL, verification varchar(32)){on_commit}"""
            )

    def load(self, rows: Iterator[tuple[Any, ...]]) -> None:
        """Stream rows into the table as they are checked. On PostgreSQL COPY
        pulls them through a pipe, so the server stores one chunk while Python
        checks the next, on the other core."""
        with connection.cursor() as cursor:
            if self.vendor == "postgresql":
                pipe = _RowPipe(rows)
                cursor.cursor.copy_expert(
                    f"COPY {STAGE} ({', '.join(STAGE_COLUMNS)}) FROM STDIN",
                    pipe,
                    size=1 << 16,
                )
                if pipe.failure is not None:
                    raise pipe.failure
                return
            marks = ", ".join(["%s"] * len(STAGE_COLUMNS))
            while chunk := list(islice(rows, CHUNK_ROWS)):
                cursor.executemany(
                    f"INSERT INTO {STAGE} ({', '.join(STAGE_COLUMNS)}) VALUES ({marks})", chunk
                )

    def analyze(self) -> None:
        # Fresh statistics let PostgreSQL hash-join the staged rows instead of
        # guessing at an empty table's size.
        if self.vendor == "postgresql":
            with connection.cursor() as cursor:
                cursor.execute(f"ANALYZE {STAGE}")

    def drop(self) -> None:
        with connection.cursor() as cursor:
            cursor.execute(f"DROP TABLE IF EXISTS {STAGE}")
            cursor.execute(f"DROP TABLE IF EXISTS {STAGE_VISITS}")


def _group_visits(errors: ErrorReport) -> None:
    """Build one row per visit, and check the rows of each visit agree and name
    each care worker once. The line-by-line report is only worked out for a
    file that has such a problem."""
    postgres = connection.vendor == "postgresql"
    ecm = "MIN(CASE WHEN verification = 'ecm' THEN 1 ELSE 0 END) = 1"
    disagree = " OR ".join(f"MIN({col}) <> MAX({col})" for col, _ in AGREEMENT)
    duplicated = "COUNT(carer_ref) > COUNT(DISTINCT carer_ref) OR COUNT(*) - COUNT(carer_ref) > 1"
    with connection.cursor() as cursor:
        cursor.execute(f"DROP TABLE IF EXISTS {STAGE_VISITS}")
        cursor.execute(
            f"""CREATE TEMPORARY TABLE {STAGE_VISITS}{" ON COMMIT DROP" if postgres else ""} AS
                SELECT provider_id, visit_id, MIN(package_id) AS package_id,
                    MIN(person_id) AS person_id, MIN(planned_start) AS planned_start,
                    MIN(planned_end) AS planned_end, MIN(planned_date) AS planned_date,
                    MAX(actual_start) AS actual_start, MAX(actual_end) AS actual_end,
                    MIN(status) AS status, {ecm} AS ecm_verified,
                    COUNT(carer_ref) AS carer_count,
                    CASE WHEN {disagree} THEN 1 ELSE 0 END AS disagrees,
                    CASE WHEN {duplicated} THEN 1 ELSE 0 END AS duplicated
                FROM {STAGE} GROUP BY provider_id, visit_id"""
        )
        if postgres:
            cursor.execute(f"ANALYZE {STAGE_VISITS}")
        cursor.execute(f"SELECT MAX(disagrees), MAX(duplicated) FROM {STAGE_VISITS}")
        disagrees, duplicates = cursor.fetchone()
        if disagrees:
            _report_disagreements(cursor, errors, disagree)
        if duplicates:
            _report_duplicate_carers(cursor, errors)


def _report_disagreements(cursor: CursorWrapper, errors: ErrorReport, disagree: str) -> None:
    cursor.execute(
        f"""SELECT s.line, s.visit_id, {", ".join("s." + c for c, _ in AGREEMENT)},
                   f.first_line, {", ".join("f0." + c for c, _ in AGREEMENT)}
            FROM {STAGE} s
            JOIN (SELECT provider_id, visit_id, MIN(line) AS first_line
                  FROM {STAGE} GROUP BY provider_id, visit_id
                  HAVING COUNT(*) > 1 AND ({disagree})) f
              ON f.provider_id = s.provider_id AND f.visit_id = s.visit_id
            JOIN {STAGE} f0 ON f0.line = f.first_line
            WHERE s.line <> f.first_line
            ORDER BY s.line"""
    )
    width = len(AGREEMENT)
    for record in cursor.fetchall():
        line, visit_id = record[0], record[1]
        mine, first_line, theirs = record[2 : 2 + width], record[2 + width], record[3 + width :]
        for (_, column), a, b in zip(AGREEMENT, mine, theirs, strict=True):
            if a != b:
                errors.add(
                    line,
                    column,
                    f"differs from line {first_line}, another row of visit {visit_id}",
                )


def _report_duplicate_carers(cursor: CursorWrapper, errors: ErrorReport) -> None:
    cursor.execute(
        f"""SELECT s.line, s.visit_id, s.carer_ref, d.first_line
            FROM {STAGE} s
            JOIN (SELECT provider_id, visit_id, carer_ref, MIN(line) AS first_line
                  FROM {STAGE} GROUP BY provider_id, visit_id, carer_ref
                  HAVING COUNT(*) > 1) d
              ON d.provider_id = s.provider_id AND d.visit_id = s.visit_id
             AND (d.carer_ref = s.carer_ref OR (d.carer_ref IS NULL AND s.carer_ref IS NULL))
            WHERE s.line <> d.first_line
            ORDER BY s.line"""
    )
    for line, visit_id, carer_ref, first_line in cursor.fetchall():
        who = f"care worker {carer_ref}" if carer_ref else "a row without a care worker"
        errors.add(
            line,
            "carer_ref",
            f"{who} is already on visit {visit_id} (line {first_line})",
        )


VISIT_CARER_TIMES = ["actual_start", "actual_end", "verification"]


def _changed(table: str, columns: list[str]) -> str:
    """SQL true when any column differs, NULLs included, on PostgreSQL and SQLite
    alike: re-importing a file rewrites only the rows it changes."""
    return " OR ".join(
        f"({table}.{c} <> excluded.{c} OR ({table}.{c} IS NULL) <> (excluded.{c} IS NULL))"
        for c in columns
    )


def _write(result: ImportResult) -> None:
    with connection.cursor() as cursor:
        cursor.execute(f"SELECT COUNT(*) FROM {STAGE_VISITS}")
        visits = cursor.fetchone()[0]
        cursor.execute(
            f"""SELECT COUNT(*) FROM visits_visit v JOIN {STAGE_VISITS} s
                  ON s.provider_id = v.provider_id AND s.visit_id = v.visit_id"""
        )
        existing = cursor.fetchone()[0]
        cursor.execute(f"SELECT DISTINCT planned_date FROM {STAGE_VISITS}")
        days = [row[0] for row in cursor.fetchall()]
        if existing:
            # A visit that moves month on re-import changes the figures of both months.
            cursor.execute(
                f"""SELECT DISTINCT v.planned_date FROM visits_visit v JOIN {STAGE_VISITS} s
                      ON s.provider_id = v.provider_id AND s.visit_id = v.visit_id"""
            )
            days += [row[0] for row in cursor.fetchall()]
        cursor.execute(
            f"""INSERT INTO visits_careworker (provider_id, ref)
                SELECT DISTINCT provider_id, carer_ref FROM {STAGE}
                WHERE carer_ref IS NOT NULL
                ON CONFLICT (provider_id, ref) DO NOTHING"""
        )
        columns = (
            "package_id, person_id, planned_start, planned_end, planned_date, actual_start,"
            " actual_end, status, ecm_verified, carer_count"
        )
        names = columns.replace(" ", "").split(",")
        updates = ", ".join(f"{c} = excluded.{c}" for c in names)
        cursor.execute(
            f"""INSERT INTO visits_visit (provider_id, visit_id, {columns})
                SELECT provider_id, visit_id, {columns} FROM {STAGE_VISITS} WHERE 1 = 1
                ON CONFLICT (provider_id, visit_id) DO UPDATE SET {updates}
                WHERE {_changed("visits_visit", names)}"""
        )
        if existing:
            # The file says who was on each visit it names: care workers it no
            # longer lists come off; the others are updated in place below.
            cursor.execute(
                f"""DELETE FROM visits_visitcarer WHERE (visit_id, care_worker_id) IN (
                      SELECT vc.visit_id, vc.care_worker_id FROM visits_visitcarer vc
                      JOIN visits_visit v ON v.id = vc.visit_id
                      JOIN {STAGE_VISITS} sv
                        ON sv.provider_id = v.provider_id AND sv.visit_id = v.visit_id
                      JOIN visits_careworker c ON c.id = vc.care_worker_id
                      LEFT JOIN {STAGE} s ON s.provider_id = v.provider_id
                       AND s.visit_id = v.visit_id AND s.carer_ref = c.ref
                      WHERE s.line IS NULL)"""
            )
        cursor.execute(
            f"""INSERT INTO visits_visitcarer (visit_id, care_worker_id, actual_start,
                    actual_end, verification)
                SELECT v.id, c.id, s.actual_start, s.actual_end, COALESCE(s.verification, '')
                FROM {STAGE} s
                JOIN visits_visit v ON v.provider_id = s.provider_id AND v.visit_id = s.visit_id
                JOIN visits_careworker c ON c.provider_id = s.provider_id AND c.ref = s.carer_ref
                WHERE 1 = 1
                ON CONFLICT (visit_id, care_worker_id) DO UPDATE SET
                    actual_start = excluded.actual_start, actual_end = excluded.actual_end,
                    verification = excluded.verification
                WHERE {_changed("visits_visitcarer", VISIT_CARER_TIMES)}"""
        )
    result.created = visits - existing
    result.updated = existing
    result.months_touched = sorted(
        {day[:7] if isinstance(day, str) else month_key(day) for day in days}
    )
    result.detail = f"{visits:,} visits"


def import_visits(binary: IO[bytes], *, provider_id: int | None = None) -> ImportResult:
    """Import an ECM export. With provider_id (a provider's own upload) every
    row must be one of that provider's packages."""
    stage = _Stage()
    with transaction.atomic():
        stage.create()
        try:
            csv_file = open_csv(binary, required=REQUIRED, optional=OPTIONAL)
            errors = csv_file.errors
            counts = Counts()
            postgres = stage.vendor == "postgresql"
            kept_from = first_kept_day().isoformat()
            rows = checked_rows(
                csv_file, packages_by_ref(), postgres, provider_id, counts, kept_from
            )
            stage.load(rows)
            if not errors:
                stage.analyze()
                _group_visits(errors)
            errors.raise_if_any()
            result = ImportResult(
                kind="visits", rows=counts.rows, ignored_columns=csv_file.ignored_columns
            )
            _write(result)
        finally:
            if stage.vendor != "postgresql":
                stage.drop()
    _refresh_statistics(result.rows)
    return result


def _refresh_statistics(rows: int) -> None:
    """After a large import, give PostgreSQL's planner fresh statistics at once:
    autovacuum would within a minute, but the KPI recompute and the dashboards
    the import queues come sooner, and stale counts send them to sequential scans."""
    if connection.vendor == "postgresql" and rows >= ANALYZE_AFTER_ROWS:
        with connection.cursor() as cursor:
            cursor.execute("ANALYZE visits_visit, visits_visitcarer, visits_careworker")
