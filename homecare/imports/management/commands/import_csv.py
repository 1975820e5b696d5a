from pathlib import Path
from typing import Any

from django.core.management.base import BaseCommand, CommandError, CommandParser

from homecare.imports.services import IMPORTERS, import_path
from visits.models import ImportOutcome


class Command(BaseCommand):
    help = "Import a data-exchange CSV file (all or nothing)."

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("kind", choices=sorted(IMPORTERS))
        parser.add_argument("path", type=Path)

    def handle(self, *args: Any, kind: str, path: Path, **options: Any) -> None:
        if not path.is_file():
            raise CommandError(f"{path}: no such file")
        record = import_path(kind, path)
        if record.outcome != ImportOutcome.SUCCEEDED:
            self.stderr.write(f"{path.name}: {record.summary}")
            self.stderr.write(record.error_report)
            raise CommandError(f"{path.name} was rejected; nothing was changed.", returncode=1)
        self.stdout.write(record.summary)
