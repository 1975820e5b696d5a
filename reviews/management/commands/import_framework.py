from __future__ import annotations

from pathlib import Path
from typing import Any

from django.core.management.base import BaseCommand, CommandError, CommandParser

from common.csvimport import FileRejected
from reviews.framework_import import import_framework


class Command(BaseCommand):
    help = (
        "Load a council's assessment framework from CSV (domain, standard, code, question, "
        "guidance). All or nothing; a name already in use gets a new version."
    )

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("path", type=Path)
        parser.add_argument("--name", required=True, help="The framework's name")

    def handle(self, *args: Any, path: Path, name: str, **options: Any) -> None:
        try:
            with path.open("rb") as binary:
                framework = import_framework(binary, name)
        except FileNotFoundError:
            raise CommandError(f"No file at {path}") from None
        except FileRejected as rejected:
            raise CommandError(
                "The file was rejected; nothing changed.\n" + "\n".join(rejected.errors)
            ) from None
        self.stdout.write(f"Loaded {framework}: {framework.questions.count()} questions")
