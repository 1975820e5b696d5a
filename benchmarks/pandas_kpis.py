"""The core visit KPIs of kpi-definitions.md computed with pandas straight from an
ECM visits CSV, as a yardstick for the database engine (homecare/kpis/engine.py).

    python benchmarks/pandas_kpis.py VISITS_CSV [--packages PACKAGES_CSV] [--month YYYY-MM]

Default thresholds only. Without a packages file each package stands for its
person (true of the benchmark data: one package per person). Prints the figures,
the time taken and the process's peak RSS as JSON.
"""

from __future__ import annotations

import argparse
import json
import math
import resource
import time

import pandas as pd

LATE = pd.Timedelta(minutes=30)
MISSED = pd.Timedelta(minutes=60)
PERSON_LATE_SHARE = 0.10
SHORT_RATIO = 0.75
MIN_CARER_LIMIT, VISITS_PER_CARER = 4, 10


def _to_utc(column: pd.Series) -> pd.Series:
    """ISO date-times as UTC: an offset means that instant; a naive time is London
    wall time, the first (BST) occurrence in the repeated hour."""
    text = column.astype("string")
    has_offset = text.str.contains(r"(?:Z|[+-]\d\d:?\d\d)$", regex=True, na=False)
    out = pd.Series(pd.NaT, index=column.index, dtype="datetime64[ns, UTC]")
    if has_offset.any():
        out[has_offset] = pd.to_datetime(text[has_offset], utc=True, format="ISO8601")
    naive = ~has_offset & text.notna() & (text.str.len() > 0)
    if naive.any():
        local = pd.to_datetime(text[naive], format="ISO8601")
        out[naive] = local.dt.tz_localize(
            "Europe/London", ambiguous=True, nonexistent="raise"
        ).dt.tz_convert("UTC")
    return out


def compute(visits_csv: str, packages_csv: str | None, month: str | None) -> dict:
    rows = pd.read_csv(
        visits_csv,
        dtype="string",
        usecols=lambda c: (
            c
            in {
                "visit_id",
                "package_ref",
                "carer_ref",
                "planned_start",
                "planned_end",
                "actual_start",
                "actual_end",
                "status",
                "verification",
            }
        ),
    )
    for column in ("planned_start", "planned_end", "actual_start", "actual_end"):
        rows[column] = _to_utc(rows[column])
    rows["status"] = rows["status"].str.strip().str.lower()
    rows["ecm"] = rows["verification"].fillna("").str.strip().str.lower().eq("ecm")
    # One visit per (package, visit_id): a double-handed visit starts when the last
    # carer arrives and ends when the last one leaves.
    visits = rows.groupby(["package_ref", "visit_id"], sort=False).agg(
        planned_start=("planned_start", "first"),
        planned_end=("planned_end", "first"),
        actual_start=("actual_start", "max"),
        actual_end=("actual_end", "max"),
        status=("status", "first"),
        ecm=("ecm", "all"),
    )
    visits = visits.reset_index()
    local_month = visits["planned_start"].dt.tz_convert("Europe/London").dt.strftime("%Y-%m")
    month = month or local_month.mode().iat[0]
    visits = visits[(local_month == month) & (visits["status"] != "cancelled")]
    if packages_csv:
        packages = pd.read_csv(packages_csv, dtype="string", usecols=["package_ref", "person_ref"])
        visits = visits.merge(packages, on="package_ref", how="left")
    else:
        visits = visits.assign(person_ref=visits["package_ref"])

    delivered = visits["status"].eq("completed")
    lateness = visits["actual_start"] - visits["planned_start"]
    late = delivered & (lateness > LATE)
    missed = visits["status"].eq("missed") | (delivered & (lateness > MISSED))
    actual = visits["actual_end"] - visits["actual_start"]
    planned = visits["planned_end"] - visits["planned_start"]
    short = delivered & (actual < planned * SHORT_RATIO)

    per_person = (
        visits.assign(delivered=delivered, late=late)[delivered]
        .groupby("person_ref")[["delivered", "late"]]
        .sum()
    )
    people_late = int((per_person["late"] > per_person["delivered"] * PERSON_LATE_SHARE).sum())

    delivered_keys = visits.loc[delivered, ["package_ref", "visit_id", "person_ref"]]
    carer_rows = rows[["package_ref", "visit_id", "carer_ref"]].merge(
        delivered_keys, on=["package_ref", "visit_id"]
    )
    carers = carer_rows.groupby("person_ref")["carer_ref"].nunique()
    limits = per_person["delivered"].map(
        lambda n: max(MIN_CARER_LIMIT, math.ceil(n / VISITS_PER_CARER))
    )
    over_limit = int((carers.reindex(limits.index, fill_value=0) > limits).sum())

    n_scheduled, n_delivered = len(visits), int(delivered.sum())
    return {
        "month": month,
        "scheduled_visits": n_scheduled,
        "delivered_visits": n_delivered,
        "late_visits": int(late.sum()),
        "missed_visits": int(missed.sum()),
        "short_visits": int(short.sum()),
        "late_visit_rate": round(int(late.sum()) / n_delivered, 4) if n_delivered else None,
        "missed_visit_rate": round(int(missed.sum()) / n_scheduled, 4) if n_scheduled else None,
        "people_late_over_10pct": people_late,
        "mean_carers_per_person": round(float(carers.mean()), 2) if len(carers) else None,
        "people_over_carer_limit": over_limit,
    }


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("visits_csv")
    parser.add_argument("--packages")
    parser.add_argument("--month", help="YYYY-MM (default: the month most visits fall in)")
    args = parser.parse_args()
    started = time.perf_counter()
    figures = compute(args.visits_csv, args.packages, args.month)
    seconds = time.perf_counter() - started
    peak_kib = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss
    print(
        json.dumps(
            {
                "figures": figures,
                "seconds": round(seconds, 3),
                "peak_rss_mib": round(peak_kib / 1024, 1),
            },
            indent=2,
        )
    )


if __name__ == "__main__":
    main()
