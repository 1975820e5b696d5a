"""Flex monitoring (issue 13): a provider may plan more or fewer hours than
commissioned, by up to its contract's flex_weekly_hours (7) in a week and for
up to flex_weeks (6) weeks running, without a new assessment. Beyond either
limit the package is listed for re-assessment with its weeks.

Exactly 7 hours' difference is within the limit; a difference in 6 weeks
running is within it, in a 7th week it is not."""

from __future__ import annotations

import math
from dataclasses import dataclass, field
from datetime import date, timedelta
from fractions import Fraction

from common.months import Month
from homecare.payments.hours import (
    Layers,
    PackageTerms,
    package_terms,
    package_weeks,
    weeks_between,
)


@dataclass
class FlexWeek:
    week: date
    commissioned: Fraction
    planned: Fraction
    over_hours: bool  # differs by more than the weekly limit
    in_long_run: bool  # part of a run of differing weeks longer than the limit

    @property
    def difference(self) -> Fraction:
        """In whole minutes: weekly hours are held to two places (12.83 for
        12 h 50 min), so a difference under half a minute is none."""
        return Fraction(_minutes(self.planned) - _minutes(self.commissioned), 60)


def _minutes(hours: Fraction) -> int:
    return math.floor(hours * 60 + Fraction(1, 2))


@dataclass
class FlexCase:
    package_ref: str
    person_ref: str
    provider_id: int
    flex_hours: Fraction
    flex_weeks: int
    weeks: list[FlexWeek] = field(default_factory=list)

    @property
    def reasons(self) -> list[str]:
        reasons = []
        if any(w.over_hours for w in self.weeks):
            reasons.append(f"more than {float(self.flex_hours):g} hours in a week")
        if any(w.in_long_run for w in self.weeks):
            reasons.append(f"different for more than {self.flex_weeks} weeks running")
        return reasons


def _weeks_of(
    term: PackageTerms, weeks: dict[date, Layers], all_weeks: list[date]
) -> list[FlexWeek]:
    """The package's weeks from the first with visits planned (before it the
    provider's data had not begun), each judged against both limits."""
    rows: list[FlexWeek] = []
    run: list[FlexWeek] = []
    planned_weeks = [week for week in all_weeks if weeks.get(week, Layers()).planned_s]
    if not planned_weeks:
        return rows
    for week in all_weeks:
        if week < planned_weeks[0]:
            continue
        layers = weeks.get(week, Layers())
        active = any(
            s.start <= week + timedelta(days=6) and (s.end is None or s.end >= week)
            for s in term.segments
        )
        if not active and not layers.planned_s:
            run = []
            continue
        row = FlexWeek(
            week,
            layers.commissioned,
            layers.planned,
            False,
            False,
        )
        row.over_hours = abs(row.difference) > term.flex_hours
        rows.append(row)
        if row.difference != 0:
            run.append(row)
            if len(run) > term.flex_weeks:
                for member in run:
                    member.in_long_run = True
        else:
            run = []
    return rows


def flex_cases(
    month: Month, *, provider_id: int | None = None, lot_id: int | None = None
) -> list[FlexCase]:
    """Packages over a flex limit in a week that ends in the month (or in a run
    of weeks reaching into it), with every week looked at, by package ref. A
    week is judged once it is over: one that ends in the next month is judged
    there, when its last days' visits are in."""
    terms = package_terms(provider_id=provider_id, lot_id=lot_id)
    longest = max((t.flex_weeks for t in terms.values()), default=6)
    # Enough weeks before the month for a run that ends in it to be seen whole.
    first = month.first - timedelta(days=7 * (longest + 1))
    weeks = package_weeks(first, month.last, provider_id=provider_id, lot_id=lot_id, terms=terms)
    all_weeks = [w for w in weeks_between(first, month.last) if w + timedelta(6) <= month.last]
    in_month = {w for w in all_weeks if w + timedelta(days=6) >= month.first}
    cases = []
    for pk, term in terms.items():
        rows = _weeks_of(term, weeks.get(pk, {}), all_weeks)
        flagged = [r for r in rows if (r.over_hours or r.in_long_run) and r.week in in_month]
        if flagged:
            case = FlexCase(term.ref, term.person_ref, term.provider_id, term.flex_hours,
                            term.flex_weeks, rows)  # fmt: skip
            cases.append(case)
    return sorted(cases, key=lambda c: c.package_ref)
