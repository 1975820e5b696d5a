"""How question ratings roll up to standard, domain and overall ratings.

The rule, in the words a quality officer would use:

1. Each rating scores points: Excellent 4, Good 3, Requires improvement 2, Poor 1.
   Unrated questions are left out (a draft can be part-done).
2. A standard's score is its questions' points as a percentage of the best
   possible (4 points a question). The percentage falls into a band:
   Excellent at or above `excellent`, Good at or above `good`, Requires
   improvement at or above `requires_improvement`, otherwise Poor.
3. A cap then applies: if any question in the standard is Poor, the standard
   can be no better than Requires improvement (when `poor_caps_parent` is on).
4. Domains roll up from their standards' ratings, and the overall rating from
   the domains', by the same bands and cap. An officer's override (with a
   recorded reason) replaces a rolled-up rating, and the level above uses it.

The default bands are Excellent 90 %, Good 65 %, Requires improvement 40 %:
each a little above the half-way point between two ratings' scores (87.5,
62.5, 37.5), so all-Good comes out Good and a score exactly half-way between
two ratings goes to the lower one (Excellent + Good is Good). A council sets
its own per framework (for example 95 / 78 / 65 %, under which all-Good is 75 %
and so Requires improvement).
Arithmetic is exact (Fraction) so a score on a band edge is never misread.
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass, field
from decimal import Decimal
from fractions import Fraction

EXCELLENT = "excellent"
GOOD = "good"
REQUIRES_IMPROVEMENT = "requires_improvement"
POOR = "poor"

POINTS = {EXCELLENT: 4, GOOD: 3, REQUIRES_IMPROVEMENT: 2, POOR: 1}
BEST = 4
# Best first, so a cap is "no better than" by index.
ORDER = (EXCELLENT, GOOD, REQUIRES_IMPROVEMENT, POOR)


@dataclass(frozen=True)
class RollUpRule:
    excellent: Decimal = Decimal("90")
    good: Decimal = Decimal("65")
    requires_improvement: Decimal = Decimal("40")
    poor_caps_parent: bool = True

    def __post_init__(self) -> None:
        if not (100 >= self.excellent >= self.good >= self.requires_improvement >= 0):
            raise ValueError("bands must fall from Excellent to Requires improvement, 0-100")


DEFAULT_RULE = RollUpRule()


def percentage(ratings: Iterable[str]) -> Fraction | None:
    """Points scored as an exact percentage of the best possible; None if none rated."""
    scored = [POINTS[r] for r in ratings if r]
    if not scored:
        return None
    return Fraction(100 * sum(scored), BEST * len(scored))


def band(percent: Fraction, rule: RollUpRule = DEFAULT_RULE) -> str:
    if percent >= Fraction(rule.excellent):
        return EXCELLENT
    if percent >= Fraction(rule.good):
        return GOOD
    if percent >= Fraction(rule.requires_improvement):
        return REQUIRES_IMPROVEMENT
    return POOR


def cap(rating: str, ceiling: str) -> str:
    """The worse of a rating and its ceiling."""
    return ORDER[max(ORDER.index(rating), ORDER.index(ceiling))]


def roll_up(ratings: Sequence[str], rule: RollUpRule = DEFAULT_RULE) -> str | None:
    """One level's rating from its children's; None when nothing is rated yet."""
    rated = [r for r in ratings if r]
    percent = percentage(rated)
    if percent is None:
        return None
    result = band(percent, rule)
    if rule.poor_caps_parent and POOR in rated:
        result = cap(result, REQUIRES_IMPROVEMENT)
    return result


@dataclass
class Node:
    """A standard or domain in the tree: key like "standard:12", children keys."""

    key: str
    children: list[str] = field(default_factory=list)


@dataclass
class RolledUp:
    """Every level's rating: `rolled` as the rule gives it, `final` after overrides."""

    rolled: dict[str, str | None]
    final: dict[str, str | None]

    def overridden(self, key: str) -> bool:
        return self.rolled.get(key) != self.final.get(key)


def roll_up_tree(
    question_ratings: Mapping[str, str],
    standards: Sequence[Node],
    domains: Sequence[Node],
    overrides: Mapping[str, str] | None = None,
    rule: RollUpRule = DEFAULT_RULE,
) -> RolledUp:
    """Roll questions up to standards, standards to domains, domains to "overall".
    `question_ratings` maps question keys to ratings ("" if unrated); standards'
    children are question keys, domains' children standard keys."""
    overrides = overrides or {}
    rolled: dict[str, str | None] = {}
    final: dict[str, str | None] = {}

    def settle(key: str, children: Iterable[str], source: Mapping[str, str | None]) -> None:
        rolled[key] = roll_up([source.get(c) or "" for c in children], rule)
        final[key] = overrides.get(key) or rolled[key]

    for node in standards:
        settle(node.key, node.children, question_ratings)
    for node in domains:
        settle(node.key, node.children, final)
    settle("overall", [d.key for d in domains], final)
    return RolledUp(rolled=rolled, final=final)
