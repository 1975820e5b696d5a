"""The care standards of issue 15 in a real browser: from a figure on the
provider dashboard to the people and visits behind it, the lot and market
pages and the contract thresholds form; axe-core finds no WCAG 2.2 A/AA
violations; screenshots under var/screenshots/."""

from __future__ import annotations

import re
from typing import Any

import pytest

from providers.access import COMMISSIONER
from tests.browser.conftest import check_accessibility, screenshot, sign_in
from tests.browser.test_dashboards import open_page, table_text
from tests.dashboards.market_data import OCTOBER
from tests.dashboards.test_care_standards import care_standards_market
from tests.factories import UserFactory

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


def test_care_standards_pages(page: Any, live_server: Any) -> None:
    data = care_standards_market()
    sign_in(page, live_server, UserFactory(username="commissioner", role=COMMISSIONER))

    open_page(page, f"/providers/PA/dashboard/?month={OCTOBER}", "care-standards-provider")
    page.get_by_role(
        "link", name=re.compile(r"^View the people\W+time-critical visits outside their window")
    ).click()
    people = table_text(page, "People with a time-critical visit outside its window")
    assert people == [
        ["R-ALONE, their time-critical visits outside the window", "1", "1", "Yes", "Yes"]
    ]
    page.locator("a[href*='kind=time_critical_outside']", has_text="R-ALONE").click()
    page.wait_for_url("**kind=time_critical_outside**")
    assert len(table_text(page, "Visits in October 2026")) == 1
    check_accessibility(page)

    page.goto(f"/providers/PA/dashboard/?month={OCTOBER}")
    page.get_by_role(
        "link",
        name=re.compile(r"^View the visits\W+missed visits of people living alone and lacking"),
    ).click()
    (row,) = table_text(page, "Missed visits of people living alone who lack capacity")
    assert row[0] == data["missed"].visit_id and row[-1] == "Missed"
    (package_row,) = table_text(page, "Visits planned for 15 minutes or less, by care package")
    assert package_row[0] == data["package"].ref

    open_page(page, f"/lots/{data['lot'].pk}/?month={OCTOBER}", "care-standards-lot")
    open_page(page, f"/market/?month={OCTOBER}", "care-standards-market", phone=False)
    assert page.get_by_role("heading", name="Care standards").count() == 1
    contract = data["PA-contract"]
    open_page(page, f"/kpi-thresholds/contracts/{contract.ref}/", "care-standards-thresholds")
    page.get_by_label("Time-critical window (minutes either side of the planned time)").fill("x")
    page.get_by_role("button", name=re.compile("Save")).click()
    page.locator(".govuk-error-summary").wait_for()
    check_accessibility(page)
    screenshot(page, "care-standards-threshold-error")
