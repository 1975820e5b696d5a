"""visits.csv, the ECM export, as shared/specs/data-exchange.md defines it.

A visits file can hold a million rows, so it is never held in memory: each row
is checked in Python as it streams past and appended to a temporary staging
table (COPY on PostgreSQL). The checks that need the whole file (the rows of one
visit must agree; a care worker appears once per visit) and the writes are then
set-based SQL over the staging table, all in one transaction.
"""

from __future__ import annotations

import datetime as dt
from typing import IO

from django.db import connection, transaction
from django.db.backends.utils import CursorWrapper

from common.cells import month_key
from common.csvimport import ErrorReport, ImportResult, open_csv
from common.months import Month
from visits import partitions
from visits.pgfast import STAGE_VIEW, NotPlain, stage_plain, visit_ids
from visits.pgfast import knows as knows_plain
from visits.pgstage import NeedsReader, knows, stage_with_sql
from visits.retention import first_kept_day
from visits.rows import Counts, checked_rows, packages_by_ref
from visits.staging import STAGE, STAGE_VISITS, Stage

REQUIRED = ["visit_id", "package_ref", "planned_start", "planned_end", "status"]
OPTIONAL = ["carer_ref", "actual_start", "actual_end", "verification", "cancelled_at"]
ANALYZE_AFTER_ROWS = 10_000
# Which columns of the file each agreement check is about, for the report.
AGREEMENT = (
    ("package_id", "package_ref"),
    ("planned_start", "planned_start"),
    ("planned_end", "planned_end"),
    ("status", "status"),
)


