"""The monthly return, the tracker, the API tokens page and the API's
documentation in Chromium; axe-core finds nothing on any of them."""

from __future__ import annotations

import datetime as dt
import json
from typing import Any

import pytest
from django.contrib.auth.models import User

from common.months import current_month
from homecare.returns.models import ProviderReturn, ReturnStatus
from providers.access import COMMISSIONER
from tests.browser.conftest import check_accessibility, screenshot, sign_in
from tests.factories import ContractFactory, LotFactory, ProviderFactory, UserFactory, provider_user
from tests.returns.factories import PAGES

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


@pytest.fixture
def provider():
    provider = ProviderFactory(ref="PA", name="Alpha Home Care")
    ContractFactory(provider=provider, lot=LotFactory(name="Lot 1 North"))
    ContractFactory(provider=provider, lot=LotFactory(name="Lot 2 South"))
    return provider


@pytest.fixture
def commissioner() -> User:
    return UserFactory(username="commissioner", role=COMMISSIONER)


def fill(page: Any, answers: dict[str, str]) -> None:
    for name, value in answers.items():
        if name == "travel_time_paid":
            page.locator(f"input[name={name}][value={value}]").check()
        else:
            page.locator(f"[name={name}]").fill(value)


def test_provider_fills_in_checks_and_submits(page: Any, live_server: Any, provider) -> None:
    sign_in(page, live_server, provider_user(provider, username="alpha"))
    month = current_month().previous()
    page.goto("/")
    page.get_by_role("link", name=f"Monthly return for {month.first:%B %Y}").first.click()
    page.get_by_role("heading", level=1).wait_for()
    check_accessibility(page)
    screenshot(page, "return-task-list")

    page.get_by_role("link", name="Complaints, compliments and safeguarding").click()
    fill(page, {**PAGES["complaints"], "complaints_upheld": "9"})
    page.get_by_role("button", name="Save and continue").click()
    page.locator(".govuk-error-summary").wait_for()
    summary = page.locator(".govuk-error-summary").inner_text()
    assert "cannot be more than complaints received" in summary
    check_accessibility(page)
    screenshot(page, "return-question-error", phone=True)

    fill(page, PAGES["complaints"])
    page.get_by_role("button", name="Save and continue").click()
    page.get_by_role("heading", name="Care workers").wait_for()
    fill(page, PAGES["workforce"])
    page.get_by_role("button", name="Save as draft and come back later").click()
    page.get_by_text("Your answers have been saved as a draft.").wait_for()
    check_accessibility(page)
    screenshot(page, "return-draft")

    page.get_by_role("link", name="Pay and conditions").click()
    fill(page, PAGES["pay"])
    check_accessibility(page)
    screenshot(page, "return-pay")
    page.get_by_role("button", name="Save and continue").click()
    page.get_by_role("heading", name="Spare capacity").wait_for()
    page.get_by_label("Spare hours a week in Lot 1 North").fill("40")
    page.get_by_label("Spare hours a week in Lot 2 South").fill("0")
    check_accessibility(page)
    screenshot(page, "return-capacity")
    page.get_by_role("button", name="Save and continue").click()
    page.get_by_role("heading", name="Anything else").wait_for()
    page.get_by_role("button", name="Save and continue").click()

    page.get_by_role("heading", name="Check your answers before submitting the return").wait_for()
    check_accessibility(page)
    screenshot(page, "return-check-answers")
    page.get_by_role("button", name="Submit return").click()
    page.get_by_text("has been submitted").first.wait_for()
    check_accessibility(page)
    screenshot(page, "return-submitted")
    assert ProviderReturn.objects.get().status == ReturnStatus.SUBMITTED


def test_tracker_and_reopening(page: Any, live_server: Any, provider, commissioner) -> None:
    late = ProviderFactory(ref="PL", name="Late Care")
    ProviderFactory(ref="PM", name="Missing Care")
    month = dt.date(2026, 9, 1)
    ProviderReturn.objects.create(
        provider=provider,
        month=month,
        status=ReturnStatus.SUBMITTED,
        first_submitted_at=dt.datetime(2026, 10, 14, 9, tzinfo=dt.UTC),
        submitted_at=dt.datetime(2026, 10, 14, 9, tzinfo=dt.UTC),
        complaints_received=2,
    )
    ProviderReturn.objects.create(
        provider=late,
        month=month,
        status=ReturnStatus.SUBMITTED,
        first_submitted_at=dt.datetime(2026, 10, 21, 9, tzinfo=dt.UTC),
    )
    sign_in(page, live_server, commissioner)
    page.goto("/returns/tracker/?month=2026-09")
    page.get_by_role("heading", name="What is due for September 2026").wait_for()
    check_accessibility(page)
    screenshot(page, "returns-tracker", phone=True)
    assert "Received late" in page.locator("tr", has_text="Late Care").inner_text()
    assert "Missing" in page.locator("tr", has_text="Missing Care").inner_text()

    page.goto("/returns/PA/2026-09/")
    check_accessibility(page)
    screenshot(page, "return-submitted-council")
    page.get_by_role("link", name="Reopen this return").click()
    page.get_by_role("button", name="Reopen the return").click()
    page.locator(".govuk-error-summary").wait_for()
    check_accessibility(page)
    page.get_by_label("Why are you reopening this return?").fill("Complaints look low")
    page.get_by_role("button", name="Reopen the return").click()
    page.get_by_role("heading", name="History").wait_for()
    assert "Complaints look low" in page.locator("table").last.inner_text()
    check_accessibility(page)
    screenshot(page, "return-reopened")


def test_token_page_and_api_docs(page: Any, live_server: Any, provider) -> None:
    sign_in(page, live_server, provider_user(provider, username="alpha"))
    page.goto("/api-tokens/")
    page.get_by_label("Name the token").fill("ECM system")
    page.get_by_role("button", name="Make token").click()
    page.get_by_role("heading", name="Your new token").wait_for()
    check_accessibility(page)
    screenshot(page, "api-token-made")

    schema = json.loads(page.request.get(f"{live_server.url}/api/v1/schema/?format=json").text())
    operations = {
        f"{method.upper()} {path}"
        for path, methods in schema["paths"].items()
        for method in methods
    }
    assert len(operations) == 8
    errors: list[str] = []
    page.on("pageerror", lambda error: errors.append(str(error)))
    page.goto("/api/v1/docs/")
    page.locator(".opblock").first.wait_for(timeout=30_000)
    shown = {
        " ".join(block.inner_text().split()[:2])
        for block in page.locator(
            ".opblock-summary-path-description-wrapper, .opblock-summary"
        ).all()
    }
    for operation in operations:
        method, path = operation.split(" ")
        assert any(s.startswith(method) and path in s for s in shown), operation
    assert not errors
    screenshot(page, "api-docs")
