"""`python -m benchmarks.run --only import`: the visits import beside a raw
PostgreSQL COPY of the same file with every time parsed (issue 16, item 0).

Both run in the same session of the same machine, one after the other, each in
a process of its own, on two files: one shaped like a real month (about one
visit per row, few double-handed) and the benchmark file of `make bench` (a
quarter of visits double-handed). The import is timed inside its process
(Django's start-up left out, as the raw COPY has none) and the whole command
too; the ratio is import time over raw time, the issue's target at most 2.5.
"""

from __future__ import annotations

import json
import os
from pathlib import Path

from benchmarks.common import (
    PY,
    ROOT,
    WORK,
    connect,
    env_for,
    manage,
    measure,
    reset_database,
)
from benchmarks.datasets import PEOPLE, write_reference_files, write_visits

SECTION = "## Importing at the database's speed (issue 16)"
TARGET_RATIO = 2.5
# name: (rows, double-handed share, people, providers)
ROWS = int(os.environ.get("BENCH_IMPORT_ROWS", "1000000"))
FILES = {
    "real-month": (ROWS, 0.03, max(ROWS // 124, 100), 20),
    "benchmark": (ROWS, 0.25, PEOPLE, 20),
}

# CPU seconds of this process and of its PostgreSQL backend (same machine):
# on a machine shared with other work, wall time says how busy it was, CPU
# time what the step itself cost.
CPU = """
import os, resource
TICK = os.sysconf("SC_CLK_TCK")
def cpu(backend):
    with open(f"/proc/{backend}/stat") as f:
        fields = f.read().rsplit(")", 1)[1].split()
    server = (int(fields[11]) + int(fields[12])) / TICK
    usage = resource.getrusage(resource.RUSAGE_SELF)
    return usage.ru_utime + usage.ru_stime, server
"""

RAW_SCRIPT = (
    CPU
    + """
import json, sys, time, psycopg2
url, path = sys.argv[1:3]
conn = psycopg2.connect(url)
cur = conn.cursor()
cur.execute("SELECT pg_backend_pid()")
backend = cur.fetchone()[0]
cur.execute("SET TimeZone = 'Europe/London'")
cur.execute('''CREATE TEMPORARY TABLE raw_visits (visit_id text, package_ref text,
    carer_ref text, planned_start timestamptz, planned_end timestamptz,
    actual_start timestamptz, actual_end timestamptz, status text, verification text)''')
client0, server0 = cpu(backend)
started = time.perf_counter()
with open(path, "rb") as f:
    cur.copy_expert("COPY raw_visits FROM STDIN WITH (FORMAT csv, HEADER true)", f, size=1 << 16)
conn.commit()
seconds = time.perf_counter() - started
client1, server1 = cpu(backend)
print(json.dumps({"seconds": seconds, "rows": cur.rowcount, "client_cpu": client1 - client0,
                  "server_cpu": server1 - server0}))
"""
)

IMPORT_SCRIPT = (
    CPU
    + """
import json, sys, time, django
django.setup()
from django.db import connection
from visits.imports import import_visits
with connection.cursor() as cursor:
    cursor.execute("SELECT pg_backend_pid()")
    backend = cursor.fetchone()[0]
client0, server0 = cpu(backend)
started = time.perf_counter()
with open(sys.argv[1], "rb") as f:
    result = import_visits(f, path=sys.argv[2])
seconds = time.perf_counter() - started
client1, server1 = cpu(backend)
print(json.dumps({"seconds": seconds, "rows": result.rows, "summary": result.summary,
                  "client_cpu": client1 - client0, "server_cpu": server1 - server0}))
"""
)


def _last_json(text: str) -> dict:
    return json.loads(text.strip().splitlines()[-1])


def dataset(name: str, rows: int, double: float, people: int, providers: int) -> dict:
    directory = WORK / f"visits-{name}-{rows}"
    paths = write_reference_files(directory, people=people, providers=providers)
    visits = directory / "visits.csv"
    if not visits.exists():
        write_visits(visits, rows, double_handed=double, people=people, providers=providers)
    return {"paths": paths, "visits": visits}


def _run(script: list[str], env: dict) -> dict:
    # The machine's 1-minute load average before and after: on a shared
    # machine it says how much of the wall time was waiting for a core.
    load = os.getloadavg()[0]
    out = measure(script, env)
    return {**_last_json(out.output), "peak_mb": out.peak_mb, "load": [load, os.getloadavg()[0]]}


def bench_file(url: str, files: dict, env: dict) -> dict:
    """Raw COPY, then the import into empty tables and again (every visit an
    update), then the Python path into empty tables, for reference."""
    visits = str(files["visits"])
    raw = _run([PY, "-c", RAW_SCRIPT, url, visits], env)
    truncate_visits(url)
    first = _run([PY, "-c", IMPORT_SCRIPT, visits, "auto"], env)
    again = _run([PY, "-c", IMPORT_SCRIPT, visits, "auto"], env)
    truncate_visits(url)
    python = _run([PY, "-c", IMPORT_SCRIPT, visits, "python"], env)
    return {
        "file_mb": files["visits"].stat().st_size / 1e6,
        "raw": raw,
        "first": first,
        "again": again,
        "python": python,
    }


def truncate_visits(url: str) -> None:
    """Empty the visit tables, so each file's first import is into empty ones."""
    conn = connect(url)
    with conn, conn.cursor() as cursor:
        cursor.execute("TRUNCATE visits_visitcarer, visits_visit, visits_careworker")
    conn.close()


def bench(url: str, names: list[str] | None = None) -> dict:
    env = env_for(url)
    reset_database(url)
    measure(manage("migrate", "--noinput", "-v0"), env)
    results = {}
    loaded: set[tuple[int, int]] = set()
    for name in names or list(FILES):
        rows, double, people, providers = FILES[name]
        files = dataset(name, rows, double, people, providers)
        if (people, providers) not in loaded:
            for kind in ("providers", "contracts", "people", "packages"):
                measure(manage("import_csv", kind, str(files["paths"][kind])), env)
            loaded.add((people, providers))
        results[name] = {"rows": rows, "double": double, **bench_file(url, files, env)}
    return results


STEPS = {
    "raw": "raw COPY and parse",
    "first": "import (PostgreSQL path), into empty tables",
    "again": "same file again (every visit an update)",
    "python": "import (Python path), into empty tables",
}


def _cpu(run: dict) -> float:
    return run["client_cpu"] + run["server_cpu"]


def section(results: dict) -> list[str]:
    loads = [load for r in results.values() for step in STEPS for load in r[step]["load"]]
    lines = [
        SECTION,
        "",
        "On PostgreSQL the visits import COPYs a plain file (the usual ECM shape, checked "
        "against a pattern as it streams) straight into a table whose time columns "
        "PostgreSQL parses, checks the rest of the rules in the statement that stages it and "
        "groups only the visits that have several rows (visits/pgfast.py); any other file "
        "is staged from its raw text and checked in SQL, the rows SQL does not take going "
        "through the Python rules for their messages (visits/pgstage.py, visits/sqlcheck.py). "
        "Beside it, in the same run: a raw `COPY` of the same file into a table whose four "
        "time columns are `timestamptz` (every time parsed by PostgreSQL, in London time), "
        "nothing else; and the Python path (every row checked in Python, as SQLite still "
        "takes). Times are measured inside each process, Django's start-up left out. This "
        f"machine is shared (2 cores; its load average was {min(loads):.1f} to "
        f"{max(loads):.1f} while these ran), so each step's CPU time (the process and its "
        "PostgreSQL backend, from /proc) is shown beside its wall time: CPU is what the "
        "step costs, wall time how long it waited as well.",
        "",
        "| file | step | wall | CPU (client + server) | rows/s (wall) | × raw (wall) "
        "| × raw (CPU) | peak memory | load |",
        "| --- | --- | --- | --- | --- | --- | --- | --- | --- |",
    ]
    for name, r in results.items():
        raw = r["raw"]
        shape = (
            f"{name}: {r['rows']:,} rows, {r['file_mb']:.0f} MB, {r['double']:.0%} double-handed"
        )
        for step, label in STEPS.items():
            run = r[step]
            lines.append(
                f"| {shape} | {label} | {run['seconds']:.1f} s | {run['client_cpu']:.1f} + "
                f"{run['server_cpu']:.1f} s | {r['rows'] / run['seconds']:,.0f} | "
                f"{run['seconds'] / raw['seconds']:.2f}× | {_cpu(run) / _cpu(raw):.2f}× | "
                f"{run['peak_mb']:.0f} MB | {run['load'][0]:.1f}–{run['load'][1]:.1f} |"
            )
            shape = ""
    lines += [
        "",
        f"Target (issue 16): the import at most {TARGET_RATIO}× the raw time. `python -m "
        "benchmarks.run --only import` runs this step alone (BENCH_IMPORT_ROWS sets the "
        "file size; 1,000,000 by default).",
    ]
    return lines


def write_section(results: dict, path: Path = ROOT / "docs" / "benchmarks.md") -> Path:
    """Replace this step's section of docs/benchmarks.md, keeping the others."""
    text = path.read_text() if path.exists() else "# Benchmarks\n"
    head, found, rest = text.partition(SECTION)
    parts = [head.strip("\n"), "\n".join(section(results))]
    if found and "\n## " in rest:
        parts.append(rest[rest.find("\n## ") :].strip("\n"))
    path.write_text("\n\n".join(parts) + "\n")
    return path
