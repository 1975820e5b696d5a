"""A provider's dashboard and a lot's view: tiles with their reasons, every
figure, the people behind them, the visits list and its filters; new figures
show as soon as a month is computed again."""

from __future__ import annotations

import datetime as dt

import pytest
from django.contrib.auth.models import User
from django.test import Client

from homecare.dashboards import rag
from homecare.kpis.models import KpiScope, MonthlyKpi
from homecare.kpis.services import compute_month_kpis
from tests.conftest import login
from tests.dashboards.market_data import (
    OCTOBER,
    build_market,
    stored,
    table_rows,
)
from tests.kpi_factories import london, visit

pytestmark = pytest.mark.django_db


def test_provider_dashboard_shows_tiles_reasons_and_people(commissioner_client: Client) -> None:
    data = build_market()
    response = commissioner_client.get("/providers/PA/dashboard/", {"month": OCTOBER})
    html = response.content.decode()
    assert "Red because 40.0% is more than the red limit of 10.0%." in html
    people = table_rows(html, "People with a late visit more than 10% of the time, October")
    assert people == [["R-ALONE, their visits", "2", "5", "40.0%", "Yes", "Yes"]]
    assert stored(data["alpha"])["people_late_over_10pct_living_alone"] == 1
    # A chart per measure, then the spend and hours of the year (issue 13).
    kpis, _, money = html.partition('id="money-heading"')
    assert kpis.count('role="img"') == len(rag.MEASURE_LIST)
    assert money.count('role="img"') == 4
    assert "<title id=" in html and "<desc id=" in html


def test_provider_dashboard_visit_filters(commissioner_client: Client) -> None:
    build_market()
    url = "/providers/PA/dashboard/"
    late = commissioner_client.get(url, {"month": OCTOBER, "kind": "late"})
    assert late.context["visit_table"].paginator.count == 2
    by_carer = commissioner_client.get(url, {"month": OCTOBER, "carer": "C3"})
    assert by_carer.context["visit_table"].paginator.count == 1
    by_day = commissioner_client.get(url, {"month": OCTOBER, "day": "2026-10-04"})
    assert by_day.context["visit_table"].paginator.count == 1
    everything = commissioner_client.get(url, {"month": OCTOBER})
    assert everything.context["visit_table"].paginator.count == 5


def test_lot_view_side_by_side(client: Client, quality_officer: User) -> None:
    data = build_market()
    login(client, quality_officer)
    html = client.get(f"/lots/{data['lot'].pk}/", {"month": OCTOBER}).content.decode()
    assert "Alpha Home Care" in html and "Beta Home Care" in html
    lot = MonthlyKpi.objects.get(scope=KpiScope.LOT, lot=data["lot"], month="2026-10-01")
    rows = {r[0]: r for r in table_rows(html, "side by side, October")}
    assert rows["People supported"][-1] == str(lot.figures["people_supported"])


def test_pages_show_new_figures_as_soon_as_a_month_is_computed_again(
    commissioner_client: Client,
) -> None:
    """The dashboards cache what they render; recomputing a month must show at once."""
    data = build_market()
    before = commissioner_client.get("/providers/PA/dashboard/", {"month": OCTOBER})
    assert "Red because 40.0% is more than the red limit of 10.0%." in before.content.decode()
    market_before = commissioner_client.get("/market/", {"month": OCTOBER}).content.decode()
    package = data["alpha"].packages.get()
    # Three more late visits: 5 of 8 late.
    for day in range(20, 23):
        visit(package, london(2026, 10, day, 8, 0), late=dt.timedelta(minutes=45))
    compute_month_kpis(OCTOBER)
    after = commissioner_client.get("/providers/PA/dashboard/", {"month": OCTOBER})
    assert "Red because 62.5% is more than the red limit of 10.0%." in after.content.decode()
    market_after = commissioner_client.get("/market/", {"month": OCTOBER}).content.decode()
    assert market_after != market_before
    assert "62.5%" in market_after
