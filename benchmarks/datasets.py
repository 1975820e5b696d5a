"""Synthetic data for benchmarks: one month of ECM visits at the scale the
issues set (1M rows, about 800k visits), with the reference files it needs."""

from __future__ import annotations

import calendar
import csv
import random
from datetime import datetime, timedelta
from pathlib import Path

MONTH = (2026, 10)
PROVIDERS = 20
PEOPLE = 6_500
DOUBLE_HANDED_SHARE = 0.25
SLOTS = ((7, 30, 30), (12, 30, 30), (17, 0, 30), (21, 0, 30))


def write_reference_files(
    directory: Path,
    *,
    people: int = PEOPLE,
    providers: int = PROVIDERS,
    package_start: str = "2026-01-01",
) -> dict[str, Path]:
    """Providers, contracts, people and their packages. Nine packages in ten
    start on `package_start` (earlier for a benchmark with a long history, so
    its earlier months have packages active), the tenth in September 2026."""
    directory.mkdir(parents=True, exist_ok=True)
    kinds = ("providers", "contracts", "people", "packages")
    paths = {kind: directory / f"{kind}.csv" for kind in kinds}
    with paths["providers"].open("w", newline="") as f:
        w = csv.writer(f)
        w.writerow(["provider_ref", "name"])
        for p in range(providers):
            w.writerow([f"BP{p:02d}", f"Bench Provider {p}"])
    with paths["contracts"].open("w", newline="") as f:
        w = csv.writer(f)
        w.writerow(["contract_ref", "provider_ref", "framework", "lot", "start_date"])
        for p in range(providers):
            lot = f"Lot {p % 4 + 1}"
            w.writerow([f"BC{p:02d}", f"BP{p:02d}", "Bench Framework", lot, "2024-04-01"])
    with paths["people"].open("w", newline="") as f:
        w = csv.writer(f)
        w.writerow(["person_ref", "lives_alone", "lacks_capacity"])
        for n in range(people):
            w.writerow([f"BR{n:05d}", n % 2 == 0, n % 9 == 0])
    with paths["packages"].open("w", newline="") as f:
        w = csv.writer(f)
        w.writerow(["package_ref", "person_ref", "provider_ref", "contract_ref", "start_date"])
        for n in range(people):
            p = n % providers
            # Some packages start in the month, so six-week reviews fall due.
            start = package_start if n % 10 else f"2026-09-{n % 28 + 1:02d}"
            w.writerow([f"BK{n:05d}", f"BR{n:05d}", f"BP{p:02d}", f"BC{p:02d}", start])
    return paths


def write_visits(
    path: Path,
    rows: int = 1_000_000,
    seed: int = 2026,
    *,
    double_handed: float = DOUBLE_HANDED_SHARE,
    people: int = PEOPLE,
    providers: int = PROVIDERS,
    month: tuple[int, int] = MONTH,
    id_prefix: str = "BV",
) -> int:
    """Write about `rows` ECM rows for the month; returns the rows written.
    A real month has about one visit per row (few double-handed) and as many
    people as its visits need: pass people=rows // 124 (four calls a day)."""
    rng = random.Random(seed)
    year, month_number = month
    days = calendar.monthrange(year, month_number)[1]
    written = 0
    visit_no = 0
    with path.open("w", newline="") as f:
        w = csv.writer(f)
        w.writerow(
            [
                "visit_id",
                "package_ref",
                "carer_ref",
                "planned_start",
                "planned_end",
                "actual_start",
                "actual_end",
                "status",
                "verification",
            ]
        )
        day = 1
        while written < rows:
            for person in range(people):
                provider = person % providers
                for hour, minute, length in SLOTS:
                    if written >= rows:
                        return written
                    visit_no += 1
                    start = datetime(year, month_number, day, hour, minute)
                    end = start + timedelta(minutes=length)
                    fmt = "%Y-%m-%dT%H:%M:%S"
                    roll = rng.random()
                    status = (
                        "completed" if roll > 0.02 else ("missed" if roll > 0.01 else "cancelled")
                    )
                    carers = 2 if rng.random() < double_handed else 1
                    late = rng.choice((0, 2, 5, 8, 12, 20, 35, 70)) if status == "completed" else 0
                    for c in range(carers if status == "completed" else 1):
                        a_start = start + timedelta(minutes=late + c)
                        a_end = a_start + timedelta(minutes=length - rng.randint(0, 12))
                        done = status == "completed"
                        w.writerow(
                            [
                                f"{id_prefix}{visit_no:08d}",
                                f"BK{person:05d}",
                                f"C{provider:02d}-{(person * 7 + c * 13 + day) % 90:03d}"
                                if done
                                else "",
                                start.strftime(fmt),
                                end.strftime(fmt),
                                a_start.strftime(fmt) if done else "",
                                a_end.strftime(fmt) if done else "",
                                status,
                                "ecm" if rng.random() < 0.9 else "manual",
                            ]
                        )
                        written += 1
            day = day % days + 1
    return written
