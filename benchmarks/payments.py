"""The payment schedule of the 1M-row benchmark month (issue 13): under 5 s and
300 MB, computed in the database.

`python -m benchmarks.run --only payments` runs this step alone: a fresh
database, the benchmark's reference files with payment terms added (half the
contracts on the verified basis, some with 15-minute rounding, all paying
short-notice cancellations) and a rate change in the middle of the month, the
1M-row visits file imported, then `manage.py export_payments` timed in a
process of its own. BENCH_ROWS makes a smaller run (the rest is the same).
"""

from __future__ import annotations

import csv
import json
import os
from pathlib import Path

from benchmarks.common import MONTH, ROOT, WORK, Measured, env_for, manage, measure, reset_database

SECTION = "## Payment schedule (issue 13)"


def _payment_terms(paths: dict[str, Path]) -> Path:
    """Rewrite contracts.csv with payment terms; write contract_rates.csv."""
    with paths["contracts"].open(newline="") as f:
        rows = list(csv.DictReader(f))
    header = [*rows[0], "hourly_rate", "payment_basis", "rounding_minutes", "short_notice_hours"]
    with paths["contracts"].open("w", newline="") as f:
        writer = csv.DictWriter(f, header, extrasaction="ignore")
        writer.writeheader()
        for n, row in enumerate(rows):
            row["hourly_rate"] = f"{22.50 + n * 0.17:.2f}"
            row["payment_basis"] = "verified" if n % 2 else "planned"
            row["rounding_minutes"] = "15" if n % 4 == 1 else ""
            row["short_notice_hours"] = "24"
            writer.writerow(row)
    rates = WORK / "visits-1m" / "contract_rates.csv"
    with rates.open("w", newline="") as f:
        writer = csv.writer(f)
        writer.writerow(["contract_ref", "effective_from", "hourly_rate"])
        for n, row in enumerate(rows):
            writer.writerow([row["contract_ref"], f"{MONTH}-15", f"{23.40 + n * 0.17:.2f}"])
    return rates


def bench(url: str) -> dict:
    from benchmarks.datasets import write_reference_files, write_visits

    env = env_for(url)
    reset_database(url)
    measure(manage("migrate", "--noinput", "-v0"), env)
    data = WORK / "visits-1m"
    paths = write_reference_files(data)
    rates = _payment_terms(paths)
    visits = data / "visits.csv"
    rows = write_visits(visits, rows=int(os.environ.get("BENCH_ROWS", 1_000_000)))
    for kind in ("providers", "contracts", "people", "packages"):
        measure(manage("import_csv", kind, str(paths[kind])), env)
    measure(manage("import_csv", "contract_rates", str(rates)), env)
    measure(manage("import_csv", "visits", str(visits)), env)
    start = measure(manage("check", "--fail-level", "ERROR"), env)
    first = measure(manage("export_payments", "--month", MONTH), env)
    again = measure(manage("export_payments", "--month", MONTH), env)
    document = json.loads(again.output[again.output.index("{") :])
    return {
        "rows": rows,
        "start": start,
        "first": first,
        "again": again,
        "providers": len(document["providers"]),
        "packages": sum(len(p["packages"]) for p in document["providers"]),
        "amount": sum(float(p["amount"]) for p in document["providers"]),
        "exceptions": sum(p["exceptions"] for p in document["providers"]),
    }


def _row(name: str, run: Measured, target: str) -> str:
    return f"| {name} | {run.seconds:.2f} s | {run.peak_mb:.0f} MB | {target} |"


def write_section(results: dict, path: Path = ROOT / "docs" / "benchmarks.md") -> Path:
    lines = [
        SECTION,
        "",
        f"`manage.py export_payments --month {MONTH}` over the benchmark month "
        f"({results['rows']:,} ECM rows; half the contracts paid on ECM-verified hours, a "
        "quarter of those rounded to 15 minutes, a rate change on the 15th), in a process "
        "of its own: Django's start, one SQL query that works out every visit's payable "
        "seconds and rate and sums them per care package, and the JSON. "
        f"{results['providers']} providers, {results['packages']:,} package lines, "
        f"£{results['amount']:,.2f}, {results['exceptions']:,} exceptions. "
        "`python -m benchmarks.run --only payments` runs this step alone.",
        "",
        "| step | time | peak memory | target |",
        "| --- | --- | --- | --- |",
        _row("Django start only (`manage.py check`)", results["start"], "(reference)"),
        _row("payment schedule, first run", results["first"], "< 5 s, < 300 MB"),
        _row("payment schedule, again", results["again"], "< 5 s, < 300 MB"),
        "",
    ]
    text = path.read_text() if path.exists() else "# Benchmarks\n"
    head, found, rest = text.partition(SECTION)
    parts = [head.rstrip("\n"), "\n".join(lines)]
    if found and "\n## " in rest:
        parts.append(rest[rest.find("\n## ") :].strip("\n"))
    path.write_text("\n\n".join(parts) + "\n")
    return path
