"""The payment schedule against answers worked by hand from
shared/specs/payment-definitions.md."""

from __future__ import annotations

from decimal import Decimal

import pytest

from common.months import Month
from homecare.payments.selectors import export_json, payment_schedule
from tests.payments.scenario import council, rates, visits

pytestmark = pytest.mark.django_db
OCTOBER = Month.parse("2026-10")


def lines(month: Month = OCTOBER) -> dict[str, tuple[Decimal, Decimal, int]]:
    """package ref: (payable hours, amount, exceptions)."""
    return {
        line.package_ref: (line.payable_hours, line.amount, line.exceptions)
        for schedule in payment_schedule(month)
        for line in schedule.packages
    }


def test_rate_change_in_the_middle_of_the_month():
    council(
        "C1,P01,F,Lot 1,2024-04-01,,20.00,planned,,",
        "K1,R1,P01,C1,2026-09-01,,10",
    )
    rates("C1,2026-10-15,24.00\nC1,2026-11-01,30.00")
    visits(
        """
        V1,K1,W1,2026-10-14T09:00:00,2026-10-14T10:00:00,2026-10-14T09:05:00,2026-10-14T09:50:00,completed,ecm,
        V2,K1,W1,2026-10-15T09:00:00,2026-10-15T10:00:00,2026-10-15T09:00:00,2026-10-15T10:00:00,completed,ecm,
        V3,K1,W1,2026-10-31T23:30:00,2026-11-01T00:30:00,2026-10-31T23:30:00,2026-11-01T00:30:00,completed,ecm,
        """
    )
    # 14th at the contract's 20.00, 15th at 24.00, the 31st (starting on the
    # 31st, London time) still at 24.00: 20 + 24 + 24.
    assert lines() == {"K1": (Decimal("3.00"), Decimal("68.00"), 0)}


def test_week_across_the_clock_change_pays_real_hours():
    council("C1,P01,F,Lot 1,2024-04-01,,20.00,planned,,", "K1,R1,P01,C1,2026-01-01,,10")
    visits(
        """
        V1,K1,W1,2026-10-25T00:30:00,2026-10-25T02:30:00,2026-10-25T00:30:00,2026-10-25T02:30:00,completed,ecm,
        V2,K1,W1,2026-03-29T00:30:00,2026-03-29T03:30:00,2026-03-29T00:30:00,2026-03-29T03:30:00,completed,ecm,
        """
    )
    # 25 October is a 25-hour day: 00:30 BST to 02:30 GMT is three hours.
    assert lines() == {"K1": (Decimal("3.00"), Decimal("60.00"), 0)}
    # 29 March is a 23-hour day: 00:30 GMT to 03:30 BST is two hours.
    assert lines(Month.parse("2026-03")) == {"K1": (Decimal("2.00"), Decimal("40.00"), 0)}


def test_double_handed_visit_pays_both_workers():
    council(
        """
        C1,P01,F,Lot 1,2024-04-01,,20.00,planned,,
        C2,P02,F,Lot 1,2024-04-01,,20.00,verified,,
        """,
        "K1,R1,P01,C1,2026-01-01,,10\nK2,R2,P02,C2,2026-01-01,,10",
    )
    visits(
        """
        V1,K1,W1,2026-10-05T09:00:00,2026-10-05T09:30:00,2026-10-05T09:00:00,2026-10-05T09:40:00,completed,ecm,
        V1,K1,W2,2026-10-05T09:00:00,2026-10-05T09:30:00,2026-10-05T09:10:00,2026-10-05T09:30:00,completed,ecm,
        V2,K2,W3,2026-10-05T09:00:00,2026-10-05T09:30:00,2026-10-05T09:00:00,2026-10-05T09:40:00,completed,ecm,
        V2,K2,W4,2026-10-05T09:00:00,2026-10-05T09:30:00,2026-10-05T09:10:00,2026-10-05T09:30:00,completed,ecm,
        """
    )
    # Planned basis: 30 planned minutes x 2 workers = 1 hour.
    # Verified basis: W3's 40 minutes capped at 30, plus W4's 20 = 50 minutes.
    assert lines() == {
        "K1": (Decimal("1.00"), Decimal("20.00"), 0),
        "K2": (Decimal("0.83"), Decimal("16.67"), 0),
    }


@pytest.mark.parametrize("basis", ["planned", "verified"])
def test_missed_and_cancelled_visits_on_each_basis(basis):
    council(f"C1,P01,F,Lot 1,2024-04-01,,20.00,{basis},,24", "K1,R1,P01,C1,2026-01-01,,10")
    visits(
        """
        V1,K1,W1,2026-10-05T09:00:00,2026-10-05T10:00:00,,,missed,,
        V2,K1,W1,2026-10-06T09:00:00,2026-10-06T10:00:00,,,cancelled,,2026-10-06T07:00:00
        V2,K1,W2,2026-10-06T09:00:00,2026-10-06T10:00:00,,,cancelled,,2026-10-06T07:00:00
        V3,K1,W1,2026-10-07T09:00:00,2026-10-07T10:00:00,,,cancelled,,2026-10-05T09:00:00
        V4,K1,W1,2026-10-08T09:00:00,2026-10-08T09:30:00,,,cancelled,,2026-10-07T09:00:01
        """
    )
    # Missed: nothing. V2 called off 2 hours before, for two workers: 2 hours.
    # V3 two days before: nothing. V4 a second under 24 hours before: 30 minutes.
    assert lines() == {"K1": (Decimal("2.50"), Decimal("50.00"), 0)}


