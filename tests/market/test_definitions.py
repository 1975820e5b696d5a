"""The definitions of market-definitions.md at their edges."""

from __future__ import annotations

import datetime as dt

import pytest

from common.months import Month
from homecare.market.selectors.concentration import concentration
from homecare.market.selectors.discharges import discharges
from homecare.market.selectors.waiting import waiting
from tests.factories import CarePackageFactory, ContractFactory, LotFactory, VisitFactory
from tests.market.factories import CareRequestFactory

pytestmark = pytest.mark.django_db
T = dt.datetime(2026, 11, 2, 0, 0, tzinfo=dt.UTC)  # a Monday 00:00 in London (GMT)
H = dt.timedelta(hours=1)


@pytest.mark.parametrize(
    ("wait", "band"),
    [
        (dt.timedelta(seconds=1), "under_48h"),
        (48 * H - dt.timedelta(seconds=1), "under_48h"),
        (48 * H, "48h_to_7d"),
        (dt.timedelta(days=7) - dt.timedelta(seconds=1), "48h_to_7d"),
        (dt.timedelta(days=7), "7d_to_28d"),
        (dt.timedelta(days=28) - dt.timedelta(seconds=1), "7d_to_28d"),
        (dt.timedelta(days=28), "28d_and_over"),
        (dt.timedelta(days=400), "28d_and_over"),
    ],
)
def test_each_band_includes_its_lower_edge_and_not_its_upper(wait, band):
    CareRequestFactory(requested_at=T - wait, weekly_hours=5)
    found = waiting(T)
    assert {key: cell.requests for key, cell in found.everyone.bands.items()} == {
        key: int(key == band) for key in found.everyone.bands
    }
    assert found.everyone.bands[band].hours == 5


def test_waiting_means_requested_before_and_not_placed_or_withdrawn_before():
    CareRequestFactory(ref="AT", requested_at=T)  # requested at T: not yet waiting
    CareRequestFactory(ref="PLACED-AT-T", requested_at=T - H, status="placed", placed_at=T)
    CareRequestFactory(ref="PLACED", requested_at=T - 2 * H, status="placed", placed_at=T - H)
    CareRequestFactory(ref="WITHDRAWN-AT-T", requested_at=T - H, status="withdrawn", withdrawn_at=T)
    CareRequestFactory(
        ref="WITHDRAWN", requested_at=T - 2 * H, status="withdrawn", withdrawn_at=T - H
    )
    found = waiting(T)
    assert found.everyone.total.requests == 2  # the two that left exactly at T
    assert found.median_wait_hours == 1.0


def _discharge(requested_at: dt.datetime, started_after: dt.timedelta | None) -> None:
    package = CarePackageFactory()
    CareRequestFactory(source="hospital", requested_at=requested_at, package=package)
    if started_after is not None:
        start = requested_at + started_after
        VisitFactory(package=package, planned_start=start)
        # A later visit does not move the start; a missed earlier one does not count.
        VisitFactory(package=package, planned_start=start + 24 * H)
        VisitFactory(
            package=package,
            planned_start=requested_at + H,
            status="missed",
            actual_start=None,
            actual_end=None,
        )


@pytest.mark.parametrize(
    ("started_after", "within"),
    [
        (48 * H, 1),
        (48 * H + dt.timedelta(minutes=1), 0),
        (dt.timedelta(hours=3), 1),
        (None, 0),
    ],
)
def test_a_discharge_is_within_48_hours_up_to_exactly_48_hours(started_after, within):
    _discharge(dt.datetime(2026, 10, 10, 14, 0, tzinfo=dt.UTC), started_after)
    market, _lots = discharges(Month.parse("2026-10"))
    assert (market.requests, market.within_48h) == (1, within)


def test_a_discharge_belongs_to_the_london_month_of_its_request():
    # 23:30 UTC on 31 October is still October in London (GMT since the 25th);
    # 23:30 UTC on 30 September is 00:30 on 1 October in London (BST).
    _discharge(dt.datetime(2026, 10, 31, 23, 30, tzinfo=dt.UTC), H)
    _discharge(dt.datetime(2026, 9, 30, 23, 30, tzinfo=dt.UTC), H)
    _discharge(dt.datetime(2026, 9, 30, 22, 30, tzinfo=dt.UTC), H)  # 23:30 BST: September
    october, _ = discharges(Month.parse("2026-10"))
    september, _ = discharges(Month.parse("2026-09"))
    assert (october.requests, september.requests) == (2, 1)


def test_a_package_naming_the_request_starts_it():
    requested = dt.datetime(2026, 10, 10, 14, 0, tzinfo=dt.UTC)
    request = CareRequestFactory(source="hospital", requested_at=requested)
    package = CarePackageFactory(request_ref=request.ref)
    VisitFactory(package=package, planned_start=requested + 47 * H)
    market, _ = discharges(Month.parse("2026-10"))
    assert market.within_48h == 1


def test_shares_and_hhi_of_a_lot():
    lot = LotFactory(name="Lot 1 - North")
    big = CarePackageFactory(contract=ContractFactory(lot=lot))
    small = CarePackageFactory(contract=ContractFactory(lot=lot))
    start = dt.datetime(2026, 10, 5, 9, tzinfo=dt.UTC)
    for day in range(3):
        VisitFactory(
            package=big,
            planned_start=start + dt.timedelta(days=day),
            planned_end=start + dt.timedelta(days=day) + H,
        )
    VisitFactory(package=small, planned_start=start, planned_end=start + H)
    found = concentration(Month.parse("2026-10"))[lot.pk]
    assert [round(s.share, 4) for s in found.shares] == [0.75, 0.25]
    assert found.hhi == 6250.0  # 75² + 25²
