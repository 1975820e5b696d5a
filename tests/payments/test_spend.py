"""Spend on the market and lot pages: monthly spend, average rate, hours a week."""

from __future__ import annotations

import pytest

from common.months import Month
from contracts.models import Lot
from homecare.payments.selectors import monthly_spend
from tests.conftest import login
from tests.payments.scenario import spend_market

pytestmark = pytest.mark.django_db


@pytest.fixture
def market():
    spend_market()


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
