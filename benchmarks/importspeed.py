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
FILES = {
    "real-month": (1_000_000, 0.03, 8_100, 20),
    "benchmark": (1_000_000, 0.25, PEOPLE, 20),
}

RAW_SCRIPT = """
import json, sys, time, psycopg2
url, path = sys.argv[1:3]
conn = psycopg2.connect(url)
cur = conn.cursor()
cur.execute("SET TimeZone = 'Europe/London'")
cur.execute('''CREATE TEMPORARY TABLE raw_visits (visit_id text, package_ref text,
    carer_ref text, planned_start timestamptz, planned_end timestamptz,
    actual_start timestamptz, actual_end timestamptz, status text, verification text)''')
started = time.perf_counter()
with open(path, "rb") as f:
    cur.copy_expert("COPY raw_visits FROM STDIN WITH (FORMAT csv, HEADER true)", f, size=1 << 16)
conn.commit()
print(json.dumps({"seconds": time.perf_counter() - started, "rows": cur.rowcount}))
"""

IMPORT_SCRIPT = """
import json, sys, time, django
django.setup()
from visits.imports import import_visits
started = time.perf_counter()
with open(sys.argv[1], "rb") as f:
    result = import_visits(f)
print(json.dumps({"seconds": time.perf_counter() - started, "rows": result.rows,
                  "summary": result.summary}))
"""


def _last_json(text: str) -> dict:
    return json.loads(text.strip().splitlines()[-1])


def dataset(name: str, rows: int, double: float, people: int, providers: int) -> dict:
    directory = WORK / f"visits-{name}"
    paths = write_reference_files(directory, people=people, providers=providers)
    visits = directory / "visits.csv"
    if not visits.exists():
        write_visits(visits, rows, double_handed=double, people=people, providers=providers)
    return {"paths": paths, "visits": visits}


def bench_file(url: str, files: dict, env: dict) -> dict:
    visits: Path = files["visits"]
    truncate_visits(url)
    raw = measure([PY, "-c", RAW_SCRIPT, url, str(visits)], env)
    first = measure([PY, "-c", IMPORT_SCRIPT, str(visits)], env)
    again = measure([PY, "-c", IMPORT_SCRIPT, str(visits)], env)
    return {
        "file_mb": visits.stat().st_size / 1e6,
        "raw": {**_last_json(raw.output), "peak_mb": raw.peak_mb},
        "first": {**_last_json(first.output), "peak_mb": first.peak_mb},
        "again": {**_last_json(again.output), "peak_mb": again.peak_mb},
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


def section(results: dict) -> list[str]:
    lines = [
        SECTION,
        "",
        "The visits import on PostgreSQL COPYs the file's raw text into a temporary table "
        "and checks, types and groups it in SQL (visits/pgstage.py, visits/sqlcheck.py). "
        "Beside it, in the same run: a raw `COPY` of the same file into a table whose four "
        "time columns are `timestamptz` (every time parsed by PostgreSQL, London time), "
        "nothing else. Import times are measured inside the importing process (Django's "
        "start-up, about a second, left out).",
        "",
        "| file | rows | MB | raw COPY and parse | first import | ratio | again (updates) "
        "| ratio | rows/s (first) | peak memory |",
        "| --- | --- | --- | --- | --- | --- | --- | --- | --- | --- |",
    ]
    for name, r in results.items():
        raw, first, again = r["raw"]["seconds"], r["first"]["seconds"], r["again"]["seconds"]
        shape = f"{name} ({r['double']:.0%} double-handed)"
        lines.append(
            f"| {shape} | {r['rows']:,} | {r['file_mb']:.0f} | {raw:.1f} s | {first:.1f} s | "
            f"{first / raw:.2f}× | {again:.1f} s | {again / raw:.2f}× | "
            f"{r['rows'] / first:,.0f} | {r['first']['peak_mb']:.0f} MB |"
        )
    lines += [
        "",
        f"Target: at most {TARGET_RATIO}× the raw time. Files the SQL path cannot number "
        "line for line (quoted cells, blank lines, control characters) are read by the "
        "Python path instead, as before.",
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
