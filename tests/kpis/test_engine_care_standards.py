"""The care-standards figures of kpi-definitions.md (issue 15) at their
boundaries, with the answers worked by hand: time-critical windows, a care
worker known to the person (NICE NG21), missed visits of the most vulnerable."""

from __future__ import annotations

import datetime as dt

import pytest

from homecare.kpis.models import KpiThresholds, MonthlyKpi
from tests.factories import CarePackageFactory, PersonFactory
from tests.kpi_factories import london, visit
from tests.kpis.engine_helpers import day, figures, market

pytestmark = pytest.mark.django_db

MINUTE = dt.timedelta(minutes=1)


def another(package, **person):
    """Another package of the same provider and contract, for another person."""
    return CarePackageFactory(
        provider=package.provider, contract=package.contract, person=PersonFactory(**person)
    )


# --- time-critical visits ---------------------------------------------------------


def _window_visits(package):
    visit(package, day(1), late=-30 * MINUTE, time_critical=True)  # exactly 30 early: within
    visit(package, day(2), late=-31 * MINUTE, time_critical=True)  # 31 early: outside
    visit(package, day(3), late=31 * MINUTE, time_critical=True)  # 31 late: outside
    visit(package, day(4), late=30 * MINUTE, time_critical=True)  # exactly 30 late: within
    visit(package, day(5), status="missed", time_critical=True)  # missed: outside
    visit(package, day(6), late=45 * MINUTE)  # not time-critical: counts nowhere here


def test_time_critical_window_is_30_minutes_either_side(package):
    _window_visits(package)
    got = figures()
    assert got["time_critical_visits"] == 5
    assert got["time_critical_outside_window"] == 3
    assert got["time_critical_outside_rate"] == 0.6
    assert market()["time_critical_outside_window"] == 3


def test_time_critical_window_is_set_per_contract(package):
    _window_visits(package)
    KpiThresholds.objects.create(contract=package.contract, time_critical_window_minutes=31)
    got = figures()
    # 31 minutes early or late is now within; the missed visit is still outside.
    assert got["time_critical_outside_window"] == 1
    assert got["time_critical_outside_rate"] == 0.2


def test_a_visit_is_time_critical_through_its_package(package):
    critical = another(package, ref="R-TC")
    critical.time_critical = True
    critical.save()
    visit(critical, day(1), late=40 * MINUTE)  # the visit itself says no; its package says yes
    visit(critical, day(2))
    visit(package, day(1), late=40 * MINUTE)  # neither visit nor package: not time-critical
    got = figures()
    assert got["time_critical_visits"] == 2
    assert got["time_critical_outside_window"] == 1
    assert got["time_critical_outside_rate"] == 0.5
    details = MonthlyKpi.objects.get(provider=package.provider).details
    assert [
        (p["person_ref"], p["outside_window"], p["time_critical_visits"])
        for p in details["time_critical_outside_window"]
    ] == [("R-TC", 1, 2)]


def test_no_time_critical_visits_gives_no_rate(package):
    visit(package, day(1))
    got = figures()
    assert got["time_critical_visits"] == 0
    assert got["time_critical_outside_rate"] is None
    assert got["visits_under_30_min_known_carer_rate"] is None


# --- a care worker known to the person (NICE NG21) ----------------------------------


def test_known_carer_looks_back_28_days_across_the_month_start(package):
    # 20 October; a visit by C1 on 22 September (28 days before) makes C1 known,
    # one on 21 September (29 days before) does not.
    known = another(package)
    visit(known, london(2026, 9, 22, 9, 0), minutes=60, carers=("C1",))
    visit(known, day(20, 12), minutes=20, carers=("C1",))
    unknown = another(package)
    visit(unknown, london(2026, 9, 21, 9, 0), minutes=60, carers=("C1",))
    visit(unknown, day(20, 12), minutes=20, carers=("C1",))
    got = figures()
    assert got["visits_under_30_min_delivered"] == 2
    assert got["visits_under_30_min_known_carer"] == 1
    assert got["visits_under_30_min_known_carer_rate"] == 0.5


def test_known_carer_on_the_same_day_only_from_an_earlier_visit(package):
    # Seen at 08:00 the same day: known at 12:00.
    earlier = another(package)
    visit(earlier, day(10, 8), minutes=60, carers=("C1",))
    visit(earlier, day(10, 12), minutes=20, carers=("C1",))
    # Seen only later the same day: not known at 08:00.
    later = another(package)
    visit(later, day(10, 8), minutes=20, carers=("C1",))
    visit(later, day(10, 12), minutes=60, carers=("C1",))
    got = figures()
    assert got["visits_under_30_min_delivered"] == 2
    assert got["visits_under_30_min_known_carer"] == 1


def test_known_carer_needs_the_same_worker_a_delivered_visit_and_one_is_enough(package):
    other_worker = another(package)
    visit(other_worker, day(3), minutes=60, carers=("C2",))
    visit(other_worker, day(4), minutes=15, carers=("C1",))  # C1 never seen before
    missed_before = another(package)
    visit(missed_before, day(3), status="missed")
    visit(missed_before, day(4), minutes=15, carers=("C1",))
    double_handed = another(package)
    visit(double_handed, day(3), minutes=60, carers=("C3",))
    visit(double_handed, day(4), minutes=25, carers=("C1", "C3"))  # C3 known: enough
    visit(double_handed, day(5), minutes=30, carers=("C3",))  # 30 minutes: not under 30
    visit(double_handed, day(6), minutes=25, status="missed")  # not delivered
    got = figures()
    assert got["visits_under_30_min_delivered"] == 3
    assert got["visits_under_30_min_known_carer"] == 1
    assert got["visits_under_30_min_known_carer_rate"] == 0.3333


def test_known_carer_days_are_set_per_contract(package):
    known = another(package)
    visit(known, day(1), minutes=60, carers=("C1",))
    visit(known, day(21), minutes=20, carers=("C1",))  # 20 days after
    assert figures()["visits_under_30_min_known_carer"] == 1
    KpiThresholds.objects.create(contract=package.contract, known_carer_days=19)
    assert figures()["visits_under_30_min_known_carer"] == 0


# --- missed visits for the most vulnerable ----------------------------------------------


def test_missed_visits_of_people_living_alone_lacking_capacity_and_both(package):
    alone = another(package, lives_alone=True, lacks_capacity=None)
    no_capacity = another(package, lives_alone=False, lacks_capacity=True)
    both = another(package, lives_alone=True, lacks_capacity=True)
    blank = another(package, lives_alone=None, lacks_capacity=None)
    visit(alone, day(1), status="missed")
    visit(no_capacity, day(1), status="missed")
    visit(both, day(1), status="missed")
    visit(both, day(2), late=61 * MINUTE)  # over an hour late: missed, as under Timeliness
    visit(both, day(3), late=59 * MINUTE)  # late, not missed
    visit(blank, day(1), status="missed")  # blank flags are not true
    got = figures()
    assert got["missed_visits"] == 5
    assert got["missed_visits_living_alone"] == 3
    assert got["missed_visits_lacking_capacity"] == 3
    assert got["missed_visits_living_alone_lacking_capacity"] == 2
    assert market()["missed_visits_living_alone_lacking_capacity"] == 2
