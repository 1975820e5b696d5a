"""Write one month's pack to a file: a provider's, or the market pack."""

from __future__ import annotations

from pathlib import Path
from typing import Any

from django.core.management.base import BaseCommand, CommandError, CommandParser

from common.months import Month
from homecare.kpis.selectors import month_is_computed
from homecare.packs import builder
from providers.models import Provider


class Command(BaseCommand):
    help = "Build a monthly PDF pack: --provider REF for a provider's, else the market pack."

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("--month", required=True, help="YYYY-MM")
        parser.add_argument("--provider", help="Provider ref; the market pack when left out")
        parser.add_argument("--out", required=True, help="Where to write the PDF")

    def handle(
        self, *args: Any, month: str, provider: str | None, out: str, **options: Any
    ) -> None:
        try:
            parsed = Month.parse(month)
        except ValueError as exc:
            raise CommandError(str(exc)) from None
        if not month_is_computed(parsed):
            raise CommandError(f"No KPIs stored for {parsed}: run compute_kpis --month {parsed}")
        if provider:
            found = Provider.objects.filter(ref=provider).first()
            if found is None:
                raise CommandError(f"No provider with ref {provider}")
            built = builder.render_provider_pack(found, parsed)
        else:
            built = builder.render_market_pack(parsed)
        path = Path(out)
        path.parent.mkdir(parents=True, exist_ok=True)
        path.write_bytes(built.pdf)
        self.stdout.write(f"Wrote {path} ({built.pages} pages, {len(built.pdf):,} bytes)")
