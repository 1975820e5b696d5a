import json
from typing import Any

from django.core.management.base import BaseCommand, CommandError, CommandParser

from common.months import Month
from homecare.kpis.selectors import export_month, month_is_computed
from homecare.kpis.services import MonthNotKept, compute_month_kpis


class Command(BaseCommand):
    help = "Print a month's stored KPIs as JSON (shape: shared/specs/kpi-definitions.md)."

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("--month", required=True, help="YYYY-MM")

    def handle(self, *args: Any, month: str, **options: Any) -> None:
        try:
            parsed = Month.parse(month)
        except ValueError as exc:
            raise CommandError(str(exc)) from None
        if not month_is_computed(parsed):
            # Nothing stored yet (the month was never computed): compute it rather
            # than print an empty export.
            self.stderr.write(f"No KPIs stored for {parsed}; computing them first.")
            try:
                compute_month_kpis(parsed)
            except MonthNotKept as exc:
                raise CommandError(str(exc)) from None
        self.stdout.write(json.dumps(export_month(parsed), indent=2))
