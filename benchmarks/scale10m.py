"""`python -m benchmarks.run --only scale10m` (or BENCH_ONLY=scale10m): the
10M-row month of issue 16, item 5. Not run by default: on this project's
shared 2-core machine it takes hours. Its sizes come from the environment, so
a smaller run says plainly what it measured:

- BENCH_SCALE_ROWS (10,000,000): the month's ECM rows (one visit per row but
  for 3% double-handed; as many people as four calls a day need; 200 providers).
- BENCH_HISTORY_MONTHS (13) and BENCH_HISTORY_ROWS (1,000,000): the history
  loaded before the market page is measured.
- BENCH_WORKERS ("1,2"): the worker processes the fanned-out KPIs are timed with.

Steps: import the month (rows/s, peak memory); its KPIs on one process
(`compute_month_kpis`), then fanned out over a Celery worker of 1 and of 2
processes (send to roll-up done); then the history months imported and
computed, and the market page under wrk (p95).
"""

from __future__ import annotations

import json
import os
import shutil
import subprocess
import time
from pathlib import Path

from benchmarks.common import (
    MONTH,
    PY,
    ROOT,
    WORK,
    env_for,
    gunicorn,
    manage,
    measure,
    production_env,
    reset_database,
    stop,
)
from benchmarks.datasets import write_reference_files, write_visits
from benchmarks.importspeed import IMPORT_SCRIPT, _run

SECTION = "## A 10M-row month (issue 16)"
PROVIDERS = 200


def _sizes() -> dict:
    return {
        "rows": int(os.environ.get("BENCH_SCALE_ROWS", "10000000")),
        "history_months": int(os.environ.get("BENCH_HISTORY_MONTHS", "13")),
        "history_rows": int(os.environ.get("BENCH_HISTORY_ROWS", "1000000")),
        "workers": [int(n) for n in os.environ.get("BENCH_WORKERS", "1,2").split(",")],
    }


def _months_before(count: int) -> list[tuple[int, int]]:
    year, month = (int(part) for part in MONTH.split("-"))
    out = []
    for _ in range(count):
        month -= 1
        if month == 0:
            year, month = year - 1, 12
        out.append((year, month))
    return out


def _fanned_out(env: dict, processes: int) -> float:
    """Seconds from sending scale.compute_month to its roll-up being stored."""
    from celery import Celery

    broker = env["CELERY_BROKER_URL"]
    log = (WORK / f"worker-{processes}.log").open("w")
    worker = subprocess.Popen(
        [PY, "-m", "celery", "-A", "homecare", "worker", "-Q", "celery", "-l", "warning",
         "--concurrency", str(processes), "--without-gossip", "--without-mingle"],
        cwd=ROOT, env={**env, "CELERY_RESULT_BACKEND": broker},
        stdout=log, stderr=subprocess.STDOUT,
    )  # fmt: skip
    try:
        client = Celery(broker=broker, backend=broker)
        client.control.ping(timeout=30)
        started = time.perf_counter()
        queued = client.send_task("scale.compute_month", args=[MONTH]).get(timeout=600)
        client.AsyncResult(queued["roll_up"]).get(timeout=3600)
        return time.perf_counter() - started
    finally:
        stop(worker)
        log.close()


