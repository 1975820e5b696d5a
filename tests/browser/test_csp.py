"""The Content Security Policy in a real browser (issue 10): the main pages
load with no violation (no inline script, nothing from elsewhere), and
GOV.UK Frontend still starts (its JavaScript is a file the policy allows)."""

from __future__ import annotations

from typing import Any

import pytest
from django.contrib.auth.models import User

from providers.access import COMMISSIONER, QUALITY_OFFICER
from tests.browser.conftest import csp_violations, sign_in
from tests.factories import ProviderFactory, UserFactory
from visits.models import ImportKind, ImportRecord

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]

MAIN_PAGES = [
    "/",
    "/providers/",
    "/providers/PA/",
    "/providers/PA/dashboard/",
    "/market/",
    "/quality/",
    "/imports/",
    "/imports/upload/",
    "/packs/",
    "/rag-thresholds/",
    "/kpi-thresholds/",
    "/account/",
]


def test_main_pages_load_without_a_policy_violation(page: Any, live_server: Any) -> None:
    ProviderFactory(ref="PA", name="Alpha Home Care")
    user: User = UserFactory(username="commissioner", role=COMMISSIONER)
    sign_in(page, live_server, user)
    for path in MAIN_PAGES:
        response = page.goto(path)
        assert response is not None and response.status == 200, path
        policy = response.headers["content-security-policy"]
        assert "script-src 'self'" in policy and "unsafe-inline" not in policy
        # GOV.UK Frontend ran: the body class from js-enabled.js, and the skip
        # link marked as started by initAll() (static/js/init.js).
        assert "govuk-frontend-supported" in page.evaluate("document.body.className"), path
        page.locator("[data-govuk-skip-link-init]").wait_for(state="attached")
        assert csp_violations(page) == [], path


def test_an_import_in_progress_refreshes_itself_with_a_file_script(
    page: Any, live_server: Any
) -> None:
    user: User = UserFactory(username="quality", role=QUALITY_OFFICER)
    queued = ImportRecord.objects.create(kind=ImportKind.VISITS, file_name="visits.csv")
    sign_in(page, live_server, user)
    page.goto(f"/imports/{queued.pk}/")
    assert page.locator("script[src$='import-refresh.js']").count() == 1
    assert page.locator("script:not([src]):not([type='application/json'])").count() == 0
    # The outcome changes: the page's script notices and reloads it.
    ImportRecord.objects.filter(pk=queued.pk).update(outcome="failed")
    page.locator("#import-outcome").wait_for(state="detached", timeout=20_000)
    assert csp_violations(page) == []


def test_the_admin_loads_without_a_policy_violation(page: Any, live_server: Any) -> None:
    ProviderFactory(ref="PA", name="Alpha Home Care")
    admin = UserFactory(username="admin", is_staff=True, is_superuser=True)
    sign_in(page, live_server, admin)
    for path in (
        "/admin/",
        "/admin/providers/provider/",
        "/admin/providers/provider/add/",
        "/admin/auth/user/",
    ):
        response = page.goto(path)
        assert response is not None and response.status == 200, path
        assert csp_violations(page) == [], path
