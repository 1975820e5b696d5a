import json
from typing import Any

from django.core.management.base import BaseCommand, CommandError, CommandParser

from common.months import Month
from homecare.market.export import market_export


class Command(BaseCommand):
    help = "Print the market oversight figures of a month as JSON (market-definitions.md)."

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("--month", required=True, help="YYYY-MM")

    def handle(self, *args: Any, month: str, **options: Any) -> None:
        try:
            parsed = Month.parse(month)
        except ValueError as exc:
            raise CommandError(str(exc)) from None
        self.stdout.write(json.dumps(market_export(parsed), indent=2))
