"""The 400 page a bad query value gets (issue 10), in a real browser: GOV.UK
error summary, no accessibility violations, no policy violations."""

from __future__ import annotations

from typing import Any

import pytest

from providers.access import COMMISSIONER
from tests.browser.conftest import check_accessibility, screenshot, sign_in
from tests.factories import UserFactory

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


def test_a_month_out_of_range_is_a_page_that_says_what_is_wrong(
    page: Any, live_server: Any
) -> None:
    sign_in(page, live_server, UserFactory(username="commissioner", role=COMMISSIONER))
    response = page.goto("/market/?month=0001-01")
    assert response is not None and response.status == 400
    summary = page.locator(".govuk-error-summary")
    assert "Month must be between January 1900 and December 2100" in summary.inner_text()
    assert page.get_by_role("heading", level=1).inner_text() == (
        "There is a problem with the web address"
    )
    check_accessibility(page)
    screenshot(page, "bad-address", phone=True)
