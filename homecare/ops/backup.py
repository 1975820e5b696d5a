"""Making a backup: `manage.py backup` (`make backup`).

One archive (homecare.ops.archive) with the database, the stored files it
names and a manifest, written under a temporary name and renamed when whole,
readable by its owner only (it holds personal data). Archives older than
BACKUP_RETENTION_DAYS in the backup folder are deleted after each success.
"""

from __future__ import annotations

import logging
import os
import tempfile
import time
from dataclasses import dataclass, field
from datetime import UTC, datetime, timedelta
from pathlib import Path

from django.conf import settings
from django.db import connection, transaction

from homecare.ops import dumps
from homecare.ops.archive import MEDIA_PREFIX, Manifest, sha256, versions, write_archive
from homecare.ops.stored_files import StoredFiles, files_to_back_up

logger = logging.getLogger(__name__)

PREFIX = "homecare-backup-"
SUFFIX = ".tar"


@dataclass
class BackupResult:
    path: Path
    manifest: Manifest
    seconds: float
    pruned: list[Path] = field(default_factory=list)

    @property
    def rows(self) -> int:
        return sum(self.manifest.row_counts.values())

    def lines(self) -> list[str]:
        media = len(self.manifest.media_members)
        lines = [
            f"Backup written to {self.path} ({self.path.stat().st_size:,} bytes) "
            f"in {self.seconds:.1f}s.",
            f"{len(self.manifest.row_counts):,} tables, {self.rows:,} rows; "
            f"{media:,} stored file{'s' if media != 1 else ''}.",
        ]
        lines += [f"Not copied: {reason}" for reason in self.manifest.left_out]
        lines += [f"Deleted the old backup {old.name}" for old in self.pruned]
        return lines


def _postgres_snapshot(work: Path) -> tuple[dict[str, int], dict[str, list[str]], StoredFiles, str]:
    """Count, list and dump inside one repeatable-read transaction whose
    snapshot pg_dump shares: the archive is one moment of the database."""
    target = work / "database.dump"
    with transaction.atomic(), connection.cursor() as cursor:
        cursor.execute("SET TRANSACTION ISOLATION LEVEL REPEATABLE READ, READ ONLY")
        cursor.execute("SELECT pg_export_snapshot()")
        snapshot = cursor.fetchone()[0]
        counts = {}
        for table in sorted(connection.introspection.table_names(cursor)):
            cursor.execute(f"SELECT count(*) FROM {connection.ops.quote_name(table)}")
            counts[table] = int(cursor.fetchone()[0])
        cursor.execute("SELECT app, name FROM django_migrations ORDER BY id")
        migrations: dict[str, list[str]] = {}
        for app, name in cursor.fetchall():
            migrations.setdefault(app, []).append(name)
        stored = files_to_back_up()
        tool = dumps.pg_dump(target, snapshot)
    return counts, migrations, stored, tool


def make_backup(output_dir: Path | None = None, *, keep_days: int | None = None) -> BackupResult:
    began = time.monotonic()
    folder = Path(output_dir or settings.BACKUP_DIR)
    folder.mkdir(parents=True, exist_ok=True)
    stamp = datetime.now(UTC).strftime("%Y%m%dT%H%M%SZ")
    target = folder / f"{PREFIX}{stamp}{SUFFIX}"
    media_root = Path(settings.MEDIA_ROOT).resolve()
    with tempfile.TemporaryDirectory(dir=folder, prefix=".backup-") as temp:
        work = Path(temp)
        if connection.vendor == "postgresql":
            counts, migrations, stored, tool = _postgres_snapshot(work)
            database = work / "database.dump"
            member = "database.dump"
            server = f"PostgreSQL {dumps.server_major()}"
        elif connection.vendor == "sqlite":
            database = work / "database.sqlite3"
            member = "database.sqlite3"
            dumps.sqlite_copy(dumps.sqlite_path(), database)
            counts, migrations = dumps.sqlite_facts(database)
            stored = files_to_back_up()
            tool, server = "sqlite3 backup API", "SQLite"
        else:
            raise dumps.DatabaseToolError(f"Backups of {connection.vendor} are not supported.")
        made_by = versions()
        members = {member: database}
        members.update({MEDIA_PREFIX + name: media_root / name for name in sorted(stored.keep)})
        manifest = Manifest(
            created_at=datetime.now(UTC).isoformat(timespec="seconds"),
            database_vendor=connection.vendor,
            database_member=member,
            migrations=migrations,
            row_counts=counts,
            checksums={name: sha256(path) for name, path in members.items()},
            media_root=str(media_root),
            database_version=server,
            tool_version=tool,
            left_out=stored.left_out,
            app_version=made_by["app_version"],
            django_version=made_by["django_version"],
            python_version=made_by["python_version"],
        )
        partial = work / "archive.tar"
        write_archive(partial, manifest, members)
        os.chmod(partial, 0o600)
        partial.replace(target)
    pruned = prune_backups(folder, keep_days)
    result = BackupResult(target, manifest, time.monotonic() - began, pruned)
    logger.info(
        "Backup written to %s",
        target,
        extra={"backup": str(target), "rows": result.rows, "duration_ms": result.seconds * 1000},
    )
    return result


def prune_backups(folder: Path, keep_days: int | None = None) -> list[Path]:
    """Delete this service's archives older than the retention period."""
    days = settings.BACKUP_RETENTION_DAYS if keep_days is None else keep_days
    if days <= 0:
        return []
    cutoff = time.time() - timedelta(days=days).total_seconds()
    pruned = []
    for path in sorted(folder.glob(f"{PREFIX}*{SUFFIX}")):
        if path.is_file() and path.stat().st_mtime < cutoff:
            path.unlink()
            pruned.append(path)
    return pruned
