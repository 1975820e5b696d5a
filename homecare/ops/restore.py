"""Restoring a backup: `manage.py restore FILE` (`make restore FILE=...`).

In order, stopping at the first problem:
1. read the manifest; refuse an archive of another database kind, or one
   whose migrations this code does not have (made by a newer version);
2. extract every member and check its SHA-256;
3. restore the database into an empty one (created if it does not exist), or
   over the current one with `replace`;
4. put the stored files back under MEDIA_ROOT (file paths recorded under
   another MEDIA_ROOT are moved to this one);
5. count every table and compare with the manifest;
6. apply the retention periods (`apply_retention`, where installed), so
   nothing past its retention comes back with an older backup.
"""

from __future__ import annotations

import logging
import shutil
import tempfile
from dataclasses import dataclass, field
from io import StringIO
from pathlib import Path

from django.conf import settings
from django.core.management import call_command, get_commands
from django.db import connection, connections
from django.db.migrations.loader import MigrationLoader
from django.db.models import Value
from django.db.models.functions import Replace

from homecare.ops import dumps
from homecare.ops.archive import (
    MEDIA_PREFIX,
    ArchiveError,
    Manifest,
    extract_checked,
    read_manifest,
)
from visits.models import ImportRecord

logger = logging.getLogger(__name__)

RETENTION_COMMAND = "apply_retention"


@dataclass
class RestoreResult:
    manifest: Manifest
    created_database: bool = False
    files: int = 0
    relocated: int = 0
    pending_migrations: list[str] = field(default_factory=list)
    retention: list[str] = field(default_factory=list)
    retention_skipped: bool = False

    def lines(self) -> list[str]:
        m = self.manifest
        rows = sum(m.row_counts.values())
        lines = []
        if self.created_database:
            lines.append("Created the database, which did not exist.")
        lines.append(
            f"Restored the backup of {m.created_at} (version {m.app_version}): "
            f"{len(m.row_counts):,} tables and {rows:,} rows, all counts as in the manifest; "
            f"{self.files:,} stored files."
        )
        if self.relocated:
            lines.append(
                f"Moved {self.relocated:,} upload paths from {m.media_root} "
                f"to {settings.MEDIA_ROOT}."
            )
        lines += [f"Retention: {line}" for line in self.retention]
        if self.pending_migrations:
            count = len(self.pending_migrations)
            lines.append(
                f"This code has {count} migration{'s' if count != 1 else ''} the backup had "
                "not applied: run `manage.py migrate` before starting the service."
            )
        if self.retention_skipped and RETENTION_COMMAND in get_commands():
            lines.append(
                f"Then run `manage.py {RETENTION_COMMAND}`: retention was not applied to the "
                "older tables."
            )
        return lines


def unknown_migrations(manifest: Manifest) -> list[str]:
    """Migrations applied in the backup that this code does not have."""
    known = set(MigrationLoader(None, ignore_no_migrations=True).disk_migrations)
    return [
        f"{app}.{name}"
        for app, names in sorted(manifest.migrations.items())
        for name in names
        if (app, name) not in known
    ]


def check_compatible(manifest: Manifest) -> None:
    if manifest.database_vendor != connection.vendor:
        raise ArchiveError(
            f"This is a {manifest.database_vendor} backup and the service is configured for "
            f"{connection.vendor}: restore it into a {manifest.database_vendor} database."
        )
    unknown = unknown_migrations(manifest)
    if unknown:
        shown = ", ".join(unknown[:5]) + (" ..." if len(unknown) > 5 else "")
        raise ArchiveError(
            f"The backup was made by a newer version of the service (version "
            f"{manifest.app_version}): it has migrations this code does not ({shown}). "
            "Install that version or later, then restore."
        )


def _current_counts() -> dict[str, int]:
    with connection.cursor() as cursor:
        counts = {}
        for table in sorted(connection.introspection.table_names(cursor)):
            cursor.execute(f"SELECT count(*) FROM {connection.ops.quote_name(table)}")
            counts[table] = int(cursor.fetchone()[0])
    return counts


def _restore_database(manifest: Manifest, folder: Path, replace: bool) -> bool:
    copy = folder / manifest.database_member
    if connection.vendor == "sqlite":
        dumps.sqlite_restore(copy, replace=replace)
        return False
    created = dumps.ensure_postgres_database()
    with connection.cursor() as cursor:
        tables = connection.introspection.table_names(cursor)
    if tables:
        if not replace:
            raise ArchiveError(
                f"The database {settings.DATABASES['default']['NAME']} already holds "
                f"{len(tables)} tables: restore into an empty database, or pass --replace "
                "to drop everything in it first."
            )
        dumps.drop_postgres_tables()
    # pg_restore works on its own connection; ours must not hold a transaction open.
    connection.close()
    dumps.pg_restore(copy)
    return created


def _restore_files(manifest: Manifest, folder: Path) -> int:
    root = Path(settings.MEDIA_ROOT)
    for name in manifest.media_members:
        target = root / name[len(MEDIA_PREFIX) :]
        target.parent.mkdir(parents=True, exist_ok=True)
        shutil.copyfile(folder / name, target)
    return len(manifest.media_members)


def _relocate_uploads(manifest: Manifest) -> int:
    """Uploads are recorded by absolute path: point them at this MEDIA_ROOT."""
    old = manifest.media_root.rstrip("/") + "/"
    new = str(Path(settings.MEDIA_ROOT).resolve()).rstrip("/") + "/"
    if old == new:
        return 0
    return ImportRecord.objects.filter(stored_file__startswith=old).update(
        stored_file=Replace("stored_file", Value(old), Value(new))
    )


def _verify(manifest: Manifest) -> None:
    counts = _current_counts()
    differences = [
        f"{table}: {manifest.row_counts.get(table)} in the backup, {counts.get(table)} restored"
        for table in sorted(set(counts) | set(manifest.row_counts))
        if counts.get(table) != manifest.row_counts.get(table)
    ]
    if differences:
        raise ArchiveError("The restored row counts differ:\n" + "\n".join(differences))


def _pending_migrations() -> list[str]:
    loader = MigrationLoader(connection, ignore_no_migrations=True)
    return sorted(
        f"{app}.{name}"
        for app, name in loader.disk_migrations
        if (app, name) not in loader.applied_migrations
    )


def _apply_retention() -> list[str]:
    if RETENTION_COMMAND not in get_commands():
        return []
    out = StringIO()
    call_command(RETENTION_COMMAND, stdout=out)
    return [line for line in out.getvalue().splitlines() if line.strip()]


def restore_backup(
    archive: Path, *, replace: bool = False, retention: bool = True
) -> RestoreResult:
    manifest = read_manifest(archive)
    check_compatible(manifest)
    with tempfile.TemporaryDirectory(prefix="homecare-restore-") as temp:
        folder = Path(temp)
        extract_checked(archive, manifest, folder)
        result = RestoreResult(manifest)
        result.created_database = _restore_database(manifest, folder, replace)
        for alias in connections:
            connections[alias].close()
        result.files = _restore_files(manifest, folder)
    _verify(manifest)
    result.relocated = _relocate_uploads(manifest)
    result.pending_migrations = _pending_migrations()
    # Retention code expects this version's tables: after `migrate`, then.
    result.retention_skipped = retention and bool(result.pending_migrations)
    if retention and not result.pending_migrations:
        result.retention = _apply_retention()
    logger.info(
        "Restored the backup %s",
        archive,
        extra={"backup": str(archive), "rows": sum(manifest.row_counts.values())},
    )
    return result
