from typing import Any

from django.core.management.base import BaseCommand, CommandError, CommandParser

from common.months import Month
from homecare.kpis.services import MonthNotKept, compute_month_kpis
from providers.models import Provider


class Command(BaseCommand):
    help = "Compute and store a month's KPIs (the same code the scheduled job runs)."

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("--month", required=True, help="YYYY-MM")
        parser.add_argument("--provider", help="a provider ref: only that provider (and totals)")

    def handle(self, *args: Any, month: str, provider: str | None, **options: Any) -> None:
        try:
            parsed = Month.parse(month)
        except ValueError as exc:
            raise CommandError(str(exc)) from None
        if provider and not Provider.objects.filter(ref=provider).exists():
            raise CommandError(f"no provider '{provider}'")
        try:
            summary = compute_month_kpis(parsed, provider)
        except MonthNotKept as exc:
            raise CommandError(str(exc)) from None
        self.stdout.write(
            f"KPIs for {summary.month}: {len(summary.providers)} provider"
            f"{'s' if len(summary.providers) != 1 else ''}, {summary.lots} lots and the market."
        )
