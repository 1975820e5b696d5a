"""Commissioned, planned, delivered and verified hours per package and week,
flex and banked time, against answers worked by hand."""

from __future__ import annotations

from datetime import date
from fractions import Fraction

import pytest

from common.months import Month
from contracts.imports import import_packages
from contracts.models import CarePackage, PackageHours
from homecare.payments.flex import flex_cases
from homecare.payments.hours import monthly_layers, package_weeks
from homecare.payments.timebank import balances
from tests.payments.scenario import council, load, time_bank, visits

pytestmark = pytest.mark.django_db
OCTOBER = Month.parse("2026-10")


def weeks_of(ref: str, first: date, last: date) -> dict[date, tuple]:
    pk = CarePackage.objects.get(ref=ref).pk
    return {
        week: (layers.commissioned, layers.planned, layers.delivered, layers.verified)
        for week, layers in package_weeks(first, last)[pk].items()
    }


def test_package_starting_and_ending_mid_week():
    # 14 hours a week from Wednesday 7 October to Tuesday 13 October.
    council("C1,P01,F,Lot 1,2024-04-01,,20,planned,,", "K1,R1,P01,C1,2026-10-07,2026-10-13,14")
    visits(
        """
        V1,K1,W1,2026-10-07T09:00:00,2026-10-07T10:00:00,2026-10-07T09:00:00,2026-10-07T09:45:00,completed,ecm,
        V2,K1,W1,2026-10-13T09:00:00,2026-10-13T10:30:00,2026-10-13T09:00:00,2026-10-13T10:30:00,completed,manual,
        """
    )
    assert weeks_of("K1", date(2026, 10, 1), date(2026, 10, 31)) == {
        # Wednesday to Sunday: 5 days of 2 hours.
        date(2026, 10, 5): (Fraction(10), Fraction(1), Fraction(3, 4), Fraction(3, 4)),
        # Monday and Tuesday: 4 hours.
        date(2026, 10, 12): (Fraction(4), Fraction(3, 2), Fraction(3, 2), Fraction(0)),
    }


def test_week_across_the_clock_change_and_across_a_month():
    council("C1,P01,F,Lot 1,2024-04-01,,20,planned,,", "K1,R1,P01,C1,2026-01-01,,7")
    visits(
        """
        V1,K1,W1,2026-10-25T00:30:00,2026-10-25T02:30:00,2026-10-25T00:30:00,2026-10-25T02:30:00,completed,ecm,
        V2,K1,W1,2026-10-31T23:30:00,2026-11-01T00:30:00,2026-10-31T23:30:00,2026-11-01T00:30:00,completed,ecm,
        V3,K1,W1,2026-11-01T09:00:00,2026-11-01T10:00:00,,,missed,,
        """
    )
    weeks = weeks_of("K1", date(2026, 10, 19), date(2026, 11, 1))
    # Monday 19 to Sunday 25 October, whose Sunday has 25 hours: 00:30 BST to
    # 02:30 GMT is 3 hours planned and delivered.
    assert weeks[date(2026, 10, 19)] == (Fraction(7), Fraction(3), Fraction(3), Fraction(3))
    # Monday 26 October to Sunday 1 November: in both months, by its days.
    assert weeks[date(2026, 10, 26)] == (Fraction(7), Fraction(2), Fraction(1), Fraction(1))
    months = monthly_layers([OCTOBER, Month.parse("2026-11")])
    # October: 31 days of an hour a day; V1 and V2 (planned on 31 October).
    assert months["2026-10"].commissioned == 31
    assert months["2026-10"].planned == 4
    assert months["2026-11"].commissioned == 30
    assert months["2026-11"].planned == 1  # the missed visit was still planned
    assert months["2026-11"].delivered == 0


