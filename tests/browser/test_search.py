"""The search box in Chromium: typed into the header on any page, results
grouped by kind, a too-short query's error; axe-core finds nothing."""

from __future__ import annotations

from typing import Any

import pytest
from django.contrib.auth.models import User

from providers.access import COMMISSIONER
from tests.browser.conftest import check_accessibility, screenshot, sign_in
from tests.factories import (
    CarePackageFactory,
    PersonFactory,
    ProviderFactory,
    UserFactory,
    VisitFactory,
)

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


@pytest.fixture
def commissioner() -> User:
    return UserFactory(username="commissioner", role=COMMISSIONER)


def test_search_from_the_header(page: Any, live_server: Any, commissioner: User) -> None:
    acorn = ProviderFactory(ref="P014", name="Acorn Care at Home")
    ProviderFactory(ref="P022", name="Acorn Care Services")
    person = PersonFactory(ref="R000014")
    package = CarePackageFactory(ref="PKG000014", provider=acorn, person=person)
    VisitFactory(package=package, visit_id="V0000014")
    sign_in(page, live_server, commissioner)
    page.goto("/")
    screenshot(page, "search-header")
    page.get_by_label("Search this service").fill("acorn")
    page.get_by_role("button", name="Search", exact=True).click()
    page.get_by_role("heading", name="Search results for ‘acorn’").wait_for()
    assert page.get_by_role("link", name="Acorn Care at Home").count() == 1
    check_accessibility(page)

    page.get_by_label("Search providers, care packages, people and visits").fill("14")
    page.get_by_role("button", name="Search", exact=True).click()
    page.get_by_role("heading", name="Search results for ‘14’").wait_for()
    headings = page.locator("h2.govuk-heading-m").all_inner_texts()
    assert headings == ["Providers", "Care packages", "People"]
    check_accessibility(page)
    screenshot(page, "search-results", phone=True)

    page.get_by_label("Search providers, care packages, people and visits").fill("V0000014")
    page.get_by_role("button", name="Search", exact=True).click()
    page.get_by_role("heading", name="Visits").wait_for()
    page.get_by_role("link", name="V0000014").click()
    page.wait_for_url("**/providers/P014/dashboard/**")
    assert "person=R000014" in page.url


def test_a_too_short_search_says_so(page: Any, live_server: Any, commissioner: User) -> None:
    sign_in(page, live_server, commissioner)
    page.goto("/search/?q=a")
    summary = page.locator(".govuk-error-summary")
    summary.wait_for()
    assert "Enter at least 2 characters to search for" in summary.inner_text()
    check_accessibility(page)
    screenshot(page, "search-error")
