"""Each part's score in a plain sentence, written when the cycle is computed
and kept with it, so a past ranking explains itself as it was."""

from __future__ import annotations

from decimal import Decimal
from typing import TYPE_CHECKING

from common.months import Month
from homecare.ranking.models import ASSESSMENT, CQC, KPI, PRICE
from homecare.ranking.scoring import Candidate, rounded
from homecare.ui import formats

if TYPE_CHECKING:
    from homecare.ranking.selectors import CqcRating, KpiRatings, LatestAssessment

NO_RATING = "No rating: this part is left out and the other parts' weights are shared out."


def _n(value: Decimal | None) -> str:
    return "no rating" if value is None else f"{rounded(value)}"


def months_text(first: Month, last: Month) -> str:
    if first == last:
        return formats.month_name(first.first)
    return f"{formats.month_name(first.first)} to {formats.month_name(last.first)}"


def part_notes(
    c: Candidate,
    kpi: KpiRatings | None,
    assessment: LatestAssessment | None,
    cqc: CqcRating | None,
    *,
    lowest: Decimal | None,
    first: Month,
    last: Month,
) -> dict[str, str]:
    period = months_text(first, last)
    notes: dict[str, str] = {}
    if c.parts[KPI] is None or kpi is None:
        notes[KPI] = f"No KPI month in the cycle's months ({period}) was rated. {NO_RATING}"
    else:
        notes[KPI] = (
            f"In the cycle's months ({period}) the provider's monthly KPIs were rated "
            f"{formats.counted(kpi.green, ('time', 'times'))} green, {kpi.amber} amber and "
            f"{kpi.red} red, over {formats.counted(kpi.months, ('month', 'months'))}. "
            f"Green scores 100, amber 50 and red 0; the average is {_n(c.parts[KPI])}."
        )
    if c.parts[ASSESSMENT] is None or assessment is None:
        notes[ASSESSMENT] = f"No published quality assessment with an overall rating. {NO_RATING}"
    else:
        notes[ASSESSMENT] = (
            f"The latest published quality assessment ({formats.date(assessment.published)}) "
            f"rated the provider {assessment.label}, which scores {_n(c.parts[ASSESSMENT])}. "
            "Excellent scores 100, Good 75, Requires improvement 50 and Poor 25."
        )
    if c.parts[CQC] is None or cqc is None:
        notes[CQC] = f"No CQC overall rating is known for the provider. {NO_RATING}"
    else:
        when = f" (published {formats.date(cqc.published)})" if cqc.published else ""
        notes[CQC] = (
            f"CQC rates the provider {cqc.rating}{when}, which scores {_n(c.parts[CQC])}. "
            "Outstanding scores 100, Good 75, Requires improvement 50 and Inadequate 25."
        )
    if c.parts[PRICE] is None or c.hourly_rate is None:
        notes[PRICE] = (
            f"No hourly rate is known for the provider's contract in this lot. {NO_RATING}"
        )
    else:
        notes[PRICE] = (
            f"The contract's rate is {formats.money(c.hourly_rate)} an hour; the lowest in the "
            f"lot is {formats.money(lowest)}. {formats.money(lowest)} divided by "
            f"{formats.money(c.hourly_rate)}, times 100, scores {_n(c.parts[PRICE])}. "
            "Lower rates score higher."
        )
    return notes
