"""Every KPI by name: what commissioners call it, its unit, what it means and
which way is better. Pages, the CSV and PDF exports, the packs, the RAG rules
and the thresholds pages all read their labels here, so a figure is called
the same everywhere (issue 11).

Stored figures keep the export's units (rates as fractions, hours as decimal
hours); `Kpi.value` gives a figure in the unit people read (percentages as
12.5, not 0.125), which is also the unit RAG limits are set in. How a value is
written out (21,115; 12.5%; 10 hours 30 minutes) is homecare/ui/formats.py.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass
from typing import Any

# Units, as homecare/ui/formats.py writes them.
COUNT = "count"  # a whole number: 21,115
PERCENT = "percent"  # stored as a fraction, read as a percentage: 12.5%
HOURS = "hours"  # decimal hours, read as hours and minutes
MEAN = "mean"  # an average, to two decimal places: 3.47
MINUTES = "minutes"
DAYS = "days"
SHARE = "share"  # a threshold fraction, read as a percentage: 0.10 is 10%


@dataclass(frozen=True)
class Kpi:
    key: str
    label: str
    unit: str
    help: str
    # True: lower is better (late visits); False: higher is better; None: a volume.
    lower_is_better: bool | None = None
    # A share worked out from two stored figures (numerator, denominator); such
    # a figure is shown and rated but not exported.
    share_of: tuple[str, str] | None = None
    # What one of it is called, for "1 person" / "3 people".
    noun: tuple[str, str] | None = None

    @property
    def exported(self) -> bool:
        return self.share_of is None

    def value(self, figures: Mapping[str, Any] | None) -> float | None:
        """The figure in the unit people read, rounded so a stored 0.1 compares
        as exactly 10.0 with a limit; None where there was nothing to measure."""
        figures = figures or {}
        if self.share_of:
            numerator, denominator = (figures.get(key) for key in self.share_of)
            if not denominator or numerator is None:
                return None
            return round(float(numerator) / float(denominator) * 100, 2)
        raw = figures.get(self.key)
        if raw is None:
            return None
        if self.unit == PERCENT:
            return round(float(raw) * 100, 2)
        return round(float(raw), 2)


VISITS = ("visit", "visits")
PEOPLE = ("person", "people")
PACKAGES = ("care package", "care packages")

# In the order of the export (shared/specs/kpi-definitions.md).
EXPORTED: tuple[Kpi, ...] = (
    Kpi(
        "scheduled_visits",
        "Scheduled visits",
        COUNT,
        "Visits planned in the month; cancelled visits count nowhere.",
        noun=VISITS,
    ),
    Kpi(
        "delivered_visits",
        "Delivered visits",
        COUNT,
        "Scheduled visits that were completed.",
        noun=VISITS,
    ),
    Kpi(
        "late_visits",
        "Number of late visits",
        COUNT,
        "Delivered visits that started more than 30 minutes after the planned time.",
        lower_is_better=True,
        noun=VISITS,
    ),
    Kpi(
        "missed_visits",
        "Number of missed visits",
        COUNT,
        "Visits recorded as missed, and delivered visits that started over an hour late.",
        lower_is_better=True,
        noun=VISITS,
    ),
    Kpi(
        "late_visit_rate",
        "Late visits",
        PERCENT,
        "Share of delivered visits starting more than 30 minutes late.",
        lower_is_better=True,
    ),
    Kpi(
        "missed_visit_rate",
        "Missed visits",
        PERCENT,
        "Share of scheduled visits missed or over an hour late.",
        lower_is_better=True,
    ),
    Kpi(
        "short_visits",
        "Short visits",
        COUNT,
        "Delivered visits lasting less than three quarters of their planned time.",
        lower_is_better=True,
        noun=VISITS,
    ),
    Kpi(
        "visits_under_30_min",
        "Visits planned under 30 minutes",
        COUNT,
        "NICE guidance allows visits under 30 minutes only in narrow cases.",
        lower_is_better=True,
        noun=VISITS,
    ),
    Kpi(
        "visits_15_min_or_less",
        "Visits planned for 15 minutes or less",
        COUNT,
        "Of the visits planned under 30 minutes, those of 15 minutes or less.",
        lower_is_better=True,
        noun=VISITS,
    ),
    Kpi(
        "planned_hours",
        "Planned hours",
        HOURS,
        "The planned length of every scheduled visit, added up.",
    ),
    Kpi(
        "delivered_hours",
        "Delivered hours",
        HOURS,
        "The actual length of every delivered visit, added up.",
    ),
    Kpi(
        "ecm_verified_rate",
        "Visits verified by call monitoring",
        PERCENT,
        "Delivered visits whose times call monitoring recorded. Below 85% the visit "
        "times themselves are in doubt.",
        lower_is_better=False,
    ),
    Kpi(
        "people_supported",
        "People supported",
        COUNT,
        "People with at least one scheduled visit in the month.",
        noun=PEOPLE,
    ),
    Kpi(
        "people_late_over_10pct",
        "People with a late visit more than 10% of the time",
        COUNT,
        "People for whom more than 10% of their delivered visits were late.",
        lower_is_better=True,
        noun=PEOPLE,
    ),
    Kpi(
        "people_late_over_10pct_living_alone",
        "People living alone with a late visit more than 10% of the time",
        COUNT,
        "Of the people late more than 10% of the time, those recorded as living alone.",
        lower_is_better=True,
        noun=PEOPLE,
    ),
    Kpi(
        "people_late_over_10pct_lacking_capacity",
        "People lacking capacity with a late visit more than 10% of the time",
        COUNT,
        "Of the people late more than 10% of the time, those recorded as lacking capacity.",
        lower_is_better=True,
        noun=PEOPLE,
    ),
    Kpi(
        "mean_carers_per_person",
        "Mean carers per person",
        MEAN,
        "Continuity of care: distinct care workers each person saw in the month.",
        lower_is_better=True,
    ),
    Kpi(
        "people_over_carer_limit",
        "People over the carer limit",
        COUNT,
        "People who saw more care workers than the limit for their number of visits "
        "(at least 4, one more for every 10 visits).",
        lower_is_better=True,
        noun=PEOPLE,
    ),
    Kpi(
        "reviews_due",
        "Six-week reviews due",
        COUNT,
        "Care packages whose six-week review fell due in the month.",
        noun=PACKAGES,
    ),
    Kpi(
        "reviews_on_time",
        "Six-week reviews on time",
        COUNT,
        "Of the reviews due, those done by their due date.",
        lower_is_better=False,
        noun=PACKAGES,
    ),
    Kpi(
        "six_week_reviews_overdue",
        "Six-week reviews overdue",
        COUNT,
        "Care packages past their six-week review date at month end with no review.",
        lower_is_better=True,
        noun=PACKAGES,
    ),
    Kpi(
        "annual_reviews_overdue",
        "Annual reviews overdue",
        COUNT,
        "Care packages whose last review was more than a year before month end.",
        lower_is_better=True,
        noun=PACKAGES,
    ),
    # Care standards (issue 15; kpi-definitions.md "Care standards (second edition)").
    Kpi(
        "time_critical_visits",
        "Time-critical visits",
        COUNT,
        "Scheduled visits that must start on time (medication, insulin, meals): the "
        "visit or its care package is marked time-critical.",
        noun=VISITS,
    ),
    Kpi(
        "time_critical_outside_window",
        "Time-critical visits outside their window",
        COUNT,
        "Time-critical visits missed, or started more than 30 minutes before or after "
        "the planned time.",
        lower_is_better=True,
        noun=VISITS,
    ),
    Kpi(
        "time_critical_outside_rate",
        "Time-critical visits outside their window (share)",
        PERCENT,
        "Share of time-critical visits missed or started outside their window.",
        lower_is_better=True,
    ),
    Kpi(
        "visits_under_30_min_delivered",
        "Delivered visits planned under 30 minutes",
        COUNT,
        "Delivered visits whose planned length is under 30 minutes.",
        noun=VISITS,
    ),
    Kpi(
        "visits_under_30_min_known_carer",
        "Visits under 30 minutes by a known care worker",
        COUNT,
        "Of the delivered visits under 30 minutes, those with a care worker the person "
        "had seen within the previous 28 days (NICE NG21).",
        lower_is_better=False,
        noun=VISITS,
    ),
    Kpi(
        "visits_under_30_min_known_carer_rate",
        "Visits under 30 minutes by a known care worker (share)",
        PERCENT,
        "Share of delivered visits under 30 minutes with a care worker known to the "
        "person. NICE NG21 allows short visits only with a worker the person knows.",
        lower_is_better=False,
    ),
    Kpi(
        "missed_visits_living_alone",
        "Missed visits of people living alone",
        COUNT,
        "Missed visits (including those over an hour late) of people recorded as living alone.",
        lower_is_better=True,
        noun=VISITS,
    ),
    Kpi(
        "missed_visits_lacking_capacity",
        "Missed visits of people lacking capacity",
        COUNT,
        "Missed visits of people recorded as lacking capacity for care decisions.",
        lower_is_better=True,
        noun=VISITS,
    ),
    Kpi(
        "missed_visits_living_alone_lacking_capacity",
        "Missed visits of people living alone and lacking capacity",
        COUNT,
        "Missed visits of people recorded both as living alone and as lacking capacity: "
        "each one is listed for follow-up.",
        lower_is_better=True,
        noun=VISITS,
    ),
)

# Shares worked out from two exported figures, for the RAG measures.
DERIVED: tuple[Kpi, ...] = (
    Kpi(
        "people_late_share",
        "Share of people with a late visit more than 10% of the time",
        PERCENT,
        "Share of people supported who had a late visit more than 10% of the time.",
        lower_is_better=True,
        share_of=("people_late_over_10pct", "people_supported"),
    ),
    Kpi(
        "delivered_hours_share",
        "Delivered against planned hours",
        PERCENT,
        "Hours delivered as a share of hours planned.",
        lower_is_better=False,
        share_of=("delivered_hours", "planned_hours"),
    ),
)

KPIS: dict[str, Kpi] = {kpi.key: kpi for kpi in (*EXPORTED, *DERIVED)}
# The keys of `export_kpis`, in its order; the engine stores exactly these.
FIGURE_KEYS: tuple[str, ...] = tuple(kpi.key for kpi in EXPORTED)


def kpi(key: str) -> Kpi:
    return KPIS[key]


# --- the thresholds behind the definitions (homecare/kpis/thresholds.py) -------------


@dataclass(frozen=True)
class Threshold:
    key: str
    label: str  # in a form
    short_label: str  # a table's column heading
    unit: str
    help: str = ""

    @property
    def heading(self) -> str:
        """A table's column heading, naming the unit its bare numbers are in."""
        suffix = {MINUTES: " (minutes)", DAYS: " (days)"}.get(self.unit, "")
        return self.short_label + suffix


