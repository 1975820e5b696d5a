"""RAG (red, amber, green) rules for the dashboard measures.

Each measure has a direction and two limits, held in the measure's display
unit (percentages as 12.5, not 0.125) because that is how commissioners set
and read them:

- lower is better (late visits): green when the figure is at or below the
  green limit, red when it is above the red limit, amber in between;
- higher is better (ECM-verified visits): green at or above the green limit,
  red below the red limit, amber in between.

A figure exactly on a limit takes the kinder status. A figure with nothing to
measure (no visits) has no status. The overall status of a provider is its
worst measure. The defaults below apply until a commissioner changes them on
the RAG thresholds page (a `RagThreshold` row).
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from decimal import Decimal
from typing import Any

from homecare.dashboards.models import RagThreshold

GREEN, AMBER, RED, NO_DATA = "green", "amber", "red", "none"
STATUS_LABELS = {GREEN: "Green", AMBER: "Amber", RED: "Red", NO_DATA: "No data"}
# GOV.UK tag colours; amber is the yellow tag (dark text on yellow keeps contrast).
STATUS_TAGS = {
    GREEN: "govuk-tag--green",
    AMBER: "govuk-tag--yellow",
    RED: "govuk-tag--red",
    NO_DATA: "govuk-tag--grey",
}
# Worse statuses sort higher, so the overall status is the max.
SEVERITY = {NO_DATA: 0, GREEN: 1, AMBER: 2, RED: 3}


def _percent(numerator: Any, denominator: Any = None) -> float | None:
    """A stored fraction (or numerator/denominator) as a percentage, rounded so
    that 0.1 is exactly 10.0 when compared with a limit."""
    if denominator is not None:
        if not denominator or numerator is None:
            return None
        return round(float(numerator) / float(denominator) * 100, 2)
    return None if numerator is None else round(float(numerator) * 100, 2)


def _plain(value: Any) -> float | None:
    return None if value is None else round(float(value), 2)


@dataclass(frozen=True)
class Measure:
    key: str
    label: str
    lower_is_better: bool
    green: Decimal
    red: Decimal
    unit: str  # "percent", "count" or "number"
    value_of: Callable[[dict[str, Any]], float | None]
    # Why the default limits are what they are, shown on the thresholds page.
    why: str

    def value(self, figures: dict[str, Any] | None) -> float | None:
        return self.value_of(figures or {})

    def display(self, value: float | None) -> str:
        return format_value(value, self.unit)


def format_value(value: float | None, unit: str) -> str:
    if value is None:
        return "No data"
    if unit == "percent":
        return f"{value:.1f}%"
    if unit == "count":
        return f"{int(value):,}"
    return f"{value:.2f}"


MEASURE_LIST = (
    Measure(
        "late_visit_rate",
        "Late visits",
        True,
        Decimal("5"),
        Decimal("10"),
        "percent",
        lambda f: _percent(f.get("late_visit_rate")),
        "Share of delivered visits starting more than 30 minutes late.",
    ),
    Measure(
        "missed_visit_rate",
        "Missed visits",
        True,
        Decimal("1"),
        Decimal("2"),
        "percent",
        lambda f: _percent(f.get("missed_visit_rate")),
        "Share of scheduled visits missed or over an hour late.",
    ),
    Measure(
        "people_late_share",
        "People with a late visit more than 10% of the time",
        True,
        Decimal("5"),
        Decimal("10"),
        "percent",
        lambda f: _percent(f.get("people_late_over_10pct"), f.get("people_supported")),
        "Share of people supported who had a late visit more than 10% of the time.",
    ),
    Measure(
        "six_week_reviews_overdue",
        "Six-week reviews overdue",
        True,
        Decimal("0"),
        Decimal("2"),
        "count",
        lambda f: _plain(f.get("six_week_reviews_overdue")),
        "Care packages past their six-week review date at month end with no review.",
    ),
    Measure(
        "mean_carers_per_person",
        "Mean carers per person",
        True,
        Decimal("4"),
        Decimal("6"),
        "number",
        lambda f: _plain(f.get("mean_carers_per_person")),
        "Continuity of care: distinct care workers each person saw in the month.",
    ),
    Measure(
        "delivered_hours_share",
        "Delivered against planned hours",
        False,
        Decimal("95"),
        Decimal("90"),
        "percent",
        lambda f: _percent(f.get("delivered_hours"), f.get("planned_hours")),
        "Hours delivered as a share of hours planned.",
    ),
    Measure(
        "ecm_verified_rate",
        "Visits verified by call monitoring",
        False,
        Decimal("90"),
        Decimal("85"),
        "percent",
        lambda f: _percent(f.get("ecm_verified_rate")),
        "Below 85% the visit times themselves are in doubt.",
    ),
)
MEASURES = {measure.key: measure for measure in MEASURE_LIST}


@dataclass(frozen=True)
class Limits:
    green: float
    red: float


@dataclass(frozen=True)
class Rating:
    measure: Measure
    value: float | None
    status: str
    limits: Limits

    @property
    def label(self) -> str:
        return STATUS_LABELS[self.status]

    @property
    def tag_class(self) -> str:
        return STATUS_TAGS[self.status]

    @property
    def display(self) -> str:
        return self.measure.display(self.value)

    @property
    def reason(self) -> str:
        """Which limit decided the status, in words."""
        m, v = self.measure, self.value
        green = format_value(self.limits.green, m.unit)
        red = format_value(self.limits.red, m.unit)
        if self.status == NO_DATA:
            return "Nothing to measure this month."
        shown = m.display(v)
        if m.lower_is_better:
            if self.status == RED:
                return f"Red because {shown} is more than the red limit of {red}."
            if self.status == AMBER:
                return (
                    f"Amber because {shown} is more than the green limit of {green} "
                    f"but not more than the red limit of {red}."
                )
            return f"Green because {shown} is not more than the green limit of {green}."
        if self.status == RED:
            return f"Red because {shown} is less than the red limit of {red}."
        if self.status == AMBER:
            return (
                f"Amber because {shown} is less than the green limit of {green} "
                f"but not less than the red limit of {red}."
            )
        return f"Green because {shown} is not less than the green limit of {green}."


def status_for(measure: Measure, value: float | None, limits: Limits) -> str:
    if value is None:
        return NO_DATA
    if measure.lower_is_better:
        if value <= limits.green:
            return GREEN
        return RED if value > limits.red else AMBER
    if value >= limits.green:
        return GREEN
    return RED if value < limits.red else AMBER


def default_limits() -> dict[str, Limits]:
    return {m.key: Limits(float(m.green), float(m.red)) for m in MEASURE_LIST}


def current_limits() -> dict[str, Limits]:
    """The defaults overlaid with the commissioners' changes: one query."""
    limits = default_limits()
    for row in RagThreshold.objects.filter(measure__in=MEASURES):
        limits[row.measure] = Limits(float(row.green_limit), float(row.red_limit))
    return limits


def rate(figures: dict[str, Any] | None, limits: dict[str, Limits]) -> dict[str, Rating]:
    """Every measure of one set of stored figures, with its status."""
    ratings = {}
    for measure in MEASURE_LIST:
        value = measure.value(figures)
        ratings[measure.key] = Rating(
            measure, value, status_for(measure, value, limits[measure.key]), limits[measure.key]
        )
    return ratings


def overall(ratings: dict[str, Rating]) -> str:
    return max((r.status for r in ratings.values()), key=SEVERITY.__getitem__, default=NO_DATA)
