"""The market page: its headline figures are the stored market figures, the
providers table shows stored figures with their stored RAG, filters, sorts,
exports the CSV it shows, fits a desktop screen, and a provider's user sees
the market totals only."""

from __future__ import annotations

import csv
import io
import re

import pytest
from django.test import Client

from homecare.kpis.models import KpiScope, MonthlyKpi
from providers.access import QUALITY_OFFICER
from providers.models import CqcRating
from tests.conftest import login
from tests.dashboards.market_data import (
    OCTOBER,
    build_market,
    stored,
    table_columns,
    table_rows,
)
from tests.factories import UserFactory, provider_user

pytestmark = pytest.mark.django_db


def test_market_headlines_are_the_stored_market_figures(commissioner_client: Client) -> None:
    build_market()
    market = MonthlyKpi.objects.get(scope=KpiScope.MARKET, month="2026-10-01").figures
    page = commissioner_client.get("/market/", {"month": OCTOBER}).content.decode()
    text = " ".join(re.sub(r"<[^>]+>", " ", page).split())
    assert f"People supported {market['people_supported']}" in text
    assert (
        "People with a late visit more than 10% of the time "
        f"{market['people_late_over_10pct']}" in text
    )
    assert f"Number of missed visits {market['missed_visits']}" in text
    assert f"Mean carers per person {market['mean_carers_per_person']:.2f}" in text
    # Change from September: September had one person, October four.
    assert "Up 2 from September 2026" in text or "Up 3 from September 2026" in text


def test_market_defaults_to_the_latest_month(commissioner_client: Client) -> None:
    build_market()
    response = commissioner_client.get("/market/")
    assert response.context["month"].key == OCTOBER


def test_market_table_shows_stored_figures_with_rag(commissioner_client: Client) -> None:
    data = build_market()
    html = commissioner_client.get("/market/", {"month": OCTOBER}).content.decode()
    rows = {row[0]: row for row in table_rows(html, "Providers this month")}
    alpha = stored(data["alpha"])
    row = rows["Alpha Home Care"]
    # 2 of 5 delivered visits late: 40.0%, over the 10% red limit.
    assert alpha["late_visit_rate"] == 0.4
    assert "40.0% Red" in row
    assert row[-1] == "Red"
    assert row[1] == "Good"
    beta = stored(data["beta"])
    assert f"{beta['missed_visit_rate'] * 100:.1f}% Red" in rows["Beta Home Care"]


def test_market_filters_by_name_rag_and_cqc(commissioner_client: Client) -> None:
    build_market()
    by_name = commissioner_client.get("/market/", {"month": OCTOBER, "name": "beta"})
    assert [r["name"] for r in by_name.context["table"].data] == ["Beta Home Care"]
    by_rating = commissioner_client.get(
        "/market/", {"month": OCTOBER, "cqc_rating": CqcRating.GOOD}
    )
    assert [r["name"] for r in by_rating.context["table"].data] == ["Alpha Home Care"]
    green = commissioner_client.get("/market/", {"month": OCTOBER, "rag": "green"})
    assert all(r["overall"] == "green" for r in green.context["table"].data)


def test_market_sorts(commissioner_client: Client) -> None:
    build_market()
    response = commissioner_client.get("/market/", {"month": OCTOBER, "sort": "-late_visit_rate"})
    names = [row.record["name"] for row in response.context["table"].rows]
    assert names == ["Alpha Home Care", "Beta Home Care"]


def test_csv_export_rows_match_the_table(commissioner_client: Client) -> None:
    """The CSV has every column, in the order of the rows on screen; each
    column the screen shows reads the same in the file."""
    build_market()
    query = {"month": OCTOBER, "sort": "-people_supported"}
    html = commissioner_client.get("/market/", query).content.decode()
    shown = table_columns(html, "Providers this month")
    response = commissioner_client.get("/market/", {**query, "_export": "csv"})
    assert response["Content-Type"].startswith("text/csv")
    rows = list(csv.reader(io.StringIO(response.content.decode())))
    assert rows[0][0] == "Provider"
    exported = {h: [row[i] for row in rows[1:]] for i, h in enumerate(rows[0])}
    assert list(shown) == [
        "Provider", "CQC rating", "People supported", "Late visits", "Missed visits",
        "Six-week reviews overdue", "Overall",
    ]  # fmt: skip
    for heading, cells in shown.items():
        if f"{heading} RAG status" in exported:
            # A measure's figure and its status (one cell on screen) are two
            # columns in the file, so a spreadsheet reads the figure as a number.
            statuses = exported[f"{heading} RAG status"]
            pairs = zip(exported[heading], statuses, strict=True)
            assert [f"{figure} {status}" for figure, status in pairs] == cells, heading
        else:
            assert exported[heading] == cells, heading
    # The columns left off the screen are in the file.
    assert exported["Council ref"] == ["PB", "PA"]
    assert exported["Visits verified by call monitoring"][1] == "100.0%"
    assert exported["Visits verified by call monitoring RAG status"][1] == "Green"
    # Two more measures of issue 15 (each a figure and its status).
    assert exported["Time-critical visits outside their window (share)"][1] == ""
    assert len(rows[0]) == 24


def test_market_table_fits_a_desktop_screen(commissioner_client: Client) -> None:
    """Seven columns on screen (GOV.UK: fewer columns, the rest a click away)."""
    build_market()
    html = commissioner_client.get("/market/", {"month": OCTOBER}).content.decode()
    assert len(table_columns(html, "Providers this month")) == 7


def test_provider_user_sees_market_totals_only(client: Client) -> None:
    data = build_market()
    login(client, provider_user(data["alpha"], username="alpha-user"))
    html = client.get("/market/", {"month": OCTOBER}).content.decode()
    assert "People supported" in html
    text = re.sub(r"<[^>]+>", " ", html)  # not the CSRF token, which is random
    assert "Beta" not in html and not re.search(r"\bPB\b", text)
    assert "table" not in client.get("/market/", {"month": OCTOBER}).context
    # Nor can an export be forced.
    export = client.get("/market/", {"month": OCTOBER, "_export": "csv"})
    assert b"Beta" not in export.content


def test_provider_user_gets_404_for_another_providers_dashboard(client: Client) -> None:
    data = build_market()
    login(client, provider_user(data["alpha"], username="alpha-user"))
    assert client.get("/providers/PA/dashboard/").status_code == 200
    assert client.get("/providers/PB/dashboard/").status_code == 404
    # The lot view names every provider in the lot: council staff only.
    assert client.get(f"/lots/{data['lot'].pk}/").status_code == 403


def test_quality_officer_sees_every_provider(client: Client) -> None:
    build_market()
    login(client, UserFactory(username="qo", role=QUALITY_OFFICER))
    html = client.get("/market/", {"month": OCTOBER}).content.decode()
    assert "Alpha Home Care" in html and "Beta Home Care" in html
