"""Demo alerts (issue 15): raised as the daily job would on the demo's
"today", after the KPIs are computed, so the alerts page and the navigation's
count have something to show."""

from __future__ import annotations

import logging

from homecare.alerts.services import raise_alerts
from homecare.demo.period import demo_now

logger = logging.getLogger(__name__)


def raise_demo_alerts(end_month: tuple[int, int] | None = None) -> int:
    try:
        return raise_alerts(demo_now(end_month).date())
    except Exception:
        # The market is loaded; the morning job raises them anyway.
        logger.exception("Could not raise the demo alerts")
        return 0
