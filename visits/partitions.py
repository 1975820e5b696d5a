"""Visits and their care-worker rows, partitioned by month on PostgreSQL.

Both tables are range-partitioned on planned_date (the visit's London date,
copied onto each care-worker row), one partition per month, named
visits_visit_p2026_10 and visits_visitcarer_p2026_10, with a DEFAULT partition
each that catches a row of a month not yet created (a visit typed in the admin,
a test's factory). So a query of one month reads one partition of each table,
and removing a month past retention is dropping two tables.

Months are created ahead by a beat task (homecare.scale), and by the importer
for the months of its file before it writes. Creating a month whose rows sit
in the default partition moves them into it first. SQLite keeps plain tables:
every function here is a no-op there, and callers need not ask.

The primary keys include planned_date, as PostgreSQL requires of a partitioned
table: (id, planned_date) for visits, (visit_id, care_worker_id, planned_date)
for care-worker rows. Django keeps `id` as the visit's primary key: ids come
from one sequence, so they stay unique across partitions. (provider, visit id)
is unique per month in the database; across months the importer, which finds
a visit wherever it is stored, keeps it so.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterable

from django.db import DEFAULT_DB_ALIAS, connection, connections, transaction

from common.months import Month

TABLES = ("visits_visit", "visits_visitcarer")
DEFAULT_SUFFIX = "_default"


def partition_name(table: str, month: Month) -> str:
    return f"{table}_p{month.first:%Y_%m}"


def is_partitioned(using_connection=None) -> bool:  # type: ignore[no-untyped-def]
    conn = using_connection or connection
    if conn.vendor != "postgresql":
        return False
    with conn.cursor() as cursor:
        cursor.execute("SELECT relkind FROM pg_class WHERE oid = to_regclass('visits_visit')")
        row = cursor.fetchone()
    return bool(row) and row[0] == "p"


def month_partitions(table: str = "visits_visit") -> dict[str, str]:
    """The month partitions of a table: {"2026-10": "visits_visit_p2026_10"}."""
    if not is_partitioned():
        return {}
    with connection.cursor() as cursor:
        cursor.execute(
            """SELECT c.relname FROM pg_inherits i JOIN pg_class c ON c.oid = i.inhrelid
               WHERE i.inhparent = to_regclass(%s)""",
            [table],
        )
        names = [row[0] for row in cursor.fetchall()]
    prefix = f"{table}_p"
    return {
        f"{name[len(prefix) : len(prefix) + 4]}-{name[-2:]}": name
        for name in names
        if name.startswith(prefix)
    }


def _bounds(month: Month) -> tuple[dt.date, dt.date]:
    return month.first, month.last + dt.timedelta(days=1)


def ensure_months(months: Iterable[Month], *, committed: bool = False) -> list[str]:
    """Create the partitions of each month that lacks them; the months created.

    committed=True (the importer, when no caller's transaction encloses it)
    makes them on a connection of their own and commits at once: made inside
    the import's transaction, a new month would hold a lock on the tables until
    the import commits, and every other import would wait for it."""
    if not is_partitioned():
        return []
    existing = month_partitions()
    missing = [m for m in sorted(set(months), key=lambda m: m.first) if m.key not in existing]
    if missing and committed:
        other = connections.create_connection(DEFAULT_DB_ALIAS)
        try:
            other.ensure_connection()
            raw = other.connection
            for month in missing:
                with raw, raw.cursor() as cursor:  # one transaction per month
                    for table in TABLES:
                        _create_partition(cursor, table, month)
        finally:
            other.close()
        return [month.key for month in missing]
    for month in missing:
        with transaction.atomic(), connection.cursor() as cursor:
            for table in TABLES:
                _create_partition(cursor, table, month)
    return [month.key for month in missing]


def _create_partition(cursor, table: str, month: Month) -> None:  # type: ignore[no-untyped-def]
    """The month's partition, its rows moved out of the default partition.
    The parent is locked against writes meanwhile, so no row of the month can
    reach the default partition between the move and the attach."""
    name = partition_name(table, month)
    start, end = _bounds(month)
    cursor.execute(f"LOCK TABLE {table} IN SHARE ROW EXCLUSIVE MODE")
    cursor.execute("SELECT to_regclass(%s)", [name])
    if cursor.fetchone()[0] is not None:
        return  # made meanwhile by another process
    cursor.execute(f"CREATE TABLE {name} (LIKE {table} INCLUDING DEFAULTS INCLUDING CONSTRAINTS)")
    default = table + DEFAULT_SUFFIX
    cursor.execute(
        f"""WITH moved AS (DELETE FROM {default} WHERE planned_date >= %s AND planned_date < %s
                           RETURNING *)
            INSERT INTO {name} SELECT * FROM moved""",
        [start, end],
    )
    cursor.execute(
        f"ALTER TABLE {table} ATTACH PARTITION {name} FOR VALUES FROM (%s) TO (%s)",
        [start, end],
    )


def drop_month(month: Month) -> bool:
    """Drop the month's partitions (its visits and care-worker rows with them);
    whether it had any. Rows of the month in the default partition stay for
    the caller's DELETE."""
    if month.key not in month_partitions():
        return False
    with transaction.atomic(), connection.cursor() as cursor:
        for table in reversed(TABLES):
            cursor.execute(f"DROP TABLE IF EXISTS {partition_name(table, month)}")
    return True


# --- the migration that partitions an existing database -----------------------------


def partition_table(cursor, table: str, months: list[Month]) -> None:  # type: ignore[no-untyped-def]
    """Rebuild `table` as a partitioned table holding the same rows, with a
    partition for each month given and a default partition. Its indexes are
    rebuilt under the same names, primary and unique keys with planned_date."""
    old = f"{table}_unpartitioned"
    cursor.execute(
        """SELECT indexname, indexdef FROM pg_indexes WHERE tablename = %s""",
        [table],
    )
    indexes = cursor.fetchall()
    cursor.execute(
        """SELECT con.conname, pg_get_constraintdef(con.oid) FROM pg_constraint con
           WHERE con.conrelid = to_regclass(%s) AND con.contype IN ('p', 'u')""",
        [table],
    )
    keys = dict(cursor.fetchall())
    cursor.execute(f"ALTER TABLE {table} RENAME TO {old}")
    for name in keys:
        cursor.execute(f"ALTER TABLE {old} RENAME CONSTRAINT {name} TO {name}_old")
    cursor.execute(
        f"""CREATE TABLE {table} (LIKE {old} INCLUDING DEFAULTS INCLUDING CONSTRAINTS)
            PARTITION BY RANGE (planned_date)"""
    )
    cursor.execute(
        "SELECT attidentity FROM pg_attribute WHERE attrelid = to_regclass(%s) AND attname = 'id'",
        [old],
    )
    identity = cursor.fetchone()
    if identity and identity[0]:
        # PostgreSQL 15 has no identity columns on partitioned tables: a
        # sequence of its own, starting after the highest id, takes over.
        sequence = f"{table}_id_partitioned_seq"
        cursor.execute(f"CREATE SEQUENCE {sequence}")
        cursor.execute(
            f"SELECT setval('{sequence}', COALESCE((SELECT MAX(id) FROM {old}), 0) + 1, false)"
        )
        cursor.execute(f"ALTER TABLE {table} ALTER COLUMN id SET DEFAULT nextval('{sequence}')")
        cursor.execute(f"ALTER SEQUENCE {sequence} OWNED BY {table}.id")
    cursor.execute(f"CREATE TABLE {table}{DEFAULT_SUFFIX} PARTITION OF {table} DEFAULT")
    for month in months:
        start, end = _bounds(month)
        cursor.execute(
            f"CREATE TABLE {partition_name(table, month)} PARTITION OF {table} "
            "FOR VALUES FROM (%s) TO (%s)",
            [start, end],
        )
    cursor.execute(f"INSERT INTO {table} SELECT * FROM {old}")
    cursor.execute(f"DROP TABLE {old}")
    for name, definition in keys.items():
        columns = definition[definition.index("(") + 1 : definition.index(")")]
        kind = "PRIMARY KEY" if definition.startswith("PRIMARY KEY") else "UNIQUE"
        if "planned_date" not in columns:
            columns += ", planned_date"
        cursor.execute(f"ALTER TABLE {table} ADD CONSTRAINT {name} {kind} ({columns})")
    for name, definition in indexes:
        if name in keys or "USING brin" in definition:
            continue  # keys are made above; a month's partition needs no BRIN index
        cursor.execute(definition)


def months_to_create(cursor, table: str, today: dt.date, ahead: int) -> list[Month]:  # type: ignore[no-untyped-def]
    """Every month that holds a row of `table`, and this month and `ahead` after it."""
    cursor.execute(f"SELECT DISTINCT date_trunc('month', planned_date)::date FROM {table}")
    months = {Month.of(row[0]) for row in cursor.fetchall()}
    this = Month.of(today)
    for _ in range(ahead + 1):
        months.add(this)
        this = Month.of(this.last + dt.timedelta(days=1))
    return sorted(months, key=lambda m: m.first)


def unpartition_table(cursor, table: str) -> None:  # type: ignore[no-untyped-def]
    """partition_table undone: a plain table with the same rows, its keys
    without planned_date and `id` an identity column again."""
    old = f"{table}_partitioned"
    cursor.execute(
        """SELECT con.conname, pg_get_constraintdef(con.oid) FROM pg_constraint con
           WHERE con.conrelid = to_regclass(%s) AND con.contype IN ('p', 'u')""",
        [table],
    )
    keys = dict(cursor.fetchall())
    cursor.execute(
        """SELECT indexname, indexdef FROM pg_indexes WHERE tablename = %s""",
        [table],
    )
    indexes = [(n, d) for n, d in cursor.fetchall() if n not in keys]
    cursor.execute(f"ALTER TABLE {table} RENAME TO {old}")
    for name in keys:
        cursor.execute(f"ALTER TABLE {old} RENAME CONSTRAINT {name} TO {name}_old")
    cursor.execute(f"CREATE TABLE {table} (LIKE {old} INCLUDING CONSTRAINTS)")
    cursor.execute(f"INSERT INTO {table} SELECT * FROM {old}")
    cursor.execute(
        "SELECT 1 FROM pg_attribute WHERE attrelid = to_regclass(%s) AND attname = 'id'", [old]
    )
    has_id = cursor.fetchone() is not None
    cursor.execute(f"DROP TABLE {old} CASCADE")
    if has_id:
        cursor.execute(f"ALTER TABLE {table} ALTER COLUMN id ADD GENERATED BY DEFAULT AS IDENTITY")
        cursor.execute(
            f"SELECT setval(pg_get_serial_sequence('{table}', 'id'), "
            f"COALESCE((SELECT MAX(id) FROM {table}), 0) + 1, false)"
        )
    for name, definition in keys.items():
        inside = definition[definition.index("(") + 1 : definition.index(")")]
        columns = [c.strip() for c in inside.split(",") if c.strip() != "planned_date"]
        kind = "PRIMARY KEY" if definition.startswith("PRIMARY KEY") else "UNIQUE"
        cursor.execute(f"ALTER TABLE {table} ADD CONSTRAINT {name} {kind} ({', '.join(columns)})")
    for _name, definition in indexes:
        cursor.execute(definition.replace(" ON ONLY ", " ON "))
