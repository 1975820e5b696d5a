"""The care package review figures of kpi-definitions.md at their boundaries."""

from __future__ import annotations

import datetime as dt

import pytest

from homecare.kpis.models import MonthlyKpi
from tests.factories import (
    CarePackageFactory,
    ContractFactory,
    PackageReviewFactory,
    ProviderFactory,
)
from tests.kpis.engine_helpers import figures

pytestmark = pytest.mark.django_db


# --- reviews --------------------------------------------------------------------------


@pytest.fixture
def provider():
    provider = ProviderFactory(ref="P01")
    ContractFactory(provider=provider)
    return provider


def reviewed(provider, start: dt.date, *reviews: dt.date, end: dt.date | None = None):
    made = CarePackageFactory(provider=provider, start_date=start, end_date=end)
    for when in reviews:
        PackageReviewFactory(package=made, review_date=when)
    return made


def test_six_week_review_on_the_due_date_is_on_time_a_day_late_is_not(provider):
    start = dt.date(2026, 9, 1)  # due 13 October
    reviewed(provider, start, dt.date(2026, 10, 13))
    reviewed(provider, start, dt.date(2026, 10, 14))
    reviewed(provider, start, dt.date(2026, 8, 31))  # before the package: does not count
    reviewed(provider, start)
    reviewed(provider, start, end=dt.date(2026, 10, 12))  # ended before it was due
    got = figures()
    assert got["reviews_due"] == 4
    assert got["reviews_on_time"] == 1
    # At month end: the one reviewed on the 14th is no longer overdue.
    assert got["six_week_reviews_overdue"] == 2
    details = MonthlyKpi.objects.get(provider=provider).details
    assert [row["reviewed_on_time"] for row in details["reviews_due"]] == [
        True,
        False,
        False,
        False,
    ]
    assert {row["due_date"] for row in details["reviews_due"]} == {"2026-10-13"}


def test_review_due_on_the_first_and_last_day_of_the_month(provider):
    reviewed(provider, dt.date(2026, 10, 1) - dt.timedelta(days=42))
    reviewed(provider, dt.date(2026, 10, 31) - dt.timedelta(days=42))
    reviewed(provider, dt.date(2026, 11, 1) - dt.timedelta(days=42))
    got = figures()
    assert got["reviews_due"] == 2
    assert got["six_week_reviews_overdue"] == 2  # due on or before 31 October


def test_six_week_overdue_only_for_packages_active_at_month_end(provider):
    reviewed(provider, dt.date(2026, 6, 1), end=dt.date(2026, 10, 31))  # ends that day
    reviewed(provider, dt.date(2026, 6, 1), end=dt.date(2026, 11, 1))
    reviewed(provider, dt.date(2026, 11, 1))  # not started
    assert figures()["six_week_reviews_overdue"] == 1


def test_annual_review_365_days_is_not_overdue_366_is(provider):
    month_end = dt.date(2026, 10, 31)
    start = dt.date(2025, 1, 1)
    reviewed(provider, start, month_end - dt.timedelta(days=365))
    late = reviewed(provider, start, month_end - dt.timedelta(days=366))
    reviewed(provider, start, month_end - dt.timedelta(days=400), dt.date(2026, 3, 1))
    reviewed(provider, start, dt.date(2026, 11, 2))  # after month end: not counted
    got = figures()
    assert got["annual_reviews_overdue"] == 1
    listed = MonthlyKpi.objects.get(provider=provider).details["annual_reviews_overdue"]
    assert listed == [
        {
            "package_id": late.pk,
            "package_ref": late.ref,
            "person_ref": late.person.ref,
            "last_review_date": (month_end - dt.timedelta(days=366)).isoformat(),
        }
    ]
    assert got["six_week_reviews_overdue"] == 1  # the one whose only review is after it
