"""Returns filled in as a provider would."""

from __future__ import annotations

from decimal import Decimal
from typing import Any

FULL_ANSWERS: dict[str, Any] = {
    "complaints_received": 4,
    "complaints_upheld": 1,
    "compliments": 9,
    "safeguarding_concerns": 2,
    "incidents": 3,
    "care_workers_headcount": 80,
    "care_workers_fte": Decimal("61.5"),
    "starters": 5,
    "leavers": 4,
    "vacancies": 8,
    "agency_hours_share": Decimal("6"),
    "lowest_hourly_pay": Decimal("12.80"),
    "median_hourly_pay": Decimal("13.20"),
    "zero_hours_share": Decimal("25"),
    "travel_time_paid": True,
    "care_certificate_completions": 3,
    "comment": "",
}

# The same answers as the question pages post them.
PAGES = {
    "complaints": {
        "complaints_received": "4",
        "complaints_upheld": "1",
        "compliments": "9",
        "safeguarding_concerns": "2",
        "incidents": "3",
    },
    "workforce": {
        "care_workers_headcount": "80",
        "care_workers_fte": "61.5",
        "starters": "5",
        "leavers": "4",
        "vacancies": "8",
        "agency_hours_share": "6",
    },
    "pay": {
        "lowest_hourly_pay": "12.80",
        "median_hourly_pay": "13.20",
        "zero_hours_share": "25",
        "travel_time_paid": "yes",
        "care_certificate_completions": "3",
    },
    "comment": {"comment": "Two carers on long-term sick leave."},
}
