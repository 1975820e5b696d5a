"""What the ranking pages show, worked out once: each rank's parts with
their value, weight and the sentence saying how each was scored, and the
rules in words (the same words as docs/decisions.md)."""

from __future__ import annotations

from dataclasses import dataclass
from decimal import Decimal

from homecare.ranking.models import PART_LABELS, PARTS, ProviderRank, RankingCycle
from homecare.ui import formats

NO_RATING = "No rating"

# How each part is scored, 0 to 100, in plain sentences.
SCALES = {
    "kpi": (
        "Every RAG rating of the provider's monthly KPIs in the cycle's months (each "
        "measure, each month) scores green 100, amber 50 and red 0. The part is their "
        "average. A measure with no data that month is not a rating and is left out."
    ),
    "assessment": (
        "The overall rating of the provider's latest published quality assessment: "
        "Excellent 100, Good 75, Requires improvement 50, Poor 25 (a rating's points "
        "out of the best 4, as quality assessments score questions)."
    ),
    "cqc": (
        "The overall rating of the newest CQC publication for the provider's location "
        "(or the rating in the providers file when none has been imported): "
        "Outstanding 100, Good 75, Requires improvement 50, Inadequate 25."
    ),
    "price": (
        "The lowest hourly rate among the lot's providers divided by the provider's "
        "own rate, times 100, using the contract's rate on the day of the cycle. The "
        "cheapest scores 100; a rate a quarter higher scores 80. Lower is better."
    ),
}
MISSING_RULE = (
    "When a provider has no rating for a part (no rated KPI month, no published "
    "assessment, no CQC rating or no rate), the part shows \u201cNo rating\u201d and is "
    "left out: the weights of the other parts are shared out in proportion, so a "
    "missing rating neither helps nor harms. A provider with no part at all has no "
    "score and comes last."
)
TIE_BREAK = (
    "Scores are rounded to 2 decimal places. Providers with the same score are "
    "ordered by the better KPI performance part, then the better quality (latest "
    "quality assessment part, then CQC rating part), then the lower hourly rate, "
    "then the provider ref. A missing part counts as worse than any rating."
)
SCORE_RULE = (
    "Each part is scored from 0 to 100. The score is the weighted average of the "
    "parts, each weight taken as its share of all the weights."
)


def score_text(value: Decimal | None) -> str:
    return NO_RATING if value is None else formats.number(float(value), 2)


def share_text(share: str | Decimal) -> str:
    return formats.percent(float(Decimal(share)) * 100)


@dataclass(frozen=True)
class PartRow:
    key: str
    label: str
    score: str
    weight: str
    note: str
    scale: str
    missing: bool


@dataclass(frozen=True)
class RankRow:
    rank: ProviderRank
    position: int
    of: int
    provider_name: str
    provider_ref: str
    score: str
    parts: list[PartRow]
    tie_note: str
    hourly_rate: str


def weights_text(cycle: RankingCycle) -> list[tuple[str, str]]:
    return [(PART_LABELS[p], share_text(cycle.weights.get(p, "0"))) for p in PARTS]


def rank_row(rank: ProviderRank, of: int) -> RankRow:
    weights = rank.cycle.weights
    parts = [
        PartRow(
            key=p,
            label=PART_LABELS[p],
            score=score_text(rank.part(p)),
            weight=share_text(weights.get(p, "0")),
            note=rank.notes.get(p, ""),
            scale=SCALES[p],
            missing=rank.part(p) is None,
        )
        for p in PARTS
    ]
    return RankRow(
        rank=rank,
        position=rank.position,
        of=of,
        provider_name=rank.provider.name,
        provider_ref=rank.provider.ref,
        score=score_text(rank.score),
        parts=parts,
        tie_note=rank.tie_note,
        hourly_rate=formats.money(rank.hourly_rate) if rank.hourly_rate else NO_RATING,
    )


def cycle_heading(cycle: RankingCycle) -> str:
    return f"Ranking of {formats.date(cycle.as_of)}"


def cycle_period(cycle: RankingCycle) -> str:
    first, last = formats.month_name(cycle.first_month), formats.month_name(cycle.last_month)
    return first if first == last else f"{first} to {last}"
