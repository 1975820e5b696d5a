"""Figures from the returns, rated, on the provider page, the market page
and in the packs."""

from __future__ import annotations

import datetime as dt
from decimal import Decimal

import pytest
from django.test import Client

from common.months import Month
from homecare.dashboards.models import RagThreshold
from homecare.dashboards.presenters.return_figures import (
    living_wage,
    market_figures,
    provider_figures,
)
from homecare.kpis.models import KpiScope, MonthlyKpi
from homecare.returns.models import ProviderReturn, ReturnStatus
from tests.conftest import login
from tests.factories import ProviderFactory
from tests.returns.factories import FULL_ANSWERS

pytestmark = pytest.mark.django_db
NOVEMBER = Month.parse("2025-11")


def received(provider, **changes) -> ProviderReturn:
    answers = {**FULL_ANSWERS, **changes}
    return ProviderReturn.objects.create(
        provider=provider,
        month=NOVEMBER.first,
        status=ReturnStatus.SUBMITTED,
        first_submitted_at=dt.datetime(2025, 12, 10, tzinfo=dt.UTC),
        **answers,
    )


def kpis(provider, hours: float, people: int) -> None:
    MonthlyKpi.objects.create(
        scope=KpiScope.PROVIDER,
        provider=provider,
        month=NOVEMBER.first,
        figures={"delivered_hours": hours, "people_supported": people},
        computed_at=dt.datetime(2025, 12, 2, tzinfo=dt.UTC),
    )


def by_key(figures):
    return {r.measure.key: r for r in figures.ratings}


def test_living_wage_is_the_rate_in_force():
    assert living_wage(dt.date(2025, 10, 22)) == Decimal("12.60")
    assert living_wage(dt.date(2025, 10, 31)) == Decimal("13.45")


def test_one_providers_figures_and_ratings():
    provider = ProviderFactory(ref="P1")
    # 80 care workers, 4 leavers, 8 vacancies, 6% agency, lowest pay £12.80.
    received(provider)
    kpis(provider, hours=5000, people=100)
    r = by_key(provider_figures(provider))
    assert r["annualised_turnover"].display == "60.0%"  # 4 × 12 / 80
    assert r["annualised_turnover"].status == "red"
    assert r["vacancy_rate"].display == "9.1%"  # 8 / 88
    assert r["vacancy_rate"].status == "amber"
    assert r["agency_share"].display == "6.0%" and r["agency_share"].status == "amber"
    assert r["pay_vs_living_wage"].display == "95.2%"  # 12.80 / 13.45
    assert r["pay_vs_living_wage"].status == "amber"
    assert r["complaints_per_1000_hours"].display == "0.80"  # 4 per 5,000 hours
    assert r["safeguarding_per_100_people"].display == "2.00"  # 2 per 100 people
    assert r["safeguarding_per_100_people"].status == "green"  # on the limit: the kinder


def test_a_commissioners_limits_apply():
    provider = ProviderFactory(ref="P1")
    received(provider)
    RagThreshold.objects.create(measure="vacancy_rate", green_limit=10, red_limit=15)
    assert by_key(provider_figures(provider))["vacancy_rate"].status == "green"


def test_market_adds_returns_up_not_their_rates():
    a, b = ProviderFactory(ref="P1"), ProviderFactory(ref="P2")
    received(a, leavers=2, care_workers_headcount=40)
    received(b, leavers=0, care_workers_headcount=60, lowest_hourly_pay=Decimal("11.00"))
    kpis(a, 1000, 50)
    kpis(b, 3000, 50)
    totals, rows = market_figures(NOVEMBER)
    r = by_key(totals)
    assert totals.returns == 2 and len(rows) == 2
    assert r["annualised_turnover"].display == "24.0%"  # 2 × 12 / 100
    assert r["complaints_per_1000_hours"].display == "2.00"  # 8 per 4,000 hours
    assert r["pay_vs_living_wage"].display == "81.8%"  # the lowest pay in the market
    assert r["pay_vs_living_wage"].status == "red"


def test_pages_show_the_figures(client: Client, commissioner, django_assert_max_num_queries):
    from homecare.returns.models import ReturnCapacity
    from tests.factories import LotFactory

    lot = LotFactory(name="Lot 3 West")
    for ref in ("P1", "P2", "P3"):
        ret = received(ProviderFactory(ref=ref, name=f"Figure Care {ref}"))
        ReturnCapacity.objects.create(provider_return=ret, lot=lot, spare_hours_per_week=20)
    login(client, commissioner)
    page = client.get("/providers/P1/").content.decode()
    assert "Figures from the monthly return" in page and "60.0%" in page
    with django_assert_max_num_queries(15):
        page = client.get("/market/returns/?month=2025-11").content.decode()
    assert "Figure Care P3" in page and "Care worker turnover (annualised)" in page
    assert "Lot 3 West" in page and ">60<" in page  # 3 providers × 20 spare hours
    assert client.get("/market/returns/?month=nonsense").status_code == 400


def test_provider_pack_has_the_figures():
    from homecare.packs.contexts import market_context, provider_context

    provider = ProviderFactory(ref="P1")
    received(provider)
    context = provider_context(provider, NOVEMBER)
    assert context["return_figures"].returns == 1
    assert market_context(NOVEMBER)["return_figures"].returns == 1


def test_market_returns_page_opens_on_the_latest_month_with_returns(client: Client, commissioner):
    received(ProviderFactory(ref="P1", name="Figure Care"))
    login(client, commissioner)
    page = client.get("/market/returns/").content.decode()
    assert "Figures from monthly returns, November 2025" in page
