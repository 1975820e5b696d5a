"""The ranking of a three-provider lot, worked out by hand (tests/ranking/lot.py)."""

from __future__ import annotations

import datetime as dt
from decimal import Decimal

import pytest

from homecare.ranking.models import ProviderRank, RankingCycle
from homecare.ranking.services import add_months, compute_cycle, run_if_due
from tests.ranking.lot import AS_OF, three_provider_lot

D = Decimal


@pytest.mark.django_db
def test_three_provider_lot_ranked_as_worked_by_hand():
    three_provider_lot()
    cycle = compute_cycle(AS_OF)

    assert (cycle.first_month, cycle.last_month) == (dt.date(2026, 6, 1), dt.date(2026, 11, 1))
    assert cycle.weights == {"kpi": "0.4", "assessment": "0.3", "cqc": "0.2", "price": "0.1"}
    ranks = list(ProviderRank.objects.filter(cycle=cycle).order_by("position"))
    assert [
        (r.position, r.provider.ref, r.score, r.kpi, r.assessment, r.cqc, r.price, r.hourly_rate)
        for r in ranks
    ] == [
        (1, "RA", D("81.50"), D("87.50"), D("75.00"), D("75.00"), D("90.00"), D("20.00")),
        (2, "RC", D("80.00"), D("80.00"), None, D("75.00"), D("90.00"), D("20.00")),
        (3, "RB", D("80.00"), D("50.00"), D("100.00"), D("100.00"), D("100.00"), D("18.00")),
    ]
    assert ranks[2].tie_note == (
        "Same score as Cedar Care, which comes first on a better KPI performance part "
        "(80.00 against 50.00)."
    )
    assert ranks[0].tie_note == ranks[1].tie_note == ""
    # Each part explained in a sentence, kept with the cycle.
    a, c = ranks[0], ranks[1]
    assert a.notes["kpi"] == (
        "In the cycle's months (June 2026 to November 2026) the provider's monthly KPIs were "
        "rated 3 times green, 1 amber and 0 red, over 2 months. Green scores 100, amber 50 "
        "and red 0; the average is 87.50."
    )
    assert a.notes["price"] == (
        "The contract's rate is £20.00 an hour; the lowest in the lot is £18.00. £18.00 "
        "divided by £20.00, times 100, scores 90.00. Lower rates score higher."
    )
    assert (
        "1 March 2026" in a.notes["assessment"]
        and "Good, which scores 75.00" in a.notes["assessment"]
    )
    assert c.notes["assessment"].startswith("No published quality assessment")
    assert "left out" in c.notes["assessment"]
    assert "Outstanding (published 1 February 2026)" in ranks[2].notes["cqc"]


@pytest.mark.django_db
def test_weights_need_not_add_up_to_100():
    """8, 6, 4, 2 are the same shares as 40, 30, 20, 10."""
    three_provider_lot(weights=(8, 6, 4, 2))
    cycle = compute_cycle(AS_OF)
    assert list(cycle.ranks.order_by("position").values_list("provider__ref", "score")) == [
        ("RA", D("81.50")),
        ("RC", D("80.00")),
        ("RB", D("80.00")),
    ]


@pytest.mark.django_db
def test_a_part_weighted_0_is_left_out():
    """Price only: B, the cheapest, first; A and C tie on 90 and their KPI decides."""
    three_provider_lot(weights=(0, 0, 0, 1))
    cycle = compute_cycle(AS_OF)
    assert list(cycle.ranks.order_by("position").values_list("provider__ref", "score")) == [
        ("RB", D("100.00")),
        ("RA", D("90.00")),
        ("RC", D("90.00")),
    ]


@pytest.mark.django_db
def test_cycles_are_kept_and_the_beat_job_runs_when_due():
    three_provider_lot()
    first = run_if_due(AS_OF)
    assert first is not None
    # Not due again until six months after the last one.
    assert run_if_due(AS_OF + dt.timedelta(days=1)) is None
    assert run_if_due(dt.date(2027, 6, 1)) is None
    second = run_if_due(dt.date(2027, 6, 2))
    assert second is not None and second != first
    assert RankingCycle.objects.count() == 2
    # The first cycle is kept as it was.
    assert ProviderRank.objects.filter(cycle_id=first).count() == 3
    assert RankingCycle.objects.get(pk=second).first_month == dt.date(2026, 12, 1)


def test_add_months_keeps_the_day_or_takes_the_months_last():
    assert add_months(dt.date(2026, 8, 31), 6) == dt.date(2027, 2, 28)
    assert add_months(dt.date(2026, 12, 2), 6) == dt.date(2027, 6, 2)
