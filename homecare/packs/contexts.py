"""What a pack prints, from the dashboards' presenters: a provider pack from
`ProviderMonth`, the market pack from `MarketMonth`, so each figure, status,
reason and chart is the one the dashboard shows, written out the same way.
The pack adds only what print needs: the cover, the sections in order, the
lists behind red and amber figures cut to a readable length, and the quality
section."""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

from django.conf import settings
from django.utils import timezone

from common.months import LONDON, Month
from homecare.dashboards import rag
from homecare.dashboards.charts import Chart
from homecare.dashboards.presenters import MarketMonth, MonthChanges, ProviderMonth
from homecare.dashboards.presenters.figures import Tile
from homecare.dashboards.presenters.money import PaymentTotals
from homecare.dashboards.presenters.return_figures import market_figures, provider_figures
from homecare.market.presenters import pack as market_oversight
from homecare.packs.quality import quality_section
from providers.models import CQC_DOMAINS, Provider

# A list behind a figure longer than this is cut short in print; the dashboard
# has them all. Keeps a bad month's pack readable and its build time bounded.
MAX_LIST_ROWS = 150


def protective_marking() -> str:
    return getattr(settings, "PROTECTIVE_MARKING", "OFFICIAL-SENSITIVE")


@dataclass(frozen=True)
class Section:
    """One measure: its tile (figure, status, reason, change) and its chart."""

    tile: Tile
    chart: Chart | None

    @property
    def anchor(self) -> str:
        return f"kpi-{self.tile.key}"


def sections(tiles: list[Tile], charts: list[Chart]) -> list[Section]:
    by_key = {chart.key: chart for chart in charts}
    return [Section(tile, by_key.get(tile.key)) for tile in tiles]


def _common(month: Month, subject: str, month_label: str) -> dict[str, Any]:
    return {
        "month": month,
        "month_label": month_label,
        "subject": subject,
        "marking": protective_marking(),
        "council_name": settings.COUNCIL_NAME,
        "service_name": settings.SERVICE_NAME,
        "built_at": timezone.localtime(timezone.now(), LONDON),
    }


def provider_context(provider: Provider, month: Month) -> dict[str, Any]:
    view = ProviderMonth.load(provider, month)
    context = _common(month, f"{provider.name} ({provider.ref})", view.month_label)
    context.update(
        kind="provider",
        title=f"{provider.name} monthly pack, {view.month_label}",
        provider=provider,
        view=view,
        kpi=view.kpi,
        since=view.since,
        sections=sections(view.tiles, view.charts("pack")) if view.kpi else [],
        behind=view.behind(MAX_LIST_ROWS),
        quality=quality_section(provider, month),
        payments=PaymentTotals.load(month, provider_id=provider.pk),
        return_figures=provider_figures(provider, month),
        oversight=market_oversight.provider_section(provider, month),
        domains=CQC_DOMAINS,
    )
    return context


def market_context(month: Month) -> dict[str, Any]:
    view = MarketMonth.load(month, twelve_months=True)
    rows = view.provider_rows(Provider.objects.all())
    context = _common(month, "Whole market", view.month_label)
    context.update(
        kind="market",
        title=f"Home care market pack, {view.month_label}",
        view=view,
        kpi=view.kpi,
        since=view.since,
        sections=sections(view.tiles, view.charts("market")) if view.kpi else [],
        measures=rag.MEASURE_LIST,
        rows=rows,
        status_counts=view.status_counts(rows),
        concerns=view.concerns(rows),
        lots=view.lots(rows),
        payments=PaymentTotals.load(month),
        return_figures=market_figures(month)[0],
        oversight=market_oversight.market_section(month),
        changes=MonthChanges.load(month),
    )
    return context
