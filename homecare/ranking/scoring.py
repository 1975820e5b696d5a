"""How a provider's place in a lot is worked out: each part's 0-100 scale,
the weighted score, and the order with its tie-break. Pure functions over
plain values, so the rule can be read and tested without a database.

The parts (docs/decisions.md, "Issue 15: provider ranking"):

- KPI performance: every RAG rating stored for the provider's monthly KPIs
  in the cycle's months (each measure of each month) scores green 100,
  amber 50, red 0; the part is their average. Measures with no data are
  not ratings and are left out.
- Latest quality assessment: the overall rating of the provider's latest
  published assessment, as points of the best (the rule quality officers
  use, reviews/rating.py): Excellent 100, Good 75, Requires improvement 50,
  Poor 25.
- CQC rating: the overall rating of the newest CQC publication of the
  provider's location (else the rating providers.csv gave), the same way:
  Outstanding 100, Good 75, Requires improvement 50, Inadequate 25.
- Price: the lot's lowest hourly rate divided by the provider's rate, times
  100: the cheapest scores 100, one a quarter dearer 80. Lower is better.

A part with no data (no rated month, no published assessment, no CQC
rating, no rate) is left out and the weights of the parts that remain are
shared out again in proportion, so it neither helps nor harms. A provider
with no part at all has no score and comes last.

Scores are worked in exact decimals and rounded half up to 2 places; ties
are judged on the rounded score, as shown. Tie-break: equal score, then the
better KPI part, then the better quality (assessment part, then CQC part),
then the lower hourly rate, then the provider ref (A before B). A missing
part counts as worse than any value.
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping
from dataclasses import dataclass, field
from decimal import ROUND_HALF_UP, Decimal

from homecare.ranking.models import ASSESSMENT, CQC, KPI, PARTS
from homecare.ui import formats

TWO_PLACES = Decimal("0.01")
HUNDRED = Decimal(100)

# The parts as a sentence names them ("a better KPI performance part").
TIE_LABELS = {KPI: "KPI performance", ASSESSMENT: "quality assessment", CQC: "CQC rating"}

RAG_POINTS = {"green": Decimal(100), "amber": Decimal(50), "red": Decimal(0)}
ASSESSMENT_POINTS = {
    "excellent": Decimal(100),
    "good": Decimal(75),
    "requires_improvement": Decimal(50),
    "poor": Decimal(25),
}
CQC_POINTS = {
    "Outstanding": Decimal(100),
    "Good": Decimal(75),
    "Requires improvement": Decimal(50),
    "Inadequate": Decimal(25),
}


def rounded(value: Decimal) -> Decimal:
    return value.quantize(TWO_PLACES, rounding=ROUND_HALF_UP)


def normalise(weights: Mapping[str, Decimal]) -> dict[str, Decimal]:
    """Each weight as a share of their total (shares of 1). The form makes
    sure they are not negative and at least one is more than 0."""
    total = sum((weights[p] for p in PARTS), Decimal(0))
    if total <= 0 or any(weights[p] < 0 for p in PARTS):
        raise ValueError("weights must be 0 or more, at least one more than 0")
    return {p: weights[p] / total for p in PARTS}


def kpi_part(statuses: Iterable[str]) -> Decimal | None:
    points = [RAG_POINTS[s] for s in statuses if s in RAG_POINTS]
    if not points:
        return None
    return sum(points, Decimal(0)) / len(points)


def assessment_part(rating: str) -> Decimal | None:
    return ASSESSMENT_POINTS.get(rating)


def cqc_part(rating: str) -> Decimal | None:
    return CQC_POINTS.get(rating)


def price_part(rate: Decimal | None, lowest: Decimal | None) -> Decimal | None:
    if rate is None or lowest is None or rate <= 0:
        return None
    return lowest / rate * HUNDRED


def weighted(parts: Mapping[str, Decimal | None], shares: Mapping[str, Decimal]) -> Decimal | None:
    """The parts' weighted average over the parts that have a value and a
    weight: the left-out parts' weight is shared out in proportion."""
    present = [p for p in PARTS if parts.get(p) is not None and shares[p] > 0]
    total = sum((shares[p] for p in present), Decimal(0))
    if total == 0:
        return None
    return sum((shares[p] * parts[p] for p in present), Decimal(0)) / total  # type: ignore[operator]


@dataclass
class Candidate:
    """A provider in a lot with its parts (0-100 exact, or None)."""

    provider_id: int
    ref: str
    name: str
    parts: dict[str, Decimal | None]
    hourly_rate: Decimal | None
    score: Decimal | None = None
    position: int = 0
    tie_note: str = ""
    notes: dict[str, str] = field(default_factory=dict)

    def shown(self, part: str) -> Decimal | None:
        value = self.parts.get(part)
        return None if value is None else rounded(value)


def _worst_last(value: Decimal | None) -> Decimal:
    # Sorted descending by negation: a missing part sorts after every value.
    return -value if value is not None else Decimal(1)


def sort_key(c: Candidate) -> tuple:
    return (
        _worst_last(c.score),
        _worst_last(c.shown(KPI)),
        _worst_last(c.shown(ASSESSMENT)),
        _worst_last(c.shown(CQC)),
        c.hourly_rate if c.hourly_rate is not None else Decimal("Infinity"),
        c.ref,
    )


def _decided_by(above: Candidate, below: Candidate) -> str:
    """Why `above` goes first when their scores are equal, in words."""
    for part in (KPI, ASSESSMENT, CQC):
        a, b = above.shown(part), below.shown(part)
        if a != b:
            label = TIE_LABELS[part]
            theirs = "no rating" if b is None else f"{b}"
            return f"a better {label} part ({a} against {theirs})"
    if above.hourly_rate != below.hourly_rate:
        return (
            f"a lower hourly rate ({formats.money(above.hourly_rate)} against "
            f"{formats.money(below.hourly_rate)})"
        )
    return f"its provider ref ({above.ref} before {below.ref})"


def rank(candidates: list[Candidate], shares: Mapping[str, Decimal]) -> list[Candidate]:
    """Score and order the providers of one lot; positions from 1."""
    for c in candidates:
        exact = weighted(c.parts, shares)
        c.score = None if exact is None else rounded(exact)
    ordered = sorted(candidates, key=sort_key)
    for position, c in enumerate(ordered, start=1):
        c.position = position
        if position > 1:
            above = ordered[position - 2]
            if above.score == c.score:
                c.tie_note = (
                    f"Same score as {above.name}, which comes first on {_decided_by(above, c)}."
                )
    return ordered


def lowest_rate(rates: Iterable[Decimal | None]) -> Decimal | None:
    known = [r for r in rates if r is not None and r > 0]
    return min(known) if known else None
