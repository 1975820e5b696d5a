from django.core.management.base import BaseCommand, CommandError, CommandParser

from homecare.retention.services import apply_retention


class Command(BaseCommand):
    help = (
        "Delete visits older than the retention period (monthly results stay) and the "
        "files of imports that failed long ago. --dry-run says what would go."
    )

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument(
            "--months",
            type=int,
            help="keep visits of this many whole months before the current one "
            "(default: VISIT_RETENTION_MONTHS, 84)",
        )
        parser.add_argument(
            "--days",
            type=int,
            help="keep a rejected or failed import's file this many days "
            "(default: FAILED_UPLOAD_RETENTION_DAYS, 30)",
        )
        parser.add_argument(
            "--dry-run", action="store_true", help="say what would be deleted, delete nothing"
        )

    def handle(
        self, *args: object, months: int | None, days: int | None, dry_run: bool, **options: object
    ) -> None:
        if months is not None and months < 1:
            raise CommandError("--months must be at least 1")
        if days is not None and days < 0:
            raise CommandError("--days cannot be negative")
        for line in apply_retention(months=months, days=days, dry_run=dry_run):
            self.stdout.write(line)
