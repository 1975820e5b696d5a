"""Market oversight in a real browser: the waiting, lot, register, CQC,
capacity and provider pages pass axe-core's WCAG 2.2 A/AA checks, and a
commissioner records a register entry from a suggestion."""

from __future__ import annotations

import datetime as dt
from typing import Any

import pytest

from contracts.models import Lot
from homecare.market.services import record_risk, take_snapshot
from providers.access import COMMISSIONER
from providers.models import Provider
from tests.browser.conftest import check_accessibility, screenshot, sign_in
from tests.factories import ContractFactory, UserFactory, provider_user
from tests.market.factories import CapacityFactory
from tests.market.market_files import load_market

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


@pytest.fixture
def market(tmp_path) -> dict[str, Any]:
    load_market(tmp_path)
    commissioner = UserFactory(
        username="commissioner", first_name="Sam", last_name="Okafor", role=COMMISSIONER
    )
    p01, p02 = Provider.objects.get(ref="P01"), Provider.objects.get(ref="P02")
    central = Lot.objects.get(name="Lot 1 - Central")
    CapacityFactory(provider=p01, lot=central, spare_weekly_hours=12)
    CapacityFactory(provider=p02, lot=central, spare_weekly_hours=30)
    record_risk(
        provider=p02,
        status="embargo",
        reasons="Safeguarding concerns under investigation",
        owner=commissioner,
        next_review=dt.date.today() - dt.timedelta(days=3),
        by=commissioner,
    )
    now = dt.datetime.now(dt.UTC)
    for weeks in range(8):
        take_snapshot(now - dt.timedelta(weeks=weeks))
    ContractFactory(provider=p01, lot=central)
    return {
        "commissioner": commissioner,
        "p01": p01,
        "central": central,
        "provider_user": provider_user(p01, username="alpha-user"),
    }


def test_the_market_pages_pass_axe(page: Any, live_server: Any, market) -> None:
    sign_in(page, live_server, market["commissioner"])
    pages = {
        "market-waiting": "/market/waiting/",
        "market-lot": f"/market/waiting/lots/{market['central'].pk}/",
        "market-cqc": "/market/cqc/",
        "market-register": "/market/register/",
        "market-capacity": "/market/capacity/",
        "market-requests": "/market/requests/?status=all",
        "market-exit": "/market/exit/P02/",
        "provider-with-cqc": "/providers/P01/",
    }
    for name, path in pages.items():
        response = page.goto(path)
        assert response.status == 200, path
        check_accessibility(page)
        screenshot(page, name, phone=name in ("market-waiting", "market-register"))
    page.goto("/market/register/")
    assert page.get_by_text("Overdue").first.is_visible()


def test_a_commissioner_records_an_entry_and_sees_errors_first(
    page: Any, live_server: Any, market
) -> None:
    sign_in(page, live_server, market["commissioner"])
    page.goto("/market/register/P01/")
    page.get_by_role("button", name="Save entry").click()
    assert page.get_by_text("There is a problem").is_visible()
    check_accessibility(page)
    screenshot(page, "market-register-errors")
    page.get_by_label("Status").select_option(label="Enhanced monitoring")
    page.get_by_label("Reasons").fill("Missed visits above the red limit in two months.")
    page.get_by_label("Owner").select_option(label="Sam Okafor")
    page.get_by_label("Next review date").fill(
        (dt.date.today() + dt.timedelta(days=98)).isoformat()
    )
    page.get_by_role("button", name="Save entry").click()
    assert page.get_by_text("Enhanced monitoring").first.is_visible()


def test_a_provider_user_declares_capacity(page: Any, live_server: Any, market) -> None:
    sign_in(page, live_server, market["provider_user"])
    page.goto("/market/capacity/")
    check_accessibility(page)
    page.get_by_role("button", name="Declare capacity").click()
    assert page.get_by_text("Select the lot").first.is_visible()
    check_accessibility(page)
    page.get_by_label("Lot").select_option(label="Lot 1 - Central")
    page.get_by_label("Spare hours a week").fill("17.5")
    page.get_by_role("button", name="Declare capacity").click()
    assert page.get_by_role("cell", name="17.5").is_visible()
    check_accessibility(page)
    screenshot(page, "market-capacity-provider")
