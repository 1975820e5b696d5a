"""The six data-exchange files the demo writes, and the tally of what went in them.

Each part of the market (market.py, people.py, quality.py, ecm.py) writes its
own files with these helpers; build.py calls them in FILE_ORDER.
"""

from __future__ import annotations

import csv
from collections.abc import Iterable, Sequence
from dataclasses import dataclass, field
from datetime import date
from pathlib import Path
from typing import IO

from visits.models import ImportKind

# The files in the order they must be imported: each refers only to earlier ones.
FILE_ORDER: tuple[str, ...] = (
    ImportKind.PROVIDERS,
    ImportKind.CONTRACTS,
    ImportKind.PEOPLE,
    ImportKind.PACKAGES,
    ImportKind.REVIEWS,
    ImportKind.VISITS,
)
HEADERS: dict[str, tuple[str, ...]] = {
    ImportKind.PROVIDERS: (
        "provider_ref", "name", "cqc_provider_id", "cqc_location_id", "cqc_rating",
        "cqc_rating_date",
    ),
    ImportKind.CONTRACTS: (
        "contract_ref", "provider_ref", "framework", "lot", "start_date", "end_date",
        "hourly_rate",
    ),
    ImportKind.PEOPLE: ("person_ref", "lives_alone", "lacks_capacity", "postcode_district"),
    ImportKind.PACKAGES: (
        "package_ref", "person_ref", "provider_ref", "contract_ref", "start_date", "end_date",
        "planned_weekly_hours", "requested_at", "hospital_discharge", "time_critical",
    ),
    ImportKind.REVIEWS: ("review_ref", "package_ref", "review_date", "review_type"),
    ImportKind.VISITS: (
        "visit_id", "package_ref", "carer_ref", "planned_start", "planned_end",
        "actual_start", "actual_end", "status", "verification", "time_critical",
    ),
}  # fmt: skip


@dataclass
class DemoCounts:
    """What was built, for the command to report."""

    first_day: date
    last_day: date
    providers: int = 0
    framework_providers: int = 0
    contracts: int = 0
    people: int = 0
    packages: int = 0
    reviews: int = 0
    care_workers: int = 0
    visit_rows: int = 0
    visits: int = 0
    double_handed_visits: int = 0
    missed_visits: int = 0
    cancelled_visits: int = 0
    kpi_months: list[str] = field(default_factory=list)
    generate_seconds: float = 0.0
    import_seconds: float = 0.0
    kpi_seconds: float = 0.0


def csv_bool(value: bool | None) -> str:
    return "" if value is None else ("true" if value else "false")


def open_csv(directory: Path, kind: str) -> IO[str]:
    return (directory / f"{kind}.csv").open("w", encoding="utf-8", newline="")


def write_rows(directory: Path, kind: str, rows: Iterable[Sequence[object]]) -> None:
    """Write one file: its header, then the rows (drawn lazily, in order)."""
    with open_csv(directory, kind) as handle:
        writer = csv.writer(handle, lineterminator="\n")
        writer.writerow(HEADERS[kind])
        writer.writerows(rows)
