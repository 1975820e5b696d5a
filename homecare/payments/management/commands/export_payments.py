import json
from typing import Any

from django.core.management.base import BaseCommand, CommandError, CommandParser

from common.months import Month
from homecare.payments.selectors import export_json


class Command(BaseCommand):
    help = "Print a month's payment schedule as JSON (shared/specs/payment-definitions.md)."

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("--month", required=True, help="YYYY-MM, e.g. 2026-10")

    def handle(self, *args: Any, month: str, **options: Any) -> None:
        try:
            parsed = Month.parse(month)
        except ValueError as exc:
            raise CommandError(str(exc)) from None
        self.stdout.write(json.dumps(export_json(parsed), indent=2))
