"""The visit figures of kpi-definitions.md at their boundaries: timeliness,
the nights the clocks change, duration, call monitoring and continuity."""

from __future__ import annotations

import datetime as dt

import pytest

from homecare.kpis.models import MonthlyKpi
from tests.factories import (
    CarePackageFactory,
    PersonFactory,
)
from tests.kpi_factories import import_visits_csv, london, visit
from tests.kpis.engine_helpers import day, figures

pytestmark = pytest.mark.django_db


# --- timeliness ---------------------------------------------------------------------


def test_exactly_30_minutes_late_is_on_time_and_a_second_more_is_late(package):
    visit(package, day(1), late=dt.timedelta(minutes=30))
    visit(package, day(2), late=dt.timedelta(minutes=30, seconds=1))
    got = figures()
    assert got["delivered_visits"] == 2
    assert got["late_visits"] == 1
    assert got["late_visit_rate"] == 0.5
    assert got["missed_visits"] == 0


def test_over_an_hour_late_is_both_late_and_missed(package):
    visit(package, day(1), late=dt.timedelta(minutes=60))
    visit(package, day(2), late=dt.timedelta(minutes=60, seconds=1))
    got = figures()
    assert got["late_visits"] == 2
    assert got["missed_visits"] == 1
    assert got["missed_visit_rate"] == 0.5


def test_cancelled_counts_nowhere_and_missed_counts_as_scheduled(package):
    visit(package, day(1))
    visit(package, day(2), status="missed")
    visit(package, day(3), status="cancelled", minutes=120)
    got = figures()
    assert got["scheduled_visits"] == 2
    assert got["delivered_visits"] == 1
    assert got["missed_visits"] == 1
    assert got["missed_visit_rate"] == 0.5
    assert got["late_visit_rate"] == 0.0
    assert got["planned_hours"] == 1.0
    assert got["delivered_hours"] == 0.5
    assert got["people_supported"] == 1


def test_rates_round_to_four_places(package):
    for n in range(1, 4):
        visit(package, day(n), late=dt.timedelta(minutes=45) if n == 1 else dt.timedelta(0))
    got = figures()
    assert got["late_visit_rate"] == 0.3333
    assert got["ecm_verified_rate"] == 1.0


def test_exactly_ten_percent_late_is_not_over_and_just_over_is(package):
    for n in range(1, 11):  # 1 late of 10
        visit(package, day(n), late=dt.timedelta(minutes=31) if n == 1 else dt.timedelta(0))
    other = CarePackageFactory(
        provider=package.provider,
        contract=package.contract,
        person=PersonFactory(lives_alone=True, lacks_capacity=True),
    )
    for n in range(1, 10):  # 1 late of 9
        visit(other, day(n, 9), late=dt.timedelta(minutes=31) if n == 1 else dt.timedelta(0))
    got = figures()
    assert got["people_late_over_10pct"] == 1
    assert got["people_late_over_10pct_living_alone"] == 1
    assert got["people_late_over_10pct_lacking_capacity"] == 1
    details = MonthlyKpi.objects.get(provider=package.provider).details
    assert details["people_late_over_10pct"] == [
        {
            "person_id": other.person_id,
            "person_ref": other.person.ref,
            "late_visits": 1,
            "delivered_visits": 9,
            "late_share": 0.1111,
            "lives_alone": True,
            "lacks_capacity": True,
        }
    ]


def test_missed_visits_do_not_count_towards_a_persons_late_share(package):
    visit(package, day(1), late=dt.timedelta(minutes=31))
    for n in range(2, 11):
        visit(package, day(n))
    visit(package, day(11), status="missed")
    assert figures()["people_late_over_10pct"] == 0


def test_a_visit_at_2330_on_the_last_day_belongs_to_that_month(package):
    visit(package, london(2026, 10, 31, 23, 30), minutes=60)  # ends in November
    visit(package, london(2026, 11, 1, 0, 15))
    assert figures()["scheduled_visits"] == 1
    assert figures(month="2026-11")["scheduled_visits"] == 1


def test_a_visit_just_after_midnight_bst_belongs_to_the_local_month(package):
    # 00:30 BST on 1 October is 23:30 UTC on 30 September.
    visit(package, london(2026, 10, 1, 0, 30))
    assert figures()["scheduled_visits"] == 1
    assert figures(month="2026-09")["scheduled_visits"] == 0


# --- the nights the clocks change, through the real import -----------------------------

VISITS_HEADER = (
    "visit_id,package_ref,carer_ref,planned_start,planned_end,actual_start,actual_end,"
    "status,verification\n"
)


