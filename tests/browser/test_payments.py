"""The hours, flex, banked time and payment schedule pages in Chromium, as a
commissioner and as a provider's user: axe-core finds no WCAG 2.2 A/AA
violations; screenshots under var/screenshots/."""

from __future__ import annotations

import io
from typing import Any

import pytest
from django.core.management import call_command

from providers.access import COMMISSIONER
from providers.models import Provider
from tests.browser.conftest import check_accessibility, screenshot, sign_in
from tests.factories import UserFactory, provider_user
from tests.payments.scenario import council, time_bank, visits

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


def build() -> None:
    council(
        """
        C1,P01,Care and Wellbeing 2024-2031,Lot 1 - Central,2024-04-01,,22.96,planned,,24
        C2,P02,Care and Wellbeing 2024-2031,Lot 2 - North East,2024-04-01,,23.50,verified,15,
        """,
        "K1,R1,P01,C1,2026-09-01,,14\nK2,R2,P02,C2,2026-09-01,,3\nK3,R3,P01,C1,2026-09-01,,1",
    )
    rows = []
    for day in range(1, 32):
        rows.append(
            f"V{day},K1,W1,2026-10-{day:02d}T08:00:00,2026-10-{day:02d}T10:00:00,"
            f"2026-10-{day:02d}T08:05:00,2026-10-{day:02d}T09:55:00,completed,ecm,"
        )
        if day % 3 == 0:
            status = "completed,ecm" if day % 2 else "completed,manual"
            rows.append(
                f"W{day},K2,W2,2026-10-{day:02d}T12:00:00,2026-10-{day:02d}T13:00:00,"
                f"2026-10-{day:02d}T12:00:00,2026-10-{day:02d}T12:52:00,{status},"
            )
    rows.append("X1,K3,W1,2026-10-05T08:00:00,2026-10-05T17:00:00,,,missed,,")
    visits("\n".join(rows))
    time_bank("K1,2026-10-01,60,deferred\nK1,2026-10-30,-60,used\nK2,2026-10-02,30,deferred")
    call_command("compute_kpis", month="2026-10", stdout=io.StringIO())


def open_page(page: Any, path: str, name: str) -> str:
    response = page.goto(path)
    assert response is not None and response.status == 200, path
    check_accessibility(page)
    screenshot(page, name, phone=True)
    return page.locator("main").inner_text()


def test_payments_pages_as_a_commissioner(page: Any, live_server: Any) -> None:
    build()
    sign_in(page, live_server, UserFactory(username="commissioner", role=COMMISSIONER))
    text = open_page(page, "/payments/?month=2026-10", "payments-schedule")
    assert "Alpha Home Care" in text and "Beta Care" in text
    text = open_page(page, "/payments/?month=2026-10&provider=P02", "payments-schedule-provider")
    assert "Exceptions to resolve" in text and "W6" in text
    text = open_page(page, "/payments/hours/?month=2026-10&provider=P01", "payments-hours")
    assert "Care packages week by week" in text
    text = open_page(page, "/payments/flex/?month=2026-10", "payments-flex")
    assert "K3" in text and "more than 7 hours in a week" in text
    text = open_page(page, "/payments/time-bank/?month=2026-10", "payments-time-bank")
    assert "Expired minutes by provider" in text
    text = open_page(page, "/market/?month=2026-10", "payments-market-spend")
    assert "Spend and hours over the year" in text


def test_payments_pages_as_a_provider(page: Any, live_server: Any) -> None:
    build()
    user = provider_user(Provider.objects.get(ref="P02"), username="beta-user")
    sign_in(page, live_server, user)
    text = open_page(page, "/payments/?month=2026-10", "payments-schedule-provider-user")
    assert "Beta Care" in text and "Alpha" not in text
    text = open_page(page, "/payments/time-bank/?month=2026-10", "payments-time-bank-provider")
    assert "K2" in text and "K1" not in text
    response = page.goto("/payments/?month=2026-10&provider=P01")
    assert response is not None and response.status == 404
