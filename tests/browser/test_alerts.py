"""The alerts page in Chromium: the list, marking one read, the navigation's
count and the daily e-mail preference; axe-core finds nothing."""

from __future__ import annotations

from typing import Any

import pytest

from homecare.alerts.services import raise_alerts
from providers.access import COMMISSIONER
from tests.alerts.data import TODAY, every_kind
from tests.browser.conftest import check_accessibility, screenshot, sign_in
from tests.factories import UserFactory, provider_user

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


def test_commissioner_reads_alerts_and_asks_for_the_email(page: Any, live_server: Any) -> None:
    data = every_kind()
    raise_alerts(TODAY)
    user = UserFactory(username="commissioner", role=COMMISSIONER, email="c@council.example")
    sign_in(page, live_server, user)
    page.goto("/")
    nav = page.get_by_role("navigation", name="Menu")
    assert nav.get_by_role("link", name="Alerts 9 unread").count() == 1
    nav.get_by_role("link", name="Alerts").click()
    page.get_by_role("heading", level=1, name="Alerts").wait_for()
    check_accessibility(page)
    screenshot(page, "alerts", phone=True)

    red = page.locator("li", has_text="Turned red on a KPI: Acme Care")
    red.get_by_role("button", name="Mark as read").click()
    page.get_by_role("heading", level=1, name="Alerts").wait_for()
    assert "You have 8 unread." in page.content()
    assert page.get_by_role("link", name="Alerts 8 unread").count() == 1

    page.get_by_label("Provider").select_option(label="Acme Care")
    page.get_by_label("Show").select_option("read")
    page.get_by_role("button", name="Show alerts").click()
    page.get_by_role("heading", name="Read alerts about Acme Care").wait_for()
    red = page.locator("li", has_text="Turned red on a KPI: Acme Care")
    assert red.get_by_role("button", name="Mark as unread").count() == 1
    check_accessibility(page)

    page.get_by_label("Send me a daily e-mail of new alerts").check()
    page.get_by_role("button", name="Save e-mail preference").click()
    page.get_by_text("You will get a daily e-mail of new alerts.").wait_for()
    assert page.get_by_label("Send me a daily e-mail of new alerts").is_checked()
    check_accessibility(page)
    screenshot(page, "alerts-email-saved")
    assert data["acme"].name == "Acme Care"


def test_provider_user_sees_its_own_alerts(page: Any, live_server: Any) -> None:
    data = every_kind()
    raise_alerts(TODAY)
    sign_in(page, live_server, provider_user(data["acme"], username="acme"))
    page.goto("/alerts/")
    page.get_by_role("heading", level=1, name="Alerts").wait_for()
    # Everything but the council's risk register review.
    assert "You have 8 unread." in page.content()
    assert "risk register" not in page.content()
    check_accessibility(page)
    screenshot(page, "alerts-provider")
