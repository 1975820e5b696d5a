"""The roll-up rule at its band edges, caps and overrides."""

from __future__ import annotations

from decimal import Decimal
from fractions import Fraction

import pytest

from reviews.rating import (
    EXCELLENT,
    GOOD,
    POOR,
    REQUIRES_IMPROVEMENT,
    Node,
    RollUpRule,
    band,
    percentage,
    roll_up,
    roll_up_tree,
)

E, G, RI, P = EXCELLENT, GOOD, REQUIRES_IMPROVEMENT, POOR
COUNCIL = RollUpRule(Decimal("95"), Decimal("78"), Decimal("65"))


def test_percentage_is_exact_and_skips_unrated() -> None:
    assert percentage([E, G, "", RI]) == Fraction(100 * 9, 12)
    assert percentage(["", ""]) is None


@pytest.mark.parametrize(
    ("percent", "expected"),
    [
        (Fraction(90), E),  # on the edge counts as reaching the band
        (Fraction(8999, 100), G),
        (Fraction(65), G),
        (Fraction(6499, 100), RI),
        (Fraction(40), RI),
        (Fraction(3999, 100), P),
        (Fraction(25), P),
        (Fraction(100), E),
    ],
)
def test_default_band_edges(percent: Fraction, expected: str) -> None:
    assert band(percent) == expected


@pytest.mark.parametrize(
    ("percent", "expected"),
    [(95, E), (Fraction(9499, 100), G), (78, G), (Fraction(7799, 100), RI), (65, RI), (64, P)],
)
def test_council_bands(percent: int | Fraction, expected: str) -> None:
    assert band(Fraction(percent), COUNCIL) == expected


def test_default_rule_reads_naturally() -> None:
    assert roll_up([G, G, G]) == G
    assert roll_up([E, E, E]) == E
    assert roll_up([RI, RI]) == RI
    assert roll_up([P, P]) == P
    assert roll_up(["", ""]) is None
    # Exactly half-way between two ratings goes to the lower one.
    assert roll_up([E, G]) == G  # 87.5 %
    assert roll_up([G, RI]) == RI  # 62.5 %
    assert roll_up([RI, P]) == P  # 37.5 %
    assert roll_up([E, E, E, G]) == E  # 93.75 %
    assert roll_up([G, G, G, RI]) == G  # 68.75 %


def test_council_bands_make_all_good_requires_improvement() -> None:
    # Why the default is not 95/78/65: all-Good scores 75 %.
    assert roll_up([G, G, G], COUNCIL) == RI


def test_edge_exactly_on_the_excellent_band() -> None:
    # (4 * 9 + 3 + 4 * 0) / 40: nine Excellents and a Good score 39/40 = 97.5 %;
    # four Excellents and a Good score 19/20 = 95 %, on the council's edge.
    assert roll_up([E, E, E, E, G], COUNCIL) == E
    assert roll_up([E, E, E, G, G], COUNCIL) == G  # 90 %


def test_any_poor_caps_at_requires_improvement() -> None:
    # Nine Excellents and a Poor score 37/40 = 92.5 %, Excellent by points,
    # but the Poor caps the standard.
    assert roll_up([E] * 9 + [P]) == RI
    assert roll_up([E] * 9 + [P], RollUpRule(poor_caps_parent=False)) == E
    # The cap never lifts a rating.
    assert roll_up([P, P, P, G]) == P


def test_bands_must_fall() -> None:
    with pytest.raises(ValueError):
        RollUpRule(Decimal("60"), Decimal("70"), Decimal("50"))


def test_tree_rolls_up_and_an_override_feeds_the_level_above() -> None:
    standards = [Node("standard:1", ["q:1", "q:2"]), Node("standard:2", ["q:3", "q:4"])]
    domains = [Node("domain:1", ["standard:1"]), Node("domain:2", ["standard:2"])]
    ratings = {"q:1": E, "q:2": E, "q:3": P, "q:4": RI}
    plain = roll_up_tree(ratings, standards, domains)
    assert plain.final["standard:1"] == E
    assert plain.final["standard:2"] == P  # 3/8 = 37.5 %
    assert plain.final["domain:2"] == P
    assert plain.final["overall"] == RI  # (4 + 1) / 8 = 62.5 %, and a Poor caps it anyway
    overridden = roll_up_tree(ratings, standards, domains, {"standard:2": G})
    assert overridden.rolled["standard:2"] == P
    assert overridden.final["standard:2"] == G
    assert overridden.overridden("standard:2")
    assert overridden.final["domain:2"] == G
    assert overridden.final["overall"] == G  # (4 + 3) / 8 = 87.5 %: the lower rating
    overall = roll_up_tree(ratings, standards, domains, {"overall": E})
    assert overall.rolled["overall"] == RI and overall.final["overall"] == E
