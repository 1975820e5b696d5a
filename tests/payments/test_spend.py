"""Spend on the market and lot pages: monthly spend, average rate, hours a week."""

from __future__ import annotations

import io

import pytest
from django.core.management import call_command

from common.months import Month
from contracts.models import Lot
from homecare.payments.selectors import monthly_spend
from tests.conftest import login
from tests.payments.scenario import council, rates, visits

pytestmark = pytest.mark.django_db


@pytest.fixture
def market():
    council(
        """
        C1,P01,F,Lot 1,2024-04-01,,20.00,planned,,
        C2,P02,F,Lot 2,2024-04-01,,30.00,planned,,
        """,
        "K1,R1,P01,C1,2026-01-01,,7\nK2,R2,P02,C2,2026-01-01,,7",
    )
    rates("C1,2026-10-01,22.00")
    visits(
        """
        V1,K1,W1,2026-09-07T09:00:00,2026-09-07T10:00:00,2026-09-07T09:00:00,2026-09-07T10:00:00,completed,ecm,
        V2,K1,W1,2026-10-05T09:00:00,2026-10-05T11:00:00,2026-10-05T09:00:00,2026-10-05T11:00:00,completed,ecm,
        V3,K2,W2,2026-10-05T09:00:00,2026-10-05T10:00:00,2026-10-05T09:00:00,2026-10-05T10:00:00,completed,ecm,
        """
    )
    call_command("compute_kpis", month="2026-10", stdout=io.StringIO())


def test_monthly_spend_and_average_rate(market):
    september, october = monthly_spend([Month.parse("2026-09"), Month.parse("2026-10")])
    assert (september.amount, september.average_rate) == (20, 20)
    # October: 2 hours at the new 22.00 and 1 at 30.00 = 74.00 over 3 hours.
    assert (str(october.amount), str(october.average_rate)) == ("74.00", "24.67")
    # 3 hours over October's 31 days = 0.68 hours a week.
    assert str(october.per_week(october.payable_seconds)) == "0.68"
    lot2 = Lot.objects.get(name="Lot 2")
    assert str(monthly_spend([Month.parse("2026-10")], lot_id=lot2.pk)[0].amount) == "30.00"


def test_market_and_lot_pages_show_spend(client, commissioner, market):
    login(client, commissioner)
    page = client.get("/market/?month=2026-10").content.decode()
    assert "Spend and hours over the year" in page
    assert "£74.00" in page and "£24.67" in page
    lot2 = Lot.objects.get(name="Lot 2")
    lot_page = client.get(f"/lots/{lot2.pk}/?month=2026-10").content.decode()
    lot_page = lot_page.split("<main", 1)[1]
    assert "£30.00" in lot_page and "£74.00" not in lot_page
