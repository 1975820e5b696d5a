"""A small market for the dashboard tests: two providers in one lot computed
by the real KPI service (`build_market`), or many providers with stored rows
only (`stored_market`), and a reader for the tables of a page."""

from __future__ import annotations

import datetime as dt
import re
from html.parser import HTMLParser
from typing import Any

from django.utils import timezone

from homecare.kpis.models import KpiScope, MonthlyKpi
from homecare.kpis.services import compute_month_kpis
from providers.models import CqcRating, Provider
from tests.factories import (
    CarePackageFactory,
    ContractFactory,
    LotFactory,
    PersonFactory,
    ProviderFactory,
)
from tests.kpi_factories import london, visit

OCTOBER = "2026-10"


def build_market() -> dict[str, Any]:
    """Two providers in one lot with October (and some September) visits, computed
    by the real KPI service."""
    lot = LotFactory(name="Lot North")
    alpha = ProviderFactory(ref="PA", name="Alpha Home Care", cqc_rating=CqcRating.GOOD)
    beta = ProviderFactory(ref="PB", name="Beta Home Care", cqc_rating=CqcRating.INADEQUATE)
    out: dict[str, Any] = {"lot": lot, "alpha": alpha, "beta": beta}
    for provider in (alpha, beta):
        contract = ContractFactory(provider=provider, lot=lot)
        out[f"{provider.ref}-contract"] = contract
    # Alpha: R-ALONE lives alone and is late on 2 of 5 visits (40%).
    alone = PersonFactory(ref="R-ALONE", lives_alone=True, lacks_capacity=True)
    package = CarePackageFactory(
        provider=alpha, person=alone, contract=out["PA-contract"], start_date=dt.date(2026, 1, 1)
    )
    for day in range(1, 6):
        late = dt.timedelta(minutes=45 if day <= 2 else 0)
        visit(package, london(2026, 10, day, 8, 0), late=late, carers=(f"C{day}",))
    visit(package, london(2026, 9, 3, 8, 0))
    # Beta: two people on time, one missed visit.
    for n in range(2):
        person = PersonFactory(ref=f"R-B{n}")
        pkg = CarePackageFactory(
            provider=beta,
            person=person,
            contract=out["PB-contract"],
            start_date=dt.date(2026, 1, 1),
        )
        visit(pkg, london(2026, 10, 10, 9, 0))
        visit(pkg, london(2026, 10, 11, 9, 0), status="missed" if n == 0 else "completed")
    compute_month_kpis("2026-09")
    compute_month_kpis(OCTOBER)
    return out


def stored(provider: Provider, month: str = OCTOBER) -> dict[str, Any]:
    return MonthlyKpi.objects.get(
        scope=KpiScope.PROVIDER, provider=provider, month=f"{month}-01"
    ).figures


class Cells(HTMLParser):
    """The text of the header row and of each body row of the first table
    after the given caption."""

    def __init__(self) -> None:
        super().__init__()
        self.headers: list[str] = []
        self.rows: list[list[str]] = []
        self.in_head = False
        self.in_body = False
        self.cell: list[str] | None = None
        self.done = False

    def handle_starttag(self, tag: str, attrs: list) -> None:
        if self.done:
            return
        if tag == "thead":
            self.in_head = True
        elif tag == "tbody":
            self.in_body = True
        elif tag == "tr" and self.in_body:
            self.rows.append([])
        elif tag in ("td", "th") and (self.in_body or self.in_head):
            self.cell = []

    def handle_endtag(self, tag: str) -> None:
        if tag == "thead":
            self.in_head = False
        elif tag == "tbody" and self.in_body:
            self.in_body, self.done = False, True
        elif tag in ("td", "th") and self.cell is not None:
            text = " ".join("".join(self.cell).split())
            (self.rows[-1] if self.in_body else self.headers).append(text)
            self.cell = None

    def handle_data(self, data: str) -> None:
        if self.cell is not None:
            self.cell.append(data)


def _table(html: str, caption: str) -> Cells:
    start = html.index(caption)
    parser = Cells()
    parser.feed(html[start:])
    return parser


def table_rows(html: str, caption: str) -> list[list[str]]:
    return _table(html, caption).rows


def table_columns(html: str, caption: str) -> dict[str, list[str]]:
    """Each column's heading (as seen, without screen-reader-only words) and its cells."""
    table = _table(html, caption)
    headers = [re.sub(r", sort (a|de)scending$", "", h) for h in table.headers]
    return {h: [row[i] for row in table.rows] for i, h in enumerate(headers)}


def stored_market(count: int) -> dict[str, Any]:
    """`count` providers with stored October and September rows (no recompute)."""
    lot = LotFactory(name="Lot Q")
    now = timezone.now()
    figures = {
        "people_supported": 3,
        "late_visit_rate": 0.07,
        "missed_visit_rate": 0.0,
        "people_late_over_10pct": 1,
        "planned_hours": 10.0,
        "delivered_hours": 9.7,
        "mean_carers_per_person": 3.5,
        "six_week_reviews_overdue": 1,
        "ecm_verified_rate": 0.9,
        "missed_visits": 0,
    }
    details = {
        "people_late_over_10pct": [],
        "people_over_carer_limit": [],
        "six_week_reviews_overdue": [],
    }
    providers = []
    for n in range(count):
        provider = ProviderFactory(ref=f"Q{n:02d}", name=f"Quota {n} Care")
        ContractFactory(provider=provider, lot=lot)
        ContractFactory(provider=provider)
        package = CarePackageFactory(provider=provider)
        for day in (1, 2):
            visit(package, london(2026, 10, day, 8, 0), carers=("A", "B"))
        for month in ("2026-09-01", "2026-10-01"):
            MonthlyKpi.objects.create(
                scope=KpiScope.PROVIDER,
                provider=provider,
                month=month,
                figures=figures,
                details=details,
                computed_at=now,
            )
        providers.append(provider)
    for month in ("2026-09-01", "2026-10-01"):
        MonthlyKpi.objects.create(
            scope=KpiScope.MARKET, month=month, figures=figures, computed_at=now
        )
        MonthlyKpi.objects.create(
            scope=KpiScope.LOT, lot=lot, month=month, figures=figures, computed_at=now
        )
    return {"lot": lot, "providers": providers}
