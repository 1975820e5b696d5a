"""Builds the demo market: `make run` calls it with --if-empty on a fresh database."""

from __future__ import annotations

from pathlib import Path
from typing import Any

from django.conf import settings
from django.core.management.base import BaseCommand, CommandError, CommandParser

from homecare.demo import build as demo
from homecare.demo.market import FRAMEWORK
from homecare.demo.people import DEFAULT_PEOPLE
from homecare.demo.period import MONTHS_OF_VISITS, parse_month
from providers.models import Provider


def _month(text: str) -> tuple[int, int]:
    try:
        return parse_month(text)
    except ValueError as exc:
        raise CommandError(str(exc)) from None


class Command(BaseCommand):
    help = (
        "Generate a made-up home care market (providers, contracts, people, packages, "
        "reviews and three months of visits) as CSV files and import them, and create "
        "the demo log-ins. For demonstrations only: never run it on real data."
    )

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument(
            "--if-empty",
            action="store_true",
            help="Do nothing if the database already has any provider.",
        )
        parser.add_argument(
            "--end-month",
            type=_month,
            help="Last month of visits, YYYY-MM (default: last month in Europe/London). "
            "The demo holds it and the two months before it.",
        )
        parser.add_argument(
            "--people",
            type=int,
            default=DEFAULT_PEOPLE,
            help=f"People receiving care (default {DEFAULT_PEOPLE:,}); providers scale with it.",
        )
        parser.add_argument("--seed", type=int, default=demo.DEFAULT_SEED)
        parser.add_argument(
            "--months",
            type=int,
            default=MONTHS_OF_VISITS,
            help=f"Months of visits (default {MONTHS_OF_VISITS}); 13 fills the year-long "
            "charts but takes about four times as long to build (docs/decisions.md, issue 12).",
        )
        parser.add_argument(
            "--out",
            type=Path,
            default=None,
            help="Directory for the CSV files (default: VAR_DIR/demo).",
        )

    def handle(self, *args: Any, **options: Any) -> None:
        if options["if_empty"] and Provider.objects.exists():
            self.stdout.write("The database already has providers: demo market not seeded.")
            return
        if options["people"] < 1:
            raise CommandError("--people must be at least 1.")
        if not 1 <= options["months"] <= 24:
            raise CommandError("--months must be from 1 to 24.")
        out: Path = options["out"] or Path(settings.VAR_DIR) / "demo"
        try:
            counts = demo.build(
                out,
                people=options["people"],
                seed=options["seed"],
                end_month=options["end_month"],
                months=options["months"],
            )
        except demo.DemoImportRejected as exc:
            raise CommandError(str(exc)) from exc
        total = counts.generate_seconds + counts.import_seconds + counts.kpi_seconds
        period = f"{counts.first_day:%B %Y} to {counts.last_day:%B %Y}"
        self.stdout.write(self.style.SUCCESS(f"Demo market built for {period} (files in {out}):"))
        lines = [
            f"{counts.providers:,} providers ({counts.framework_providers} on {FRAMEWORK})",
            f"{counts.contracts:,} contracts",
            f"{counts.people:,} people, {counts.packages:,} care packages,"
            f" {counts.reviews:,} package reviews",
            f"{counts.care_workers:,} care workers",
            f"{counts.visits:,} visits in {counts.visit_rows:,} ECM rows"
            f" ({counts.double_handed_visits:,} double-handed, {counts.missed_visits:,} missed,"
            f" {counts.cancelled_visits:,} cancelled)",
            f"KPIs computed for {', '.join(counts.kpi_months) or 'no months'}",
            f"took {total:.1f}s ({counts.generate_seconds:.1f}s writing files,"
            f" {counts.import_seconds:.1f}s importing, {counts.kpi_seconds:.1f}s computing KPIs)",
        ]
        for line in lines:
            self.stdout.write(f"  {line}")
        self.stdout.write("Demo log-ins created: see `manage.py demo_logins`.")
