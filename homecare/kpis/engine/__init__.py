"""The monthly KPIs of shared/specs/kpi-definitions.md, computed set-based.

Every figure is a database aggregate (Count/Sum with FILTER, grouped by person
where the definition is per person); Python only rounds the results and shapes
the short lists of people and packages behind them. The same ORM expressions
run on PostgreSQL and SQLite: times are UTC instants, so subtracting them gives
real elapsed time across the nights the clocks change, and a visit's month is
its `planned_date`, the London date fixed at import.

- plan.py: which thresholds apply to which contract's visits and packages;
- visits.py: the visit figures, per (provider, lot, person);
- reviews.py: the care package review figures;
- figures.py: each scope's figures from those rows, as the export has them.
The names, units and labels of the figures are in homecare/kpis/registry.py.
"""

from __future__ import annotations

from django.db.models import Q

from common.months import Month
from homecare.kpis.engine.figures import MonthFigures
from homecare.kpis.engine.plan import ThresholdPlan, either
from homecare.kpis.engine.visits import care_standards, short, timeliness, up_to_15
from homecare.kpis.registry import FIGURE_KEYS
from visits.models import VisitStatus

__all__ = ["FIGURE_KEYS", "MonthFigures", "ThresholdPlan", "up_to_15", "visit_conditions"]


def visit_conditions(month: Month) -> dict[str, Q]:
    """Late, missed and short visits exactly as the figures count them, each
    with its own contract's thresholds, so a list of the visits behind a
    figure always matches it."""
    plan = ThresholdPlan.for_month(month)
    late, missed = timeliness(plan)
    groups = plan.groups(contract="package__contract_id", provider="provider_id")
    standards = care_standards(plan)
    return {
        "late": late,
        "missed": missed,
        "short": Q(status=VisitStatus.COMPLETED) & either(groups, short),
        # Care standards (issue 15).
        "time_critical_outside": standards["time_critical_outside"],
        "up_to_15": standards["up_to_15"],
        "missed_alone_no_capacity": missed
        & Q(person__lives_alone=True, person__lacks_capacity=True),
    }
