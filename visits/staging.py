"""The staging table of a visits import, and the Python path that fills it.

Rows checked by visits/rows.py stream into a temporary table (COPY on
PostgreSQL, batched INSERTs on SQLite); visits/imports.py then groups and writes
them set-based. visits/pgstage.py fills the same table from SQL on PostgreSQL.
"""

from __future__ import annotations

from collections.abc import Iterator
from itertools import islice
from typing import Any

from django.db import connection

CHUNK_ROWS = 5_000
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
    "cancelled_at",
    "time_critical",
)


# COPY's text format: a backslash, tab or line break inside a value is escaped,
# and \N is NULL. Only the refs and the verification word come from the file
# as free text; every other value is a number or a time this module wrote.
_COPY_ESCAPES = str.maketrans({"\\": "\\\\", "\t": "\\t", "\n": "\\n", "\r": "\\r"})


NULL = "\\N"


def _copy_text(value: str | None) -> str:
    return NULL if value is None else value.translate(_COPY_ESCAPES)


def copy_line(row: tuple[Any, ...]) -> str:
    (line, provider, package, person, visit_id, carer, p_start, p_end, day, a_start, a_end,
     status, verification, cancelled_at, time_critical) = row  # fmt: skip
    return (
        f"{line}\t{provider}\t{package}\t{person}\t{_copy_text(visit_id)}\t"
        f"{_copy_text(carer)}\t{p_start}\t{p_end}\t{day}\t"
        f"{a_start or NULL}\t{a_end or NULL}\t{status}\t{_copy_text(verification)}\t"
        f"{cancelled_at or NULL}\t{time_critical}\n"
    )


class RowPipe:
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
                text = copy_line(row)
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


class Stage:
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
                    status varchar(16) NOT NULL, verification varchar(32),
                    cancelled_at {timestamp},
                    time_critical smallint NOT NULL DEFAULT 0){on_commit}"""
            )

    def load(self, rows: Iterator[tuple[Any, ...]]) -> None:
        """Stream rows into the table as they are checked. On PostgreSQL COPY
        pulls them through a pipe, so the server stores one chunk while Python
        checks the next, on the other core."""
        with connection.cursor() as cursor:
            if self.vendor == "postgresql":
                pipe = RowPipe(rows)
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