def test_the_repeated_hour_when_the_clocks_go_back(package):
    ref = package.ref
    import_visits_csv(
        VISITS_HEADER
        # 01:30 naive is the first (BST) 01:30, 00:30 UTC; the carer arrived at
        # 01:10 GMT, 40 real minutes later: late, though the wall clock says early.
        + f"A1,{ref},C1,2026-10-25T01:30:00,2026-10-25T01:50:00,"
        "2026-10-25T01:10:00+00:00,2026-10-25T01:30:00+00:00,completed,ecm\n"
        # 00:45 BST to 02:15 GMT spans the change: 2.5 hours really, 1.5 on the clock.
         + f"A2,{ref},C1,2026-10-25T00:45:00,2026-10-25T02:15:00,"
        "2026-10-25T00:45:00,2026-10-25T02:15:00,completed,ecm\n"
    )
    got = figures()
    assert got["late_visits"] == 1
    assert got["missed_visits"] == 0
    assert got["planned_hours"] == round((20 + 150) / 60, 2)
    assert got["delivered_hours"] == round((20 + 150) / 60, 2)
    assert got["short_visits"] == 0


def test_the_night_the_clocks_go_forward(package):
    ref = package.ref
    import_visits_csv(
        VISITS_HEADER
        # 00:30 GMT to 03:30 BST is two real hours.
        + f"F1,{ref},C1,2026-03-29T00:30:00,2026-03-29T03:30:00,"
        "2026-03-29T00:30:00,2026-03-29T03:00:00,completed,ecm\n"
    )
    got = figures(month="2026-03")
    assert got["planned_hours"] == 2.0
    assert got["delivered_hours"] == 1.5
    assert got["short_visits"] == 0  # 1.5 of 2 hours is exactly 0.75


def test_a_double_handed_visit_starts_when_the_last_carer_arrives(package):
    ref = package.ref
    import_visits_csv(
        VISITS_HEADER + f"D1,{ref},C1,2026-10-05T07:00:00,2026-10-05T08:00:00,"
        "2026-10-05T07:00:00,2026-10-05T08:00:00,completed,ecm\n"
        + f"D1,{ref},C2,2026-10-05T07:00:00,2026-10-05T08:00:00,"
        "2026-10-05T07:31:00,2026-10-05T08:01:00,completed,manual\n"
    )
    got = figures()
    assert got["delivered_visits"] == 1
    assert got["late_visits"] == 1
    assert got["mean_carers_per_person"] == 2.0
    assert got["ecm_verified_rate"] == 0.0
    assert got["delivered_hours"] == 0.5  # 07:31 to 08:01


# --- duration -------------------------------------------------------------------------


def test_short_visit_boundary(package):
    visit(package, day(1), minutes=40, actual_minutes=30)  # exactly 0.75: not short
    visit(package, day(2), minutes=40, actual_minutes=29.99)
    visit(package, day(3), status="missed", minutes=40)
    assert figures()["short_visits"] == 1


def test_visits_under_30_and_of_15_minutes_or_less(package):
    visit(package, day(1), minutes=30)
    visit(package, day(2), minutes=29)
    visit(package, day(3), minutes=15)
    visit(package, day(4), minutes=14, status="missed")
    visit(package, day(5), minutes=10, status="cancelled")
    got = figures()
    assert got["visits_under_30_min"] == 3
    assert got["visits_15_min_or_less"] == 2


def test_ecm_verified_rate_is_of_delivered_visits(package):
    visit(package, day(1))
    visit(package, day(2), ecm=False)
    visit(package, day(3), ecm=False)
    visit(package, day(4), status="missed")
    assert figures()["ecm_verified_rate"] == 0.3333


# --- continuity -----------------------------------------------------------------------


def test_carer_limit_grows_with_visits(package):
    # 10 visits, 5 carers: limit max(4, 1) = 4, over.
    for n in range(1, 11):
        visit(package, day(n), carers=(f"C{n % 5}",))
    # 41 visits, 5 carers: limit max(4, ceil(4.1)) = 5, not over.
    second = CarePackageFactory(provider=package.provider, contract=package.contract)
    for n in range(41):
        visit(second, london(2026, 10, 1 + n % 28, 8 + n // 28), carers=(f"C{n % 5}",))
    # 41 visits, 6 carers: over.
    third = CarePackageFactory(provider=package.provider, contract=package.contract)
    for n in range(41):
        visit(third, london(2026, 10, 1 + n % 28, 12 + n // 28), carers=(f"C{n % 6}",))
    got = figures()
    assert got["people_over_carer_limit"] == 2
    assert got["mean_carers_per_person"] == round((5 + 5 + 6) / 3, 2)
    listed = MonthlyKpi.objects.get(provider=package.provider).details["people_over_carer_limit"]
    assert sorted((p["carers"], p["limit"]) for p in listed) == [(5, 4), (6, 5)]


def test_carers_of_missed_visits_do_not_count(package):
    visit(package, day(1), carers=("C1",))
    visit(package, day(2), status="missed")
    assert figures()["mean_carers_per_person"] == 1.0
