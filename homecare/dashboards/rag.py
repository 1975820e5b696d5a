"""RAG (red, amber, green) rules for the dashboard measures.

Each measure is a KPI of homecare/kpis/registry.py (its label, unit, help
text and direction live there) with two limits, held in the measure's display
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

A month's ratings are stored when its figures are (`RagResult`, see
services.py), so changing a limit does not re-colour earlier months.
"""

from __future__ import annotations

from dataclasses import dataclass
from decimal import Decimal
from typing import Any

from homecare.dashboards.models import RagThreshold
from homecare.kpis.registry import Kpi, kpi
from homecare.ui import formats

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


@dataclass(frozen=True)
class Measure:
    kpi: Kpi
    green: Decimal
    red: Decimal

    @property
    def key(self) -> str:
        return self.kpi.key

    @property
    def label(self) -> str:
        return self.kpi.label

    @property
    def unit(self) -> str:
        return self.kpi.unit

    @property
    def lower_is_better(self) -> bool:
        return bool(self.kpi.lower_is_better)

    @property
    def why(self) -> str:
        return self.kpi.help

    def value(self, figures: dict[str, Any] | None) -> float | None:
        return self.kpi.value(figures)

    def display(self, value: float | None) -> str:
        return formats.display(value, self.unit)


MEASURE_LIST = (
    Measure(kpi("late_visit_rate"), Decimal("5"), Decimal("10")),
    Measure(kpi("missed_visit_rate"), Decimal("1"), Decimal("2")),
    Measure(kpi("people_late_share"), Decimal("5"), Decimal("10")),
    Measure(kpi("six_week_reviews_overdue"), Decimal("0"), Decimal("2")),
    Measure(kpi("mean_carers_per_person"), Decimal("4"), Decimal("6")),
    Measure(kpi("delivered_hours_share"), Decimal("95"), Decimal("90")),
    Measure(kpi("ecm_verified_rate"), Decimal("90"), Decimal("85")),
    # Care standards (issue 15); defaults chosen in docs/decisions.md.
    Measure(kpi("time_critical_outside_rate"), Decimal("5"), Decimal("10")),
    Measure(kpi("visits_under_30_min_known_carer_rate"), Decimal("90"), Decimal("75")),
)
MEASURES = {measure.key: measure for measure in MEASURE_LIST}


@dataclass(frozen=True)
class Limits:
    green: float
    red: float


def _shown(measure: Measure, value: float, other: float) -> tuple[str, str]:
    """A figure and a limit as the reason prints them: to one more decimal
    place where rounding would make them read the same ("5.0% is more than
    5.0%")."""
    shown, limit = measure.display(value), measure.display(other)
    if shown == limit and value != other:
        places = 2 if measure.unit == "percent" else 3
        shown, limit = f"{value:,.{places}f}", f"{other:,.{places}f}"
        if measure.unit == "percent":
            shown, limit = shown + "%", limit + "%"
    return shown, limit


def reason_for(measure: Measure, value: float | None, status: str, limits: Limits) -> str:
    """Which limit decided the status, in words."""
    if status == NO_DATA or value is None:
        return "Nothing to measure this month."
    m = measure
    if m.lower_is_better:
        if status == RED:
            shown, red = _shown(m, value, limits.red)
            return f"Red because {shown} is more than the red limit of {red}."
        if status == AMBER:
            shown, green = _shown(m, value, limits.green)
            red = m.display(limits.red)
            return (
                f"Amber because {shown} is more than the green limit of {green} "
                f"but not more than the red limit of {red}."
            )
        shown, green = _shown(m, value, limits.green)
        return f"Green because {shown} is not more than the green limit of {green}."
    if status == RED:
        shown, red = _shown(m, value, limits.red)
        return f"Red because {shown} is less than the red limit of {red}."
    if status == AMBER:
        shown, green = _shown(m, value, limits.green)
        red = m.display(limits.red)
        return (
            f"Amber because {shown} is less than the green limit of {green} "
            f"but not less than the red limit of {red}."
        )
    shown, green = _shown(m, value, limits.green)
    return f"Green because {shown} is not less than the green limit of {green}."


@dataclass(frozen=True)
class Rating:
    measure: Measure
    value: float | None
    status: str
    limits: Limits
    # The reason as it was stored with the month's rating; worked out if absent.
    stored_reason: str = ""

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
        return self.stored_reason or reason_for(self.measure, self.value, self.status, self.limits)

    @property
    def limits_text(self) -> str:
        m = self.measure
        green, red = m.display(self.limits.green), m.display(self.limits.red)
        if m.lower_is_better:
            return f"Green at or below {green}; red above {red}. Lower is better."
        return f"Green at or above {green}; red below {red}. Higher is better."

    def as_stored(self) -> dict[str, Any]:
        return {
            "value": self.value,
            "status": self.status,
            "green": self.limits.green,
            "red": self.limits.red,
            "lower_is_better": self.measure.lower_is_better,
            "reason": self.reason,
        }

    @classmethod
    def from_stored(cls, measure: Measure, stored: dict[str, Any]) -> Rating:
        return cls(
            measure,
            stored.get("value"),
            stored.get("status", NO_DATA),
            Limits(
                float(stored.get("green", measure.green)), float(stored.get("red", measure.red))
            ),
            stored.get("reason", ""),
        )


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


def from_stored(measures: dict[str, Any] | None) -> dict[str, Rating]:
    """A stored rating (RagResult.measures) as Ratings, in the measures' order.
    A measure added since the month was rated has no stored status: it reads
    "No data" for that month rather than a colour it never had."""
    measures = measures or {}
    out = {}
    for measure in MEASURE_LIST:
        stored = measures.get(measure.key)
        if stored is None:
            limits = Limits(float(measure.green), float(measure.red))
            out[measure.key] = Rating(measure, None, NO_DATA, limits)
        else:
            out[measure.key] = Rating.from_stored(measure, stored)
    return out
