"""The thresholds behind the KPI definitions, and which of them apply where.

Precedence for one contract: the contract's own value, else its lot's, else the
default of kpi-definitions.md. A field left blank on a KpiThresholds row means
"inherit".

Within a provider-month:
- visit-level figures (late, missed, short visits) and package reviews use the
  thresholds of the visit's (package's) contract; a package called off no
  contract uses the provider's main contract;
- person-level figures (people late more than the share, people over the carer
  limit) use the provider's main contract: a person has one limit per month
  even when their packages sit on different contracts.
The main contract is the provider's contract with the most packages active in
the month (ties: lowest contract ref). Lot totals use the lot's thresholds for
person-level figures and market totals the defaults; visit-level figures keep
each visit's own thresholds, so visit counts add up from providers to market.
"""

from __future__ import annotations

import dataclasses
from dataclasses import dataclass
from fractions import Fraction
from typing import Any

FIELDS = (
    "late_after_minutes",
    "missed_after_minutes",
    "person_late_share",
    "short_visit_ratio",
    "min_carer_limit",
    "visits_per_carer",
    "review_due_days",
    "time_critical_window_minutes",
    "known_carer_days",
)


@dataclass(frozen=True)
class Thresholds:
    late_after_minutes: int = 30
    missed_after_minutes: int = 60
    person_late_share: float = 0.10
    short_visit_ratio: float = 0.75
    min_carer_limit: int = 4
    visits_per_carer: int = 10
    review_due_days: int = 42
    # Care standards (issue 15, kpi-definitions.md "Care standards").
    time_critical_window_minutes: int = 30
    known_carer_days: int = 28

    def as_dict(self) -> dict[str, int | float]:
        return dataclasses.asdict(self)

    def overlaid(self, row: object | None) -> Thresholds:
        """These thresholds with the values `row` sets (blank fields inherit)."""
        if row is None:
            return self
        values = {
            name: getattr(row, name) for name in FIELDS if getattr(row, name, None) is not None
        }
        # Shares are stored as decimals; the engine works in floats.
        changes: dict[str, Any] = {
            name: float(value) if name in ("person_late_share", "short_visit_ratio") else value
            for name, value in values.items()
        }
        return dataclasses.replace(self, **changes)

    @property
    def late_share(self) -> Fraction:
        # Compared as integers (late * den > delivered * num) so exactly 10% is never "over".
        return Fraction(str(self.person_late_share)).limit_denominator(100_000)

    @property
    def short_ratio(self) -> Fraction:
        return Fraction(str(self.short_visit_ratio)).limit_denominator(100_000)


DEFAULT = Thresholds()
