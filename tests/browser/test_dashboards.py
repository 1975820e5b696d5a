"""The dashboards in a real browser: commissioner and provider user, filter,
sort, follow a figure to the people behind it, export CSV and compare it with
the table; axe-core finds no WCAG 2.2 A/AA violations; screenshots at desktop
and phone widths under var/screenshots/."""

from __future__ import annotations

import csv
import io
import re
from typing import Any

import pytest

from providers.access import COMMISSIONER
from tests.browser.conftest import check_accessibility, screenshot, sign_in
from tests.dashboards.market_data import OCTOBER, build_market
from tests.factories import UserFactory, provider_user

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


def open_page(page: Any, path: str, name: str, phone: bool = True) -> None:
    response = page.goto(path)
    assert response is not None and response.status == 200, (
        f"{path}: {response and response.status}"
    )
    check_accessibility(page)
    screenshot(page, name, phone=phone)


def table_text(page: Any, caption: str) -> list[list[str]]:
    table = page.locator("table", has=page.locator("caption", has_text=caption))
    return table.evaluate(
        """t => [...t.tBodies[0].rows].map(r => [...r.cells].map(
             c => c.textContent.replace(/\\s+/g, ' ').trim()))"""
    )


def table_headings(page: Any, caption: str) -> list[str]:
    """Column headings as seen (without the words for screen readers only)."""
    table = page.locator("table", has=page.locator("caption", has_text=caption))
    return table.evaluate(
        """t => [...t.tHead.rows[0].cells].map(c => {
             const copy = c.cloneNode(true);
             copy.querySelectorAll('.govuk-visually-hidden').forEach(h => h.remove());
             return copy.textContent.replace(/\\s+/g, ' ').trim();
           })"""
    )


def test_commissioner_dashboards(page: Any, live_server: Any) -> None:
    data = build_market()
    sign_in(page, live_server, UserFactory(username="commissioner", role=COMMISSIONER))

    open_page(page, f"/market/?month={OCTOBER}", "market")
    # The providers table fits a 1280 px screen: nothing scrolls sideways.
    widths = page.evaluate(
        """() => [...document.querySelectorAll('.app-table-container')].map(
             c => [c.scrollWidth, c.clientWidth]).concat(
             [[document.documentElement.scrollWidth, window.innerWidth]])"""
    )
    assert all(scroll <= client for scroll, client in widths), widths
    # Filter by RAG status through the form.
    page.get_by_label("Overall RAG status").select_option("red")
    page.get_by_role("button", name="Filter providers").click()
    page.wait_for_url("**rag=red**")
    check_accessibility(page)
    screenshot(page, "market-filtered")
    # Sort by late visits, worst first (two clicks: ascending, then descending).
    late_header = page.locator("th a.app-sort-link", has_text="Late visits")
    late_header.click()
    page.wait_for_url("**sort=late_visit_rate**")
    late_header.click()
    page.wait_for_url("**sort=-late_visit_rate**")
    assert page.locator("th[aria-sort='descending']").count() == 1
    shown = table_text(page, "Providers this month")
    assert shown[0][0] == "Alpha Home Care"

    # The CSV download matches the table as shown (same filter and sort).
    with page.expect_download() as info:
        page.get_by_role("link", name="Download these providers as CSV").click()
    with open(info.value.path(), encoding="utf-8") as downloaded:
        rows = list(csv.reader(io.StringIO(downloaded.read())))
    # The file has every column; each one on screen reads the same in it.
    headings = table_headings(page, "Providers this month")

    def as_shown(row: list[str], heading: str) -> str:
        # A measure's figure and RAG status, one cell on screen, are two in the file.
        cell = row[rows[0].index(heading)]
        status = f"{heading} RAG status"
        return f"{cell} {row[rows[0].index(status)]}" if status in rows[0] else cell

    assert [[as_shown(row, h) for h in headings] for row in rows[1:]] == shown
    assert len(rows[0]) > len(headings)

    # Into a provider's dashboard, then from a figure to the people behind it.
    page.get_by_role("link", name="Alpha Home Care").click()
    page.wait_for_url("**/providers/PA/dashboard/**")
    check_accessibility(page)
    screenshot(page, "provider-dashboard", phone=True)
    page.get_by_role(
        "link", name=re.compile(r"^View the people\W+people with a late visit more than 10%")
    ).click()
    assert (
        "R-ALONE"
        in table_text(page, "People with a late visit more than 10% of the time, October")[0][0]
    )
    page.get_by_role("link", name="R-ALONE").first.click()
    page.wait_for_url("**person=R-ALONE**")
    assert page.locator("#visits ~ p[role=status]").first.inner_text().startswith("5 visits")
    # Filter the visits list to the late ones.
    page.get_by_label("Show").select_option("late")
    page.get_by_role("button", name="Filter visits").click()
    page.wait_for_url("**kind=late**")
    assert len(table_text(page, "Visits in October 2026")) == 2
    check_accessibility(page)
    screenshot(page, "provider-visits-late")

    # A chart's figures open as a table.
    page.locator("summary", has_text="Figures in this chart").first.click()
    check_accessibility(page)

    open_page(page, f"/lots/{data['lot'].pk}/?month={OCTOBER}", "lot")
    open_page(page, "/rag-thresholds/", "rag-thresholds")
    open_page(page, "/rag-thresholds/late_visit_rate/", "rag-threshold-form")
    page.get_by_label("Green limit").fill("12")
    page.get_by_label("Red limit").fill("8")
    page.get_by_role("button", name="Save limits").click()
    page.locator(".govuk-error-summary").wait_for()
    assert page.title().startswith("Error: ")
    check_accessibility(page)
    screenshot(page, "rag-threshold-error", phone=True)
    page.get_by_label("Green limit").fill("3")
    page.get_by_label("Red limit").fill("8")
    page.get_by_role("button", name="Save limits").click()
    page.wait_for_url("**/rag-thresholds/")
    assert "saved" in page.locator(".govuk-notification-banner").inner_text()


def test_provider_user_dashboards(page: Any, live_server: Any) -> None:
    data = build_market()
    sign_in(page, live_server, provider_user(data["alpha"], username="alpha-user"))
    open_page(page, f"/market/?month={OCTOBER}", "market-provider-user")
    body = page.locator("main").inner_text()
    assert "Beta Home Care" not in body and "PB" not in body
    assert page.locator("table").count() == 0
    page.get_by_role("link", name="Your provider's dashboard").click()
    page.wait_for_url("**/providers/PA/dashboard/**")
    check_accessibility(page)
    screenshot(page, "provider-dashboard-provider-user")
    response = page.goto("/providers/PB/dashboard/")
    assert response is not None and response.status == 404
