"""`make backup`: one archive of the database and the stored files it names."""

from __future__ import annotations

from pathlib import Path
from typing import Any

from django.core.management.base import BaseCommand, CommandError, CommandParser

from homecare.ops.archive import ArchiveError
from homecare.ops.backup import make_backup


class Command(BaseCommand):
    help = (
        "Back up the database and the stored files it names (packs, uploads still needed) "
        "into one archive with a manifest of versions, migrations, row counts and checksums. "
        "Archives older than BACKUP_RETENTION_DAYS in the same folder are then deleted."
    )

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument(
            "--output-dir", type=Path, help="Folder for the archive (default: BACKUP_DIR)."
        )
        parser.add_argument(
            "--keep-days",
            type=int,
            help="Delete archives in that folder older than this many days "
            "(default: BACKUP_RETENTION_DAYS; 0 keeps them all).",
        )

    def handle(self, *args: Any, **options: Any) -> None:
        try:
            result = make_backup(options["output_dir"], keep_days=options["keep_days"])
        except ArchiveError as exc:
            raise CommandError(str(exc)) from exc
        for line in result.lines():
            self.stdout.write(line)
