"""One runner per import record, known to be alive while it runs.

Whoever runs an import holds a PostgreSQL session-level advisory lock on its
record for the whole run. PostgreSQL releases it when the session ends, however
it ends: so a record that says "running" but whose lock is free was left by a
worker that died (SIGKILL, out of memory, a lost host), and a second copy of the
task (a redelivery, a re-queue) that finds the lock taken knows someone else
has the import in hand.

SQLite (the demo) runs imports in-process, one at a time: the lock is always
granted there, and a run counts as dead only when it is far past the task's
time limit (see `homecare.imports.queue`).
"""

from __future__ import annotations

import contextlib
from collections.abc import Iterator

from django.db import DatabaseError, connection

# The advisory lock key space is shared by the whole database: the high 32 bits
# say "import record", the low 32 bits are its id.
NAMESPACE = 0x494D5054  # "IMPT"


def _key(record_id: int) -> int:
    key = (NAMESPACE << 32) | (record_id & 0xFFFFFFFF)
    return key - (1 << 64) if key >= 1 << 63 else key


def locks_tell_liveness() -> bool:
    """Whether a free lock proves nobody is running the import."""
    return connection.vendor == "postgresql"


@contextlib.contextmanager
def import_lock(record_id: int) -> Iterator[bool]:
    """Try to take the record's lock without waiting; yield whether it was
    taken, and release it on the way out."""
    if not locks_tell_liveness():
        yield True
        return
    with connection.cursor() as cursor:
        cursor.execute("SELECT pg_try_advisory_lock(%s)", [_key(record_id)])
        held = bool(cursor.fetchone()[0])
    try:
        yield held
    finally:
        if held and connection.connection is not None:
            # A broken session cannot unlock, but its end releases the lock:
            # Django closes an unusable connection after the task.
            with contextlib.suppress(DatabaseError), connection.cursor() as cursor:
                cursor.execute("SELECT pg_advisory_unlock(%s)", [_key(record_id)])
