"""`make restore FILE=...`: a backup archive back into an empty database."""

from __future__ import annotations

from pathlib import Path
from typing import Any

from django.core.management.base import BaseCommand, CommandError, CommandParser

from homecare.ops.archive import ArchiveError
from homecare.ops.restore import restore_backup


class Command(BaseCommand):
    help = (
        "Restore a backup archive made by `manage.py backup`: into an empty (or missing) "
        "database, or over the current one with --replace. Refuses an archive made by a "
        "newer version, checks every file's checksum first and every table's row count after."
    )
    # The database may not exist yet: nothing may touch it before the restore does.
    requires_system_checks: list[str] = []

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("archive", type=Path, help="The backup archive (.tar).")
        parser.add_argument(
            "--replace",
            action="store_true",
            help="Drop everything in the current database first. Stop the web, worker and "
            "beat processes before using it.",
        )
        parser.add_argument(
            "--no-retention",
            action="store_true",
            help="Do not apply the retention periods after restoring (to look at the backup "
            "exactly as it was; apply them before the service runs again).",
        )

    def handle(self, *args: Any, **options: Any) -> None:
        try:
            result = restore_backup(
                options["archive"],
                replace=options["replace"],
                retention=not options["no_retention"],
            )
        except ArchiveError as exc:
            raise CommandError(str(exc)) from exc
        for line in result.lines():
            self.stdout.write(line)
