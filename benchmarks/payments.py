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

from benchmarks.common import (
    MONTH,
    PY,
    ROOT,
    WORK,
    Measured,
    env_for,
    manage,
    measure,
    reset_database,
)

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


# The database's own CPU time for the schedule's query, run without parallel
# workers: on a machine shared with other work the wall clock measures the
# contention as much as the query, and this does not.
BACKEND_CPU = """
import os, django, time
django.setup()
from django.db import connection, transaction
from common.months import Month
from homecare.payments.selectors import payment_schedule
tick = os.sysconf("SC_CLK_TCK")
with connection.cursor() as cursor:
    cursor.execute("SELECT pg_backend_pid()")
    pid = cursor.fetchone()[0]
def cpu():
    fields = open(f"/proc/{pid}/stat").read().rsplit(")", 1)[1].split()
    return (int(fields[11]) + int(fields[12])) / tick
with transaction.atomic(), connection.cursor() as cursor:
    cursor.execute("SET LOCAL max_parallel_workers_per_gather = 0")
    before = cpu()
    payment_schedule(Month.parse(os.environ["BENCH_MONTH"]))
    print(cpu() - before)
"""


def bench(url: str) -> dict:
    from benchmarks.datasets import write_reference_files, write_visits

    env = env_for(url)
    data = WORK / "visits-1m"
    visits = data / "visits.csv"
    if os.environ.get("BENCH_REUSE") and visits.exists():
        # The database of an earlier run, as it was left (for re-measuring only).
        rows = sum(1 for _ in visits.open()) - 1
    else:
        reset_database(url)
        measure(manage("migrate", "--noinput", "-v0"), env)
        paths = write_reference_files(data)
        rates = _payment_terms(paths)
        rows = write_visits(visits, rows=int(os.environ.get("BENCH_ROWS", 1_000_000)))
        for kind in ("providers", "contracts", "people", "packages"):
            measure(manage("import_csv", kind, str(paths[kind])), env)
        measure(manage("import_csv", "contract_rates", str(rates)), env)
        measure(manage("import_csv", "visits", str(visits)), env)
    start = measure(manage("check", "--fail-level", "ERROR"), env)
    first = measure(manage("export_payments", "--month", MONTH), env)
    again = measure(manage("export_payments", "--month", MONTH), env)
    document = json.loads(again.output[again.output.index("{") :])
    backend = measure([PY, "-c", BACKEND_CPU], {**env, "BENCH_MONTH": MONTH})
    return {
        "backend_cpu": float(backend.output.strip().splitlines()[-1]),
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
        "of its own: Django's start, one SQL query that works out every visit's (and "
        "verified care worker's) payable seconds, sums them per care package and day, "
        "prices each day at its dated rate and sums per package; then the JSON. "
        f"{results['providers']} providers, {results['packages']:,} package lines, "
        f"£{results['amount']:,.2f}, {results['exceptions']:,} exceptions. "
        "`python -m benchmarks.run --only payments` runs this step alone (with "
        "DATABASE_URL set; BENCH_ROWS for a smaller month).",
        "",
        "| step | time | peak memory | target |",
        "| --- | --- | --- | --- |",
        _row("Django start only (`manage.py check`)", results["start"], "(reference)"),
        _row("payment schedule, first run", results["first"], "< 5 s, < 300 MB"),
        _row("payment schedule, again", results["again"], "< 5 s, < 300 MB"),
        "",
        f"The database's own CPU time for the schedule's query, run on one core: "
        f"**{results['backend_cpu']:.1f} s**. {_load_note()}",
        "",
    ]
    text = path.read_text() if path.exists() else "# Benchmarks\n"
    head, found, rest = text.partition(SECTION)
    parts = [head.rstrip("\n"), "\n".join(lines)]
    if found and "\n## " in rest:
        parts.append(rest[rest.find("\n## ") :].strip("\n"))
    path.write_text("\n\n".join(parts) + "\n")
    return path


def _load_note() -> str:
    load = os.getloadavg()[0]
    cores = os.cpu_count() or 1
    return (
        f"The machine's load average was {load:.1f} on {cores} cores when this ran: "
        "wall times above include waiting for the CPU behind other work, and Django's "
        "start alone shows by how much (about 1 s on an idle machine)."
    )