def bench(url: str) -> dict:
    from benchmarks.run import _wrk  # the dashboards step's wrk runner

    sizes = _sizes()
    env = env_for(url)
    reset_database(url)
    measure(manage("migrate", "--noinput", "-v0"), env)
    directory = WORK / f"scale-{sizes['rows']}"
    people = max(sizes["rows"] // 124, 100)
    paths = write_reference_files(directory, people=people, providers=PROVIDERS)
    for kind in ("providers", "contracts", "people", "packages"):
        measure(manage("import_csv", kind, str(paths[kind])), env)
    month_file = directory / "visits.csv"
    if not month_file.exists():
        write_visits(month_file, sizes["rows"], double_handed=0.03, people=people,
                     providers=PROVIDERS)  # fmt: skip
    results: dict = {"sizes": sizes, "file_mb": month_file.stat().st_size / 1e6}
    results["import"] = _run([PY, "-c", IMPORT_SCRIPT, str(month_file), "auto"], env)
    single = measure(manage("compute_kpis", "--month", MONTH), env)
    start_up = measure([PY, "-c", "import django; django.setup()"], env)
    results["kpis_single"] = single.seconds - start_up.seconds
    results["kpis_fanned"] = {n: _fanned_out(env, n) for n in sizes["workers"]}
    # Kept as it goes: the history and the page take longest.
    (WORK / "scale10m-partial.json").write_text(json.dumps(results, indent=2, default=str))
    # History: earlier months of history_rows rows each, then the market page.
    history_people = max(sizes["history_rows"] // 124, 100)
    for year, month in _months_before(sizes["history_months"] - 1):
        path = directory / f"history-{year}-{month:02d}.csv"
        if not path.exists():
            write_visits(path, sizes["history_rows"], double_handed=0.03,
                         people=min(history_people, people), providers=PROVIDERS,
                         month=(year, month), id_prefix=f"H{year}{month:02d}-")  # fmt: skip
        measure([PY, "-c", IMPORT_SCRIPT, str(path), "auto"], env)
        measure(manage("compute_kpis", "--month", f"{year}-{month:02d}"), env)
    results["history_visits"] = _count_visits(url)
    session = (
        subprocess.run(
            [PY, "-c", _SESSION], cwd=ROOT, env=env, capture_output=True, text=True, check=True
        )
        .stdout.strip()
        .splitlines()[-1]
    )
    measure(manage("collectstatic", "--noinput", "-v0"), env)
    with gunicorn(production_env(url), workers=4) as server:
        page = f"{server.url}/market/?month={MONTH}"
        results["market"] = (
            _wrk(page, session) if shutil.which("wrk") else _sequential(page, session)
        )
    return results


def _sequential(url: str, session: str, requests: int = 60) -> dict:
    """Without wrk: one request after another (no concurrency), for p50/p95."""
    import urllib.request

    times = []
    for _ in range(requests):
        request = urllib.request.Request(url, headers={"Cookie": f"sessionid={session}"})
        started = time.perf_counter()
        with urllib.request.urlopen(request, timeout=60) as response:
            response.read()
        times.append((time.perf_counter() - started) * 1000)
    times.sort()
    return {
        "p50_ms": times[len(times) // 2],
        "p95_ms": times[int(len(times) * 0.95) - 1],
        "requests": requests,
        "tool": "sequential requests (wrk not installed)",
    }


_SESSION = """
import django
django.setup()
from django.contrib.auth import get_user_model
from django.test import Client
from providers.access import COMMISSIONER
from tests.factories import UserFactory
user = get_user_model().objects.filter(username="bench-commissioner").first() or UserFactory(
    username="bench-commissioner", role=COMMISSIONER)
client = Client()
client.force_login(user)
print(client.cookies["sessionid"].value)
"""


def _count_visits(url: str) -> int:
    from benchmarks.common import connect

    conn = connect(url)
    with conn, conn.cursor() as cursor:
        cursor.execute("SELECT COUNT(*) FROM visits_visit")
        count = cursor.fetchone()[0]
    conn.close()
    return count


def section(r: dict) -> list[str]:
    s, imp = r["sizes"], r["import"]
    fanned = ", ".join(f"{n} process{'es' if n > 1 else ''}: {t:.1f} s"
                       for n, t in r["kpis_fanned"].items())  # fmt: skip
    return [
        SECTION,
        "",
        f"Run with BENCH_SCALE_ROWS={s['rows']:,}, BENCH_HISTORY_MONTHS={s['history_months']}, "
        f"BENCH_HISTORY_ROWS={s['history_rows']:,} on this shared 2-core machine.",
        "",
        "| step | measured | target |",
        "| --- | --- | --- |",
        f"| import the month ({s['rows']:,} rows, {r['file_mb']:.0f} MB) | "
        f"{imp['seconds']:.1f} s, {s['rows'] / imp['seconds']:,.0f} rows/s, "
        f"peak {imp['peak_mb']:.0f} MB | ≥ 50,000 rows/s, memory flat in file size |",
        f"| the month's KPIs, one process | {r['kpis_single']:.1f} s | < 30 s |",
        f"| the month's KPIs fanned out per provider | {fanned} | < 30 s |",
        f"| market page p95, {r['history_visits']:,} visits stored | "
        f"{r['market']['p95_ms']:.0f} ms (median {r['market']['p50_ms']:.0f} ms; "
        f"{r['market'].get('tool', 'wrk, 10 connections')}) | < 300 ms |",
    ]


def write_section(results: dict, path: Path = ROOT / "docs" / "benchmarks.md") -> Path:
    text = path.read_text() if path.exists() else "# Benchmarks\n"
    head, found, rest = text.partition(SECTION)
    parts = [head.strip("\n"), "\n".join(section(results))]
    if found and "\n## " in rest:
        parts.append(rest[rest.find("\n## ") :].strip("\n"))
    path.write_text("\n\n".join(parts) + "\n")
    (WORK / "scale10m.json").write_text(json.dumps(results, indent=2, default=str))
    return path
