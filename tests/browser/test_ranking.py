"""The provider ranking in a real browser: its pages and the request page's
offer list pass axe-core's WCAG 2.2 A/AA checks; a commissioner changes
the weights (an error first) and computes a ranking."""

from __future__ import annotations

import datetime as dt
from typing import Any

import pytest

from homecare.market.services import record_risk
from homecare.ranking.models import RankingCycle, RankingSettings
from homecare.ranking.services import compute_cycle
from providers.access import COMMISSIONER
from tests.browser.conftest import check_accessibility, screenshot, sign_in
from tests.factories import UserFactory, provider_user
from tests.market.factories import CareRequestFactory
from tests.ranking.lot import AS_OF, three_provider_lot

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


@pytest.fixture
def ranked() -> dict[str, Any]:
    lot = three_provider_lot()
    compute_cycle(AS_OF)
    commissioner = UserFactory(
        username="commissioner", first_name="Sam", last_name="Okafor", role=COMMISSIONER
    )
    record_risk(
        provider=lot.b,
        status="embargo",
        reasons="Safeguarding concerns under investigation",
        owner=commissioner,
        next_review=dt.date.today() + dt.timedelta(days=30),
        by=commissioner,
    )
    request = CareRequestFactory(ref="Q-NEW", lot=lot.lot, weekly_hours=7)
    return {
        "lot": lot,
        "commissioner": commissioner,
        "request": request,
        "cedar": provider_user(lot.c, username="cedar-user"),
    }


def test_the_ranking_pages_pass_axe(page: Any, live_server: Any, ranked) -> None:
    sign_in(page, live_server, ranked["commissioner"])
    lot = ranked["lot"].lot
    pages = {
        "ranking-index": "/ranking/",
        "ranking-lot": f"/ranking/lots/{lot.pk}/",
        "ranking-provider": f"/ranking/lots/{lot.pk}/providers/RC/",
        "ranking-settings": "/ranking/settings/",
        "ranking-request": f"/market/requests/{ranked['request'].ref}/",
    }
    for name, url in pages.items():
        page.goto(url)
        assert page.locator("h1").count() == 1, name
        check_accessibility(page)
        screenshot(page, name, phone=name == "ranking-lot")
    page.goto(f"/market/requests/{ranked['request'].ref}/")
    offered = page.locator("ol.govuk-list--number li").all_inner_texts()
    assert [line.split(" (")[0] for line in offered] == ["Acorn Care", "Cedar Care"]
    assert "Safeguarding concerns" in page.get_by_text("Birch Care (ranked 3)").inner_text()


def test_a_commissioner_changes_the_weights(page: Any, live_server: Any, ranked) -> None:
    sign_in(page, live_server, ranked["commissioner"])
    page.goto("/ranking/settings/")
    for label in (
        "KPI performance weight",
        "Latest quality assessment weight",
        "CQC rating weight",
        "Price weight",
    ):
        page.get_by_label(label).fill("0")
    page.get_by_role("button", name="Save weights").click()
    assert page.locator(".govuk-error-summary").is_visible()
    check_accessibility(page)
    screenshot(page, "ranking-settings-error")
    page.get_by_label("Price weight").fill("1")
    page.get_by_role("button", name="Save weights").click()
    assert page.url.endswith("/ranking/")
    assert RankingSettings.objects.get().weight_price == 1
    page.get_by_role("button", name="Compute a ranking now").click()
    assert RankingCycle.objects.count() == 2
    page.get_by_role("link", name="Lot 2 North").click()
    names = page.locator("tbody th a").all_inner_texts()
    assert names[0] == "Birch Care"  # price only: the cheapest first


def test_a_providers_user_sees_its_own_place(page: Any, live_server: Any, ranked) -> None:
    sign_in(page, live_server, ranked["cedar"])
    page.goto("/ranking/")
    page.get_by_role("link", name="Lot 2 North").click()
    assert "2 of 3" in page.locator("h1 + dl").inner_text()
    check_accessibility(page)
    screenshot(page, "ranking-provider-user")
