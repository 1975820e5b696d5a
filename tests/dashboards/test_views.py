"""Dashboards: the figures shown are the stored results, RAG rules hold at
their limits, provider users see only their own provider and the market
totals, the CSV matches the table, and every page runs a bounded number of
queries whatever the number of providers."""

from __future__ import annotations

import csv
import datetime as dt
import io
import re
from html.parser import HTMLParser
from typing import Any

import pytest
from django.contrib.auth.models import User
from django.test import Client
from django.utils import timezone

from homecare.dashboards import presenters, rag
from homecare.dashboards.models import RagThreshold
from homecare.kpis.models import KpiScope, MonthlyKpi
from homecare.kpis.services import compute_month_kpis
from providers.access import COMMISSIONER, QUALITY_OFFICER
from providers.models import CqcRating, Provider
from tests.conftest import login
from tests.factories import (
    CarePackageFactory,
    ContractFactory,
    LotFactory,
    PersonFactory,
    ProviderFactory,
    UserFactory,
    provider_user,
)
from tests.kpi_factories import london, visit

pytestmark = pytest.mark.django_db

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
    """The text of each row of the first table with the given caption."""

    def __init__(self) -> None:
        super().__init__()
        self.rows: list[list[str]] = []
        self.in_body = False
        self.cell: list[str] | None = None
        self.done = False

    def handle_starttag(self, tag: str, attrs: list) -> None:
        if self.done:
            return
        if tag == "tbody":
            self.in_body = True
        elif tag == "tr" and self.in_body:
            self.rows.append([])
        elif tag in ("td", "th") and self.in_body:
            self.cell = []

    def handle_endtag(self, tag: str) -> None:
        if tag == "tbody" and self.in_body:
            self.in_body, self.done = False, True
        elif tag in ("td", "th") and self.cell is not None:
            self.rows[-1].append(" ".join("".join(self.cell).split()))
            self.cell = None

    def handle_data(self, data: str) -> None:
        if self.cell is not None:
            self.cell.append(data)


def table_rows(html: str, caption: str) -> list[list[str]]:
    start = html.index(caption)
    parser = Cells()
    parser.feed(html[start:])
    return parser.rows


@pytest.fixture
def commissioner_client(client: Client, commissioner: User) -> Client:
    return login(client, commissioner)


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
    assert f"Missed visits {market['missed_visits']}" in text
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
    assert row[3] == "Good"
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
    build_market()
    query = {"month": OCTOBER, "sort": "-people_supported"}
    html = commissioner_client.get("/market/", query).content.decode()
    shown = table_rows(html, "Providers this month")
    response = commissioner_client.get("/market/", {**query, "_export": "csv"})
    assert response["Content-Type"].startswith("text/csv")
    rows = list(csv.reader(io.StringIO(response.content.decode())))
    assert rows[0][0] == "Provider"
    assert rows[1:] == shown


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


def test_provider_dashboard_shows_tiles_reasons_and_people(commissioner_client: Client) -> None:
    data = build_market()
    response = commissioner_client.get("/providers/PA/dashboard/", {"month": OCTOBER})
    html = response.content.decode()
    assert "Red because 40.0% is more than the red limit of 10.0%." in html
    people = table_rows(html, "People with a late visit more than 10% of the time, October")
    assert people == [["R-ALONE, their visits", "2", "5", "40%", "Yes", "Yes"]]
    assert stored(data["alpha"])["people_late_over_10pct_living_alone"] == 1
    assert html.count('role="img"') == len(rag.MEASURE_LIST)
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


# --- RAG rules -------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("value", "status"),
    [(5.0, rag.GREEN), (5.01, rag.AMBER), (10.0, rag.AMBER), (10.01, rag.RED), (None, rag.NO_DATA)],
)
def test_lower_is_better_at_its_limits(value: float | None, status: str) -> None:
    measure = rag.MEASURES["late_visit_rate"]
    assert rag.status_for(measure, value, rag.Limits(5, 10)) == status


@pytest.mark.parametrize(
    ("value", "status"),
    [(95.0, rag.GREEN), (94.99, rag.AMBER), (90.0, rag.AMBER), (89.99, rag.RED)],
)
def test_higher_is_better_at_its_limits(value: float, status: str) -> None:
    measure = rag.MEASURES["delivered_hours_share"]
    assert rag.status_for(measure, value, rag.Limits(95, 90)) == status


def test_stored_fractions_meet_limits_exactly() -> None:
    # 0.1 stored must compare as exactly 10%, not 10.000000000000002%.
    ratings = rag.rate({"late_visit_rate": 0.1}, rag.default_limits())
    assert ratings["late_visit_rate"].status == rag.AMBER
    ratings = rag.rate({"late_visit_rate": 0.05}, rag.default_limits())
    assert ratings["late_visit_rate"].status == rag.GREEN