def _group_visits(errors: ErrorReport) -> None:
    """Build one row per visit, and check the rows of each visit agree and name
    each care worker once. The line-by-line report is only worked out for a
    file that has such a problem."""
    postgres = connection.vendor == "postgresql"
    ecm = "MIN(CASE WHEN verification = 'ecm' THEN 1 ELSE 0 END) = 1"
    disagree = " OR ".join(f"MIN({col}) <> MAX({col})" for col, _ in AGREEMENT)
    duplicated = "COUNT(carer_ref) > COUNT(DISTINCT carer_ref) OR COUNT(*) - COUNT(carer_ref) > 1"
    # Each visit takes a new id now (PostgreSQL) and gives it back for the id
    # it has if it is found stored (_write): a gap in the ids, never a clash.
    fresh = 1 if postgres else 0
    with connection.cursor() as cursor:
        new_id = visit_ids(cursor) if postgres else "CAST(NULL AS bigint)"
        cursor.execute(f"DROP TABLE IF EXISTS {STAGE_VISITS}")
        cursor.execute(
            f"""CREATE TEMPORARY TABLE {STAGE_VISITS}{" ON COMMIT DROP" if postgres else ""} AS
                SELECT provider_id, visit_id, MIN(package_id) AS package_id,
                    MIN(person_id) AS person_id, MIN(planned_start) AS planned_start,
                    MIN(planned_end) AS planned_end, MIN(planned_date) AS planned_date,
                    MAX(actual_start) AS actual_start, MAX(actual_end) AS actual_end,
                    MIN(status) AS status, {ecm} AS ecm_verified,
                    MAX(cancelled_at) AS cancelled_at,
                    COUNT(carer_ref) AS carer_count,
                    CASE WHEN {disagree} THEN 1 ELSE 0 END AS disagrees,
                    CASE WHEN {duplicated} THEN 1 ELSE 0 END AS duplicated,
                    {new_id} AS id, CAST(NULL AS date) AS old_date, {fresh} AS fresh
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
VISIT_COLUMNS = [
    "package_id",
    "person_id",
    "planned_start",
    "planned_end",
    "planned_date",
    "actual_start",
    "actual_end",
    "status",
    "ecm_verified",
    "carer_count",
    "cancelled_at",
]
# pg_advisory_xact_lock(VISIT_LOCKS, provider id): one import of a provider's
# visits at a time; imports of different providers never wait for each other.
VISIT_LOCKS = 0x56495354  # "VIST"


def _changed(table: str, other: str, columns: list[str]) -> str:
    """SQL true when any column differs, NULLs included, on PostgreSQL and SQLite
    alike: re-importing a file rewrites only the rows it changes."""
    return " OR ".join(
        f"({table}.{c} <> {other}.{c} OR ({table}.{c} IS NULL) <> ({other}.{c} IS NULL))"
        for c in columns
    )


def _lock_providers(cursor, visits_table: str) -> None:  # type: ignore[no-untyped-def]
    """Hold each provider of the file until commit, in id order (no deadlock):
    (provider, visit id) is kept unique across months by the importer, so two
    imports of one provider's visits must not interleave. SQLite runs one
    writer at a time anyway."""
    if connection.vendor == "postgresql":
        cursor.execute(
            f"""SELECT pg_advisory_xact_lock({VISIT_LOCKS}, p.provider_id::int)
                FROM (SELECT DISTINCT provider_id FROM {visits_table} ORDER BY provider_id) p"""
        )


def _write(result: ImportResult, *, enclosed: bool, plain: bool = False) -> None:
    """Each visit of the file gets its id first, in the staging table: the id
    it has (found by provider and visit id, wherever it is stored) or a new
    one. Then visits are updated or inserted, and care-worker rows written
    from the staging tables alone, without looking visits up again.

    A plain file (visits/pgfast.py) was staged one row per care worker with
    its visit's id on each row; its visits are a view of that table."""
    visits_table = STAGE_VIEW if plain else STAGE_VISITS
    with connection.cursor() as cursor:
        _lock_providers(cursor, visits_table)
        cursor.execute(f"SELECT COUNT(*) FROM {visits_table}")
        visits = cursor.fetchone()[0]
        # The months the file's visits fall in are made before this
        # transaction touches the visit tables: made on the side, they need a
        # lock this transaction would otherwise hold against them.
        cursor.execute(f"SELECT DISTINCT planned_date FROM {visits_table}")
        days = [_as_date(row[0]) for row in cursor.fetchall()]
        partitions.ensure_months((Month.of(day) for day in days), committed=not enclosed)
        # A plain file's rows each carry their visit's id: all take the stored one.
        found_in = STAGE if plain else visits_table
        cursor.execute(
            f"""UPDATE {found_in} SET id = v.id, old_date = v.planned_date, fresh = 0
                FROM visits_visit v
                WHERE v.provider_id = {found_in}.provider_id
                  AND v.visit_id = {found_in}.visit_id"""
        )
        existing = cursor.rowcount
        if existing and plain:
            cursor.execute(f"SELECT COUNT(*) FROM {visits_table} WHERE fresh = 0")
            existing = cursor.fetchone()[0]
        _new_ids(cursor, visits - existing)
        if existing and connection.vendor == "postgresql":
            # Its statistics said every visit was new: without fresh ones the
            # planner would join the stored rows one by one.
            cursor.execute(f"ANALYZE {found_in}")
        if existing:
            # A visit that moves month on re-import changes the figures of both
            # months (its old month's partition exists: the visit is in it).
            cursor.execute(
                f"SELECT DISTINCT old_date FROM {visits_table} WHERE old_date IS NOT NULL"
            )
            days = sorted({*days, *(_as_date(row[0]) for row in cursor.fetchall())})
        # Every row this import touches is stored within these dates: later
        # statements name them, so PostgreSQL reads only those months' partitions.
        within = [min(days), max(days)]
        cursor.execute(
            f"""INSERT INTO visits_careworker (provider_id, ref)
                SELECT DISTINCT provider_id, carer_ref FROM {STAGE}
                WHERE carer_ref IS NOT NULL
                ON CONFLICT (provider_id, ref) DO NOTHING"""
        )
        columns = ", ".join(VISIT_COLUMNS)
        if existing:
            cursor.execute(
                f"""UPDATE visits_visit SET {", ".join(f"{c} = s.{c}" for c in VISIT_COLUMNS)}
                    FROM {visits_table} s
                    WHERE s.id = visits_visit.id AND s.fresh = 0
                      AND visits_visit.planned_date BETWEEN %s AND %s
                      AND ({_changed("visits_visit", "s", VISIT_COLUMNS)})""",
                within,
            )
            # The file says who was on each visit it names: care workers it no
            # longer lists come off, and so do the rows of a visit that moved
            # month (they are written again in the new month's partition).
            gone = f"""SELECT vc.visit_id, vc.care_worker_id, vc.planned_date
                FROM visits_visitcarer vc
                JOIN {visits_table} sv ON sv.id = vc.visit_id AND sv.fresh = 0
                JOIN visits_careworker c ON c.id = vc.care_worker_id
                LEFT JOIN {STAGE} s ON s.provider_id = sv.provider_id
                 AND s.visit_id = sv.visit_id AND s.carer_ref = c.ref
                WHERE (s.visit_id IS NULL OR vc.planned_date <> sv.planned_date)
                  AND vc.planned_date BETWEEN %s AND %s"""
            if connection.vendor == "postgresql":
                # Joined, not `IN (...)`: PostgreSQL would probe the subquery
                # once per stored row.
                cursor.execute(
                    f"""DELETE FROM visits_visitcarer d USING ({gone}) g
                        WHERE d.visit_id = g.visit_id AND d.care_worker_id = g.care_worker_id
                          AND d.planned_date = g.planned_date""",
                    within,
                )
            else:
                cursor.execute(
                    f"""DELETE FROM visits_visitcarer
                        WHERE (visit_id, care_worker_id, planned_date) IN ({gone})""",
                    within,
                )
        if existing < visits:
            cursor.execute(
                f"""INSERT INTO visits_visit (id, provider_id, visit_id, {columns})
                    SELECT id, provider_id, visit_id, {columns} FROM {visits_table}
                    WHERE fresh = 1"""
            )
        key = (
            "visit_id, care_worker_id, planned_date"
            if partitions.is_partitioned()
            else "visit_id, care_worker_id"
        )
        # Into new visits only, nothing can conflict: a plain insert is cheaper.
        upsert = (
            f"""WHERE 1 = 1 ON CONFLICT ({key}) DO UPDATE SET
                    actual_start = excluded.actual_start, actual_end = excluded.actual_end,
                    verification = excluded.verification
                WHERE {_changed("visits_visitcarer", "excluded", VISIT_CARER_TIMES)}"""
            if existing
            else ""
        )
        # A plain file's rows know their visit's id: no join to find it.
        visit = (
            ""
            if plain
            else f"""JOIN {visits_table} sv ON sv.provider_id = s.provider_id
                 AND sv.visit_id = s.visit_id"""
        )
        cursor.execute(
            f"""INSERT INTO visits_visitcarer (visit_id, care_worker_id, planned_date,
                    actual_start, actual_end, verification)
                SELECT {"s" if plain else "sv"}.id, c.id, s.planned_date, s.actual_start,
                    s.actual_end, COALESCE(s.verification, '')
                FROM {STAGE} s {visit}
                JOIN visits_careworker c ON c.provider_id = s.provider_id AND c.ref = s.carer_ref
                {upsert}"""
        )
    result.created = visits - existing
    result.updated = existing
    result.months_touched = sorted({month_key(day) for day in days})
    result.detail = f"{visits:,} visits"


def _new_ids(cursor, count: int) -> None:  # type: ignore[no-untyped-def]
    """Ids for the file's new visits on SQLite, after the highest ever given
    (one writer at a time there); PostgreSQL drew them from the sequence."""
    if not count or connection.vendor == "postgresql":
        return
    cursor.execute(
        """SELECT MAX(COALESCE((SELECT MAX(id) FROM visits_visit), 0),
                      COALESCE((SELECT seq FROM sqlite_sequence WHERE name = 'visits_visit'), 0))"""
    )
    start = cursor.fetchone()[0]
    cursor.execute(
        f"""UPDATE {STAGE_VISITS} SET fresh = 1, id = %s + o.n
            FROM (SELECT rowid AS r, ROW_NUMBER() OVER (ORDER BY rowid) AS n
                  FROM {STAGE_VISITS} WHERE id IS NULL) o
            WHERE o.r = {STAGE_VISITS}.rowid""",
        [start],
    )


def _as_date(value: dt.date | str) -> dt.date:
    return dt.date.fromisoformat(value) if isinstance(value, str) else value


def import_visits(
    binary: IO[bytes], *, provider_id: int | None = None, path: str = "auto"
) -> ImportResult:
    """Import an ECM export. With provider_id (a provider's own upload) every
    row must be one of that provider's packages.

    On PostgreSQL the file's raw text is COPYed and checked set-based in SQL
    (visits/pgstage.py); a file that SQL path cannot read line for line as the
    Python reader does (quotes, blank lines, control characters: see
    NeedsReader) is rolled back and read row by row in Python instead. Both
    paths report with visits/rows.py's messages. `path` ("sql" or "python")
    forces one, for the tests that hold both to the same results."""
    if path == "python" or connection.vendor != "postgresql":
        return _import(binary, provider_id, sql=False)
    if path == "sql":
        return _import(binary, provider_id, sql=True)
    try:
        return _import(binary, provider_id, sql=True)
    except NeedsReader:
        binary.seek(0)
    return _import(binary, provider_id, sql=False)


def _import(binary: IO[bytes], provider_id: int | None, *, sql: bool) -> ImportResult:
    stage = Stage()
    # Inside a caller's transaction (a bulk load, a test) new months are made
    # in it; otherwise on the side, committed at once (visits/partitions.py).
    enclosed = connection.in_atomic_block
    with transaction.atomic():
        try:
            csv_file = open_csv(binary, required=REQUIRED, optional=OPTIONAL)
            errors = csv_file.errors
            kept_from = first_kept_day().isoformat()
            plain = False
            if sql:
                columns = [c for c in csv_file.header if c in REQUIRED + OPTIONAL]
                if not knows(columns):
                    raise NeedsReader
                if knows_plain(columns):
                    try:
                        # A savepoint: a file found not plain leaves nothing.
                        with transaction.atomic():
                            rows = stage_plain(binary, csv_file, provider_id, kept_from)
                        plain = True
                    except NotPlain:
                        pass
                if not plain:
                    rows = stage_with_sql(binary, csv_file, provider_id, kept_from)
            else:
                stage.create()
                counts = Counts()
                postgres = stage.vendor == "postgresql"
                stage.load(
                    checked_rows(
                        csv_file, packages_by_ref(), postgres, provider_id, counts, kept_from
                    )
                )
                rows = counts.rows
            if not errors and not plain:
                stage.analyze()
                _group_visits(errors)
            errors.raise_if_any()
            result = ImportResult(
                kind="visits", rows=rows, ignored_columns=csv_file.ignored_columns
            )
            _write(result, enclosed=enclosed, plain=plain)
            if plain:
                # It depends on the staging table, which goes at commit; inside a
                # caller's transaction a later import must be free to drop that.
                with connection.cursor() as cursor:
                    cursor.execute(f"DROP VIEW {STAGE_VIEW}")
        finally:
            if stage.vendor != "postgresql":
                stage.drop()
    _refresh_statistics(result.rows, result.months_touched)
    return result


def _refresh_statistics(rows: int, months: list[str]) -> None:
    """After a large import, give PostgreSQL's planner fresh statistics at once:
    autovacuum would within a minute, but the KPI recompute and the dashboards
    the import queues come sooner, and stale counts send them to sequential
    scans. With partitions, only the months the file touched are analysed:
    the others did not change, and analysing all would grow with the history."""
    if connection.vendor != "postgresql" or rows < ANALYZE_AFTER_ROWS:
        return
    existing = partitions.month_partitions()
    tables = [
        partitions.partition_name(table, Month.parse(key))
        for key in months
        if key in existing
        for table in partitions.TABLES
    ] or ["visits_visit", "visits_visitcarer"]
    with connection.cursor() as cursor:
        cursor.execute(f"ANALYZE {', '.join(tables)}, visits_careworker")
