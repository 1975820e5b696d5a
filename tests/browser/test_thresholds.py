"""The KPI thresholds pages in Chromium: a commissioner changes a lot's late
threshold, sees an error next to its field, and axe-core finds nothing."""

from __future__ import annotations

from typing import Any

import pytest

from homecare.kpis.models import KpiThresholds
from providers.access import COMMISSIONER
from tests.browser.conftest import check_accessibility, screenshot, sign_in
from tests.factories import ContractFactory, LotFactory, UserFactory

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


def test_a_commissioner_changes_a_lots_thresholds(page: Any, live_server: Any, settings) -> None:
    settings.CELERY_TASK_ALWAYS_EAGER = True
    lot = LotFactory(name="Lot 2 - North West")
    ContractFactory(ref="CT-1", lot=lot)
    sign_in(page, live_server, UserFactory(username="commissioner", role=COMMISSIONER))

    page.goto("/kpi-thresholds/")
    check_accessibility(page)
    page.get_by_role("link", name="Change thresholds for Lot 2 - North West").click()
    page.get_by_label("Late after (minutes)").fill("45")
    page.get_by_label("Missed after (minutes)").fill("40")
    page.get_by_role("button", name="Save thresholds").click()
    assert page.locator(".govuk-error-summary").is_visible()
    assert (
        page.locator("#id_missed_after_minutes-error")
        .inner_text()
        .endswith("Missed after must be at least the late threshold (45 minutes)")
    )
    check_accessibility(page)
    screenshot(page, "kpi-thresholds-error", phone=True)

    page.get_by_label("Missed after (minutes)").fill("75")
    page.get_by_role("button", name="Save thresholds").click()
    assert "Thresholds for" in page.locator(".govuk-notification-banner").inner_text()
    check_accessibility(page)
    screenshot(page, "kpi-thresholds", phone=True)
    row = KpiThresholds.objects.get(lot=lot)
    assert (row.late_after_minutes, row.missed_after_minutes) == (45, 75)
