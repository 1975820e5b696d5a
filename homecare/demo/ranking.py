"""The demo's provider ranking (issue 15): two cycles, six months apart, so
the ranking pages show a current ranking and a past one, and open requests
list the providers to offer them to."""

from __future__ import annotations

import datetime as dt

from homecare.ranking.services import add_months, compute_cycle


def seed(now: dt.datetime) -> None:
    """Rank as of six months ago, then as of today (after the KPIs are
    computed, so the KPI part has ratings to read)."""
    today = now.date()
    compute_cycle(add_months(today, -6))
    compute_cycle(today)