THRESHOLDS: dict[str, Threshold] = {
    t.key: t
    for t in (
        Threshold(
            "late_after_minutes",
            "Late after (minutes)",
            "Late after",
            MINUTES,
            "A visit starting more than this late is late.",
        ),
        Threshold(
            "missed_after_minutes",
            "Missed after (minutes)",
            "Missed after",
            MINUTES,
            "A visit starting more than this late counts as missed.",
        ),
        Threshold(
            "person_late_share",
            "Share of a person's visits late before they are reported",
            "Person late share",
            SHARE,
            "People late more than this share of their visits are reported (0.10 = 10%).",
        ),
        Threshold(
            "short_visit_ratio",
            "Short visit: less than this share of the planned time",
            "Short visit ratio",
            SHARE,
            "A visit lasting less than this share of its planned time is short.",
        ),
        Threshold(
            "min_carer_limit",
            "Carer limit: at least this many care workers",
            "Carer limit at least",
            COUNT,
        ),
        Threshold(
            "visits_per_carer",
            "Carer limit: one more care worker allowed for every so many visits",
            "Visits per carer",
            COUNT,
        ),
        Threshold(
            "review_due_days",
            "Six-week review due after (days)",
            "Review due after",
            DAYS,
            "Days from a package's start to its first review.",
        ),
        Threshold(
            "time_critical_window_minutes",
            "Time-critical window (minutes either side of the planned time)",
            "Time-critical window",
            MINUTES,
            "A time-critical visit starting more than this early or late is outside its window.",
        ),
        Threshold(
            "known_carer_days",
            "Known care worker: seen within this many days before",
            "Known carer within",
            DAYS,
            "A care worker on a visit to the person within this many days before is known "
            "to them (NICE NG21).",
        ),
    )
}