def test_verified_basis_pays_nothing_for_an_unverified_visit_and_lists_it():
    council(
        """
        C1,P01,F,Lot 1,2024-04-01,,20.00,planned,,
        C2,P02,F,Lot 1,2024-04-01,,20.00,verified,,
        """,
        "K1,R1,P01,C1,2026-01-01,,10\nK2,R2,P02,C2,2026-01-01,,10",
    )
    visits(
        """
        V1,K1,W1,2026-10-05T09:00:00,2026-10-05T10:00:00,2026-10-05T09:00:00,2026-10-05T10:00:00,completed,manual,
        V2,K2,W2,2026-10-05T09:00:00,2026-10-05T10:00:00,2026-10-05T09:00:00,2026-10-05T10:00:00,completed,manual,
        """
    )
    assert lines() == {
        "K1": (Decimal("1.00"), Decimal("20.00"), 0),
        "K2": (Decimal("0.00"), Decimal("0.00"), 1),
    }
    document = export_json(OCTOBER)
    assert document["providers"][1] == {
        "provider_ref": "P02",
        "payable_hours": 0.0,
        "amount": "0.00",
        "exceptions": 1,
        "packages": [{"package_ref": "K2", "payable_hours": 0.0, "amount": "0.00"}],
    }


def test_rounding_to_the_penny_once_on_the_line():
    council(
        """
        C1,P01,F,Lot 1,2024-04-01,,22.96,planned,,
        C2,P02,F,Lot 1,2024-04-01,,22.97,planned,,
        """,
        "K1,R1,P01,C1,2026-01-01,,10\nK2,R2,P02,C2,2026-01-01,,10",
    )
    visits(
        """
        V1,K1,W1,2026-10-05T09:00:00,2026-10-05T09:20:00,2026-10-05T09:00:00,2026-10-05T09:20:00,completed,ecm,
        V2,K1,W1,2026-10-06T09:00:00,2026-10-06T09:20:00,2026-10-06T09:00:00,2026-10-06T09:20:00,completed,ecm,
        V3,K1,W1,2026-10-07T09:00:00,2026-10-07T09:20:00,2026-10-07T09:00:00,2026-10-07T09:20:00,completed,ecm,
        V4,K2,W2,2026-10-05T09:00:00,2026-10-05T09:30:00,2026-10-05T09:00:00,2026-10-05T09:30:00,completed,ecm,
        """
    )
    # Three 20-minute visits at 22.96 are 7.6533... each; rounded once on the
    # line they are 22.96, not 3 x 7.65 = 22.95. Half an hour at 22.97 is
    # 11.485: halves go up, to 11.49.
    assert lines() == {
        "K1": (Decimal("1.00"), Decimal("22.96"), 0),
        "K2": (Decimal("0.50"), Decimal("11.49"), 0),
    }


def test_rounding_minutes_on_the_verified_basis():
    council("C1,P01,F,Lot 1,2024-04-01,,60.00,verified,15,", "K1,R1,P01,C1,2026-01-01,,10")
    visits(
        """
        V1,K1,W1,2026-10-05T09:00:00,2026-10-05T10:00:00,2026-10-05T09:00:00,2026-10-05T09:22:30,completed,ecm,
        V2,K1,W1,2026-10-06T09:00:00,2026-10-06T10:00:00,2026-10-06T09:00:00,2026-10-06T09:22:29,completed,ecm,
        """
    )
    # 22 1/2 minutes is halfway between 15 and 30: up to 30. 22:29 is nearer 15.
    assert lines() == {"K1": (Decimal("0.75"), Decimal("45.00"), 0)}


def test_packages_with_nothing_payable_are_left_out_of_the_export():
    council("C1,P01,F,Lot 1,2024-04-01,,20.00,planned,,", "K1,R1,P01,C1,2026-01-01,,10")
    visits("V1,K1,W1,2026-10-05T09:00:00,2026-10-05T10:00:00,,,missed,,")
    assert export_json(OCTOBER) == {
        "month": "2026-10",
        "providers": [
            {"provider_ref": "P01", "payable_hours": 0.0, "amount": "0.00", "exceptions": 0,
             "packages": []}
        ],
    }  # fmt: skip


def test_a_package_without_a_contract_is_paid_planned_hours_with_no_rate():
    council("C1,P01,F,Lot 1,2024-04-01,,20.00,planned,,", "K1,R1,P01,,2026-01-01,,10")
    visits(
        "V1,K1,W1,2026-10-05T09:00:00,2026-10-05T10:00:00,"
        "2026-10-05T09:00:00,2026-10-05T10:00:00,completed,manual,"
    )
    [schedule] = payment_schedule(OCTOBER)
    [line] = schedule.packages
    assert (line.payable_hours, line.amount, line.exceptions, line.no_rate) == (
        Decimal("1.00"),
        Decimal("0.00"),
        0,
        1,
    )