def test_packages_csv_reimport_keeps_dated_hours():
    council("C1,P01,F,Lot 1,2024-04-01,,20,planned,,", "K1,R1,P01,C1,2026-09-01,,10")
    header = (
        "package_ref,person_ref,provider_ref,contract_ref,start_date,planned_weekly_hours,"
        "hours_from"
    )

    load(import_packages, f"{header}\nK1,R1,P01,C1,2026-09-01,14,2026-10-08")
    load(import_packages, f"{header}\nK1,R1,P01,C1,2026-09-01,14,2026-10-08")  # idempotent
    assert list(PackageHours.objects.values_list("effective_from", "weekly_hours")) == [
        (date(2026, 9, 1), 10),
        (date(2026, 10, 8), 14),
    ]
    # Monday 5 to Wednesday 7 October at 10 a week, Thursday to Sunday at 14.
    week = weeks_of("K1", date(2026, 10, 5), date(2026, 10, 11))[date(2026, 10, 5)]
    assert week[0] == Fraction(30, 7) + Fraction(56, 7)


def _weekly_visits(ref: str, weeks: list[tuple[date, int]]) -> str:
    """One visit on the Monday of each week, of the minutes given."""
    rows = []
    for n, (monday, minutes) in enumerate(weeks):
        start = f"{monday}T08:00:00"
        end_minutes = 8 * 60 + minutes
        end = f"{monday}T{end_minutes // 60:02d}:{end_minutes % 60:02d}:00"
        rows.append(f"{ref}-{n},{ref},W1,{start},{end},,,missed,,")
    return "\n".join(rows)


def test_flex_at_exactly_seven_hours_is_within_the_limit():
    council(
        "C1,P01,F,Lot 1,2024-04-01,,20,planned,,",
        "K1,R1,P01,C1,2026-10-05,2026-10-11,1\nK2,R2,P01,C1,2026-10-05,2026-10-11,1",
    )
    # 1 hour commissioned; K1 plans 8 hours (7 over), K2 8 1/2 (7 1/2 over).
    visits(
        _weekly_visits("K1", [(date(2026, 10, 5), 480)])
        + "\n"
        + _weekly_visits("K2", [(date(2026, 10, 5), 510)])
    )
    cases = flex_cases(OCTOBER)
    assert [c.package_ref for c in cases] == ["K2"]
    assert cases[0].reasons == ["more than 7 hours in a week"]
    assert [w.week for w in cases[0].weeks if w.over_hours] == [date(2026, 10, 5)]


@pytest.mark.parametrize(("weeks", "listed"), [(6, False), (7, True)])
def test_flex_six_weeks_running_is_within_the_limit_seven_is_not(weeks, listed):
    # 7 hours a week commissioned for 7 weeks from Monday 31 August; each
    # week plans 8 hours for the first `weeks` weeks, then exactly 7.
    council("C1,P01,F,Lot 1,2024-04-01,,20,planned,,", "K1,R1,P01,C1,2026-08-31,2026-10-18,7")
    mondays = [date.fromordinal(date(2026, 8, 31).toordinal() + 7 * i) for i in range(7)]
    plan = [(m, 480 if i < weeks else 420) for i, m in enumerate(mondays)]
    visits(_weekly_visits("K1", plan))
    cases = flex_cases(OCTOBER)
    assert bool(cases) is listed
    if listed:
        assert cases[0].reasons == ["different for more than 6 weeks running"]
        assert sum(w.in_long_run for w in cases[0].weeks) == 7


def test_banked_time_used_on_day_28_is_in_time_on_day_29_expired():
    council(
        "C1,P01,F,Lot 1,2024-04-01,,20,planned,,",
        "K1,R1,P01,C1,2026-09-01,,7\nK2,R2,P01,C1,2026-09-01,,7",
    )
    time_bank(
        """
        K1,2026-10-01,60,deferred for a hospital appointment
        K1,2026-10-29,-60,used on day 28
        K2,2026-10-01,60,deferred
        K2,2026-10-30,-60,used on day 29
        """
    )
    found = {b.package_ref: b for b in balances(as_of=date(2026, 11, 30))}
    assert (found["K1"].expired, found["K1"].available, found["K1"].overdrawn) == (0, 0, 0)
    assert (found["K2"].expired, found["K2"].available, found["K2"].overdrawn) == (60, 0, 60)
    assert [(e.deferred_on, e.expired_on) for e in found["K2"].expiries] == [
        (date(2026, 10, 1), date(2026, 10, 30))
    ]
    # Before day 29 nothing has expired yet, and the hour is there to use.
    early = {b.package_ref: b for b in balances(as_of=date(2026, 10, 20))}
    assert (early["K2"].expired, early["K2"].available) == (0, 60)