def test_overall_is_the_worst_measure() -> None:
    ratings = rag.rate({"late_visit_rate": 0.0, "missed_visit_rate": 0.5}, rag.default_limits())
    assert rag.overall(ratings) == rag.RED


def test_commissioner_changes_limits(commissioner_client: Client) -> None:
    response = commissioner_client.post(
        "/rag-thresholds/late_visit_rate/", {"green_limit": "3", "red_limit": "8"}
    )
    assert response.status_code == 302
    assert rag.current_limits()["late_visit_rate"] == rag.Limits(3.0, 8.0)
    assert RagThreshold.objects.get().updated_by.username == "commissioner"


def test_limit_errors_are_shown_next_to_the_field(commissioner_client: Client) -> None:
    response = commissioner_client.post(
        "/rag-thresholds/late_visit_rate/", {"green_limit": "12", "red_limit": "8"}
    )
    html = response.content.decode()
    assert response.status_code == 200
    assert 'id="id_red_limit-error"' in html
    assert "Red limit must be the same as or more than the green limit" in html
    assert "govuk-error-summary" in html
    blank = commissioner_client.post("/rag-thresholds/late_visit_rate/", {"green_limit": "x"})
    assert "Green limit must be a number" in blank.content.decode()
    assert "Enter the red limit" in blank.content.decode()


def test_only_commissioners_change_limits(client: Client, quality_officer: User) -> None:
    login(client, quality_officer)
    assert client.get("/rag-thresholds/").status_code == 200
    assert client.get("/rag-thresholds/late_visit_rate/").status_code == 403
    assert client.post("/rag-thresholds/late_visit_rate/", {}).status_code == 403


# --- bounded queries -------------------------------------------------------------------


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


@pytest.mark.parametrize("count", [3, 12])
def test_pages_run_a_bounded_number_of_queries(
    client: Client, django_assert_max_num_queries: Any, count: int
) -> None:
    data = stored_market(count)
    user = UserFactory(username="commissioner", role=COMMISSIONER)
    login(client, user)
    first = data["providers"][0]
    pages = [
        ("/market/", {"month": OCTOBER}),
        ("/market/", {"month": OCTOBER, "lot": data["lot"].pk, "rag": "amber"}),
        ("/market/", {"month": OCTOBER, "_export": "csv"}),
        (f"/providers/{first.ref}/dashboard/", {"month": OCTOBER}),
        (f"/providers/{first.ref}/dashboard/", {"month": OCTOBER, "kind": "late", "carer": "A"}),
        (f"/lots/{data['lot'].pk}/", {"month": OCTOBER}),
        ("/rag-thresholds/", {}),
    ]
    for path, query in pages:
        with django_assert_max_num_queries(16):
            response = client.get(path, query)
        assert response.status_code == 200, path


def test_provider_user_market_page_queries(
    client: Client, django_assert_max_num_queries: Any
) -> None:
    data = stored_market(5)
    login(client, provider_user(data["providers"][0], username="q-user"))
    with django_assert_max_num_queries(10):
        html = client.get("/market/", {"month": OCTOBER}).content.decode()
    assert "Quota 1 Care" not in html


def test_quality_officer_sees_every_provider(client: Client) -> None:
    build_market()
    login(client, UserFactory(username="qo", role=QUALITY_OFFICER))
    html = client.get("/market/", {"month": OCTOBER}).content.decode()
    assert "Alpha Home Care" in html and "Beta Home Care" in html


def test_query_counts_do_not_grow_with_providers(client: Client) -> None:
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    login(client, UserFactory(username="commissioner", role=COMMISSIONER))

    def counts(lot_pk: int, ref: str) -> list[int]:
        out = []
        for path in ("/market/", f"/providers/{ref}/dashboard/", f"/lots/{lot_pk}/"):
            with CaptureQueriesContext(connection) as captured:
                assert client.get(path, {"month": OCTOBER}).status_code == 200
            out.append(len(captured))
        return out

    small = stored_market(3)
    few = counts(small["lot"].pk, small["providers"][0].ref)
    MonthlyKpi.objects.all().delete()
    large = stored_market(12)
    assert counts(large["lot"].pk, large["providers"][0].ref) == few


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


@pytest.mark.parametrize(
    ("current", "previous", "unit", "text"),
    [
        (4.04, 4.0, "percent", "No change from September 2026"),
        (4.1, 4.0, "percent", "Up 0.1 percentage points from September 2026"),
        (3.0, 4.0, "percent", "Down 1.0 percentage point from September 2026"),
        (12, 9, "count", "Up 3 from September 2026"),
        (8.86, 8.9, "number", "Down 0.04 from September 2026"),
    ],
)
def test_change_from_last_month_reads_as_it_is_shown(current, previous, unit, text) -> None:
    assert presenters.change_text(current, previous, unit, "September 2026") == text
