"""The demo's monthly returns: most on time, some late, one missing, and no
API token printed."""

from __future__ import annotations

import datetime as dt
from io import StringIO
from pathlib import Path

import pytest
from django.core.management import call_command
from django.utils import timezone

from common.months import Month
from homecare.api.models import ApiToken
from homecare.returns.due import LATE, MISSING, ON_TIME
from homecare.returns.models import ProviderReturn
from homecare.returns.selectors import month_tracker
from tests.demo.test_build import SMALL


@pytest.fixture
def seeded(db, tmp_path: Path) -> str:
    out = StringIO()
    call_command("seed_demo", *SMALL, "--out", str(tmp_path / "demo"), stdout=out)
    logins = StringIO()
    call_command("demo_logins", stdout=logins)
    return out.getvalue() + logins.getvalue()


def test_demo_returns_on_time_late_and_one_missing(seeded: str) -> None:
    today = timezone.localdate()
    september = Month.parse("2026-09")  # the month before the demo's last (2026-10)
    states = [row.provider_return.state for row in month_tracker(september, today)]
    assert states.count(MISSING) == 1
    assert states.count(LATE) >= 1
    assert states.count(ON_TIME) >= len(states) / 2
    august = [row.provider_return.state for row in month_tracker(Month.parse("2026-08"), today)]
    assert MISSING not in august
    # The providers' ECM files of the earlier months: mostly on time, two late.
    ecm = [row.ecm.state for row in month_tracker(september, today)]
    assert ecm.count(LATE) == 2 and ecm.count(ON_TIME) == len(ecm) - 2
    # Every submitted return has its history and the figures the pages rate.
    submitted = ProviderReturn.objects.exclude(first_submitted_at=None)
    assert all(r.events.filter(action="submitted").exists() for r in submitted)
    assert all(r.care_workers_headcount and r.lowest_hourly_pay for r in submitted)
    assert (
        submitted.filter(month=dt.date(2026, 10, 1)).count()
        <= submitted.filter(month=dt.date(2026, 8, 1)).count()
    )


def test_demo_token_is_never_printed(seeded: str) -> None:
    token = ApiToken.objects.get()
    assert token.provider.users.filter(user__username="provider").exists()
    assert "hc_" not in seeded
    assert token.prefix not in seeded
