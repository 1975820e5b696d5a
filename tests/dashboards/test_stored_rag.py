"""RAG results of earlier months are kept, not overwritten (issue 10): each
month is rated when its figures are stored; changing a limit rates the latest
computed month again and leaves earlier months as they were reported, on the
pages and in the packs; computing an earlier month again rates it afresh."""

from __future__ import annotations

import pytest
from django.test import Client

from common.months import Month
from homecare.dashboards.models import RagResult
from homecare.kpis.models import KpiScope, MonthlyKpi
from homecare.kpis.services import compute_month_kpis
from homecare.packs import selectors as pack_selectors
from tests.dashboards.market_data import OCTOBER, build_market

pytestmark = pytest.mark.django_db

NOVEMBER = "2026-11"
OCT_RED = "Red because 40.0% is more than the red limit of 10.0%."


def rating(provider, month: str) -> RagResult:
    return RagResult.objects.get(
        kpi__scope=KpiScope.PROVIDER, kpi__provider=provider, kpi__month=f"{month}-01"
    )


def test_each_stored_month_is_rated_with_its_limits_and_reasons() -> None:
    data = build_market()
    assert RagResult.objects.count() == MonthlyKpi.objects.count()
    late = rating(data["alpha"], OCTOBER).measures["late_visit_rate"]
    assert late == {
        "value": 40.0,
        "status": "red",
        "green": 5.0,
        "red": 10.0,
        "lower_is_better": True,
        "reason": OCT_RED,
    }
    assert rating(data["alpha"], OCTOBER).overall == "red"


def test_changing_a_limit_rerates_only_the_latest_month(commissioner_client: Client) -> None:
    data = build_market()
    compute_month_kpis(NOVEMBER)  # the latest computed month: no visits yet
    alpha = data["alpha"]
    october_pack = pack_selectors.provider_sources(alpha, Month.parse(OCTOBER))["stamp"]
    november_pack = pack_selectors.provider_sources(alpha, Month.parse(NOVEMBER))["stamp"]
    before = rating(alpha, OCTOBER)

    response = commissioner_client.post(
        "/rag-thresholds/late_visit_rate/", {"green_limit": "50", "red_limit": "60"}
    )
    assert response.status_code == 302
    page = commissioner_client.get("/rag-thresholds/")
    assert "November 2026 is rated again with them" in page.content.decode()

    # October keeps the status, limits and reason it was reported with.
    after = rating(alpha, OCTOBER)
    assert after.measures == before.measures and after.rated_at == before.rated_at
    dashboard = commissioner_client.get("/providers/PA/dashboard/", {"month": OCTOBER})
    assert OCT_RED in dashboard.content.decode()
    # The latest month carries the new limits.
    november = rating(alpha, NOVEMBER).measures["late_visit_rate"]
    assert (november["green"], november["red"]) == (50.0, 60.0)
    # Only the latest month's packs are out of date.
    assert pack_selectors.provider_sources(alpha, Month.parse(OCTOBER))["stamp"] == october_pack
    assert pack_selectors.provider_sources(alpha, Month.parse(NOVEMBER))["stamp"] != november_pack
    # The market table of October still shows it red.
    market = commissioner_client.get("/market/", {"month": OCTOBER, "rag": "red"})
    assert [r["name"] for r in market.context["table"].data] == [
        "Alpha Home Care",
        "Beta Home Care",
    ]


def test_computing_an_earlier_month_again_rates_it_with_the_limits_then(
    commissioner_client: Client,
) -> None:
    data = build_market()
    compute_month_kpis(NOVEMBER)
    commissioner_client.post(
        "/rag-thresholds/late_visit_rate/", {"green_limit": "50", "red_limit": "60"}
    )
    assert rating(data["alpha"], OCTOBER).measures["late_visit_rate"]["status"] == "red"
    compute_month_kpis(OCTOBER)
    late = rating(data["alpha"], OCTOBER).measures["late_visit_rate"]
    assert (late["status"], late["green"], late["red"]) == ("green", 50.0, 60.0)
    dashboard = commissioner_client.get("/providers/PA/dashboard/", {"month": OCTOBER})
    assert "Green because 40.0% is not more than the green limit of 50.0%." in (
        dashboard.content.decode()
    )
