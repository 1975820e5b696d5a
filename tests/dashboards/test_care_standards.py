"""Care standards (issue 15) on the dashboards: the provider page lists the
people affected by time-critical visits outside their window, the visits of 15
minutes or less per care package and each missed visit of someone living alone
who lacks capacity; the lot and market pages show the new figures."""

from __future__ import annotations

from typing import Any

import pytest
from django.core.cache import cache
from django.test import Client
from django.urls import reverse

from contracts.models import CarePackage
from homecare.kpis.models import KpiThresholds
from homecare.kpis.services import compute_month_kpis
from tests.dashboards.market_data import OCTOBER, build_market, stored, table_rows
from tests.kpi_factories import london, visit

pytestmark = pytest.mark.django_db


def care_standards_market() -> dict[str, Any]:
    """build_market, and for Alpha's R-ALONE (lives alone, lacks capacity): a
    time-critical visit missed, and a 15-minute visit by C1, whom they saw on
    1 October."""
    data = build_market()
    package = CarePackage.objects.get(person__ref="R-ALONE")
    data["package"] = package
    data["missed"] = visit(package, london(2026, 10, 20, 8, 0), status="missed", time_critical=True)
    visit(package, london(2026, 10, 21, 21, 0), minutes=15, carers=("C1",))
    compute_month_kpis(OCTOBER)
    return data


def test_provider_page_lists_who_and_what_is_behind_the_care_standards(
    commissioner_client: Client, django_assert_max_num_queries: Any
) -> None:
    data = care_standards_market()
    figures = stored(data["alpha"])
    assert figures["time_critical_outside_window"] == 1
    assert figures["visits_under_30_min_known_carer_rate"] == 1.0
    assert figures["missed_visits_living_alone_lacking_capacity"] == 1
    cache.clear()
    # 21, one for the improvement tracker's off-track items and one for the
    # navigation's unread alerts (counted on the first page, then cached).
    with django_assert_max_num_queries(23):
        response = commissioner_client.get("/providers/PA/dashboard/", {"month": OCTOBER})
    html = response.content.decode()
    assert table_rows(
        html, "People with a time-critical visit outside its window, October 2026"
    ) == [["R-ALONE, their time-critical visits outside the window", "1", "1", "Yes", "Yes"]]
    assert table_rows(
        html, "Visits planned for 15 minutes or less, by care package, October 2026"
    ) == [[data["package"].ref, "R-ALONE, their visits of 15 minutes or less", "1", "1"]]
    (follow_up,) = table_rows(
        html, "Missed visits of people living alone who lack capacity, October 2026"
    )
    assert follow_up[:3] == [data["missed"].visit_id, "R-ALONE", data["package"].ref]
    assert follow_up[3:] == ["20 Oct 08:00", "Not delivered", "", "Missed"]
    assert 'href="#missed-follow-up"' in html and 'href="#time-critical"' in html


@pytest.mark.parametrize(
    "kind, count",
    [("time_critical_outside", 1), ("up_to_15", 1), ("missed_alone_no_capacity", 1)],
)
def test_visit_list_filters_to_each_care_standard(
    commissioner_client: Client, kind: str, count: int
) -> None:
    care_standards_market()
    response = commissioner_client.get("/providers/PA/dashboard/", {"month": OCTOBER, "kind": kind})
    assert response.context["visit_table"].paginator.count == count


def test_nothing_to_list_says_so(commissioner_client: Client) -> None:
    build_market()
    html = commissioner_client.get("/providers/PB/dashboard/", {"month": OCTOBER}).content.decode()
    section = html[html.index('id="time-critical"') :]
    assert "Nobody this month." in section
    assert section.count("None this month.") == 2


def test_lot_and_market_pages_show_the_care_standards(commissioner_client: Client) -> None:
    data = care_standards_market()
    lot_html = commissioner_client.get(
        f"/lots/{data['lot'].pk}/", {"month": OCTOBER}
    ).content.decode()
    rows = {r[0]: r for r in table_rows(lot_html, "side by side, October")}
    assert rows["Time-critical visits outside their window"][1:] == ["1", "0", "1"]
    assert rows["Missed visits of people living alone and lacking capacity"][-1] == "1"
    assert rows["Time-critical visits outside their window (share)"][1].startswith("100.0%")
    market_html = commissioner_client.get("/market/", {"month": OCTOBER}).content.decode()
    care = market_html[market_html.index("Care standards") :]
    assert "Missed visits of people living alone and lacking capacity" in care
    assert "Visits under 30 minutes by a known care worker (share)" in care


def test_a_commissioner_sets_a_contracts_window_and_look_back(
    commissioner_client: Client,
) -> None:
    data = build_market()
    contract = data["PA-contract"]
    url = reverse("contract-thresholds", args=[contract.ref])
    page = commissioner_client.get(url).content.decode()
    assert "Time-critical window (minutes either side of the planned time)" in page
    assert "Leave blank to use the lot&#x27;s value or the default: 28." in page
    response = commissioner_client.post(
        url, {"time_critical_window_minutes": "15", "known_carer_days": "0", "version": "0"}
    )
    assert response.status_code == 200  # 0 days is refused, next to its field
    assert 'id="id_known_carer_days-error"' in response.content.decode()
    response = commissioner_client.post(
        url, {"time_critical_window_minutes": "15", "known_carer_days": "14", "version": "0"}
    )
    assert response.status_code == 302
    row = KpiThresholds.objects.get(contract=contract)
    assert (row.time_critical_window_minutes, row.known_carer_days) == (15, 14)
    listing = commissioner_client.get(reverse("kpi-thresholds")).content.decode()
    assert "Time-critical window (minutes)" in listing
