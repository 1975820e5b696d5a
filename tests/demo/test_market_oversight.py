"""The demo market shows the market oversight: requests, discharges, CQC
history with two downgrades, capacity, the register and a year of snapshots."""

from __future__ import annotations

from io import StringIO
from pathlib import Path

import pytest
from django.core.management import call_command

from common.months import Month
from contracts.models import CapacityDeclaration, CareRequest
from homecare.market.models import RiskEntry, WaitingSnapshot
from homecare.market.selectors.cqc import downgrades_since_last_import
from homecare.market.selectors.discharges import discharges
from homecare.market.selectors.waiting import month_end, waiting
from providers.models import Provider
from visits.models import Visit

pytestmark = pytest.mark.django_db
SMALL = ["--people", "60", "--seed", "7", "--end-month", "2026-10"]


def test_the_demo_market_shows_the_market_oversight(tmp_path: Path) -> None:
    call_command("seed_demo", *SMALL, "--out", str(tmp_path / "demo"), stdout=StringIO())
    end = month_end(Month.parse("2026-10"))
    now = waiting(end)
    assert now.everyone.total.people >= 40
    assert all(now.everyone.bands[band].requests for band in now.everyone.bands)
    market, _ = discharges(Month.parse("2026-09"))
    assert market.requests and 0 < market.within_48h < market.requests
    assert len(downgrades_since_last_import(list(Provider.objects.all()))) == 2
    assert CapacityDeclaration.objects.exists()
    assert RiskEntry.objects.values("provider").distinct().count() == 3
    assert WaitingSnapshot.objects.count() == 53
    assert CareRequest.objects.filter(status="withdrawn").exists()


def test_the_demo_can_hold_thirteen_months_of_visits(tmp_path: Path) -> None:
    out = StringIO()
    call_command(
        "seed_demo", "--people", "20", "--seed", "3", "--end-month", "2026-10", "--months", "13",
        "--out", str(tmp_path / "demo"), stdout=out,
    )  # fmt: skip
    assert "Demo market built for October 2025 to October 2026" in out.getvalue()
    months = {
        day.strftime("%Y-%m")
        for day in Visit.objects.values_list("planned_date", flat=True).distinct()
    }
    assert len(months) == 13
