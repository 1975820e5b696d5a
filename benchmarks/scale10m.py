"""`python -m benchmarks.run --only scale10m` (or `make bench ONLY=scale10m`):
the 10M-row month of issue 16, item 5. Not run by default: on this project's
shared 2-core machine it takes hours. Its sizes come from the environment, so
a smaller run says plainly what it measured:

- BENCH_SCALE_ROWS (10,000,000): the month's ECM rows (one visit per row but
  for 3% double-handed; as many people as four calls a day need; 200 providers).
- BENCH_HISTORY_MONTHS (13) and BENCH_HISTORY_ROWS (1,000,000): the months of
  history before it, written straight into the visits tables by SQL
  (benchmarks/history.py), before the market page is measured.
- BENCH_WORKERS ("1,2"): the worker processes the fanned-out KPIs are timed with.
- BENCH_SCALE_RESUME=1: keep the database and the steps already measured
  (var/bench/scale10m-partial.json), and run only the rest.

Steps: a 1M-row file of the same shape imported into a database of its own
(memory beside the 10M file's); the month imported through the importer
(rows/s, peak memory, CPU); its KPIs on one process (`compute_month_kpis`),
then fanned out over a Celery worker of 1 and of 2 processes (send to roll-up
done); the history written and its KPIs computed; the market page under wrk
(p50/p95). Every step records its CPU time (the process, its PostgreSQL
backends, and the whole machine) and the load average, because the machine is
shared: wall time alone says as much about the other work as about this.
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
    connect,
    database,
    env_for,
    gunicorn,
    manage,
    measure,
    production_env,
    reset_database,
    stop,
)
from benchmarks.cpu import Usage
from benchmarks.datasets import write_reference_files, write_visits
from benchmarks.importspeed import CPU, IMPORT_SCRIPT, _run

SECTION = "## A 10M-row month (issue 16)"
PROVIDERS = 200
# Packages start early enough for every month of history to have them active.
PACKAGE_START = "2024-06-01"
PARTIAL = WORK / "scale10m-partial.json"

KPI_SCRIPT = (
    CPU
    + """
import json, sys, time, django
django.setup()
from django.db import connection
from homecare.kpis.services import compute_month_kpis
with connection.cursor() as cursor:
    cursor.execute("SELECT pg_backend_pid()")
    backend = cursor.fetchone()[0]
client0, server0 = cpu(backend)
started = time.perf_counter()
compute_month_kpis(sys.argv[1])
seconds = time.perf_counter() - started
client1, server1 = cpu(backend)
print(json.dumps({"seconds": seconds, "client_cpu": client1 - client0,
                  "server_cpu": server1 - server0}))
"""
)


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


def _watched(url: str, step, parts: dict[str, list[int]] | None = None):  # type: ignore[no-untyped-def]
    """Run step(); its result with the CPU the database's backends and the
    whole machine used meanwhile, and the load average before and after."""
    usage = Usage(parts or {}, database(url))
    usage.start()
    started = time.perf_counter()
    try:
        result = step()
    finally:
        cpu = usage.stop()
    # The whole watched span (a child's start-up included), for the machine's share.
    cpu["wall"] = time.perf_counter() - started
    cpu["load_averages_after"] = os.getloadavg()
    return result, cpu


def _fanned_out(url: str, env: dict, processes: int) -> dict:
    """Seconds from sending scale.compute_month to its roll-up being stored,
    with the CPU the worker (its pool processes too) and the database used."""
    import redis
    from celery import Celery

    broker = env["CELERY_BROKER_URL"]
    # The imports and the single-process run queued KPI recomputes and packs:
    # the worker would take those first. Only the fan-out is timed.
    queued_before = redis.Redis.from_url(broker).delete("celery")
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
        time.sleep(5)  # the pool's processes up and idle

        def run() -> float:
            started = time.perf_counter()
            queued = client.send_task("scale.compute_month", args=[MONTH]).get(timeout=600)
            client.AsyncResult(queued["roll_up"]).get(timeout=3 * 3600)
            return time.perf_counter() - started

        seconds, cpu = _watched(url, run, {"worker": [worker.pid]})
        return {"seconds": seconds, "cpu": cpu, "purged_queues": queued_before}
    finally:
        stop(worker)
        log.close()


def _save(results: dict) -> None:
    PARTIAL.write_text(json.dumps(results, indent=2, default=str))


def _import_1m(url: str, month_file: Path, paths: dict, rows: int) -> dict:
    """The first million rows of the month's file, imported into an empty
    database of its own: the same importer's memory at a tenth of the size."""
    small = month_file.with_name("visits-1m.csv")
    with month_file.open() as source, small.open("w") as out:
        for n, line in enumerate(source):
            if n > rows:
                break
            out.write(line)
    url_1m = url + "_1m"
    env = env_for(url_1m)
    reset_database(url_1m)
    measure(manage("migrate", "--noinput", "-v0"), env)
    for kind in ("providers", "contracts", "people", "packages"):
        measure(manage("import_csv", kind, str(paths[kind])), env)
    try:
        script = [PY, "-c", IMPORT_SCRIPT, str(small), "auto"]
        result, cpu = _watched(url_1m, lambda: _run(script, env))
    finally:
        small.unlink()
        _drop(url_1m)
    return {**result, "cpu": cpu, "file_rows": rows}


def _drop(url: str) -> None:
    admin = connect(url, "postgres")
    admin.autocommit = True
    with admin.cursor() as cursor:
        cursor.execute(f'DROP DATABASE IF EXISTS "{database(url)}" WITH (FORCE)')
    admin.close()


def bench(url: str) -> dict:
    sizes = _sizes()
    env = env_for(url)
    resume = os.environ.get("BENCH_SCALE_RESUME") == "1" and PARTIAL.exists()
    results: dict = json.loads(PARTIAL.read_text()) if resume else {"sizes": sizes}
    results["started_load_average"] = os.getloadavg()
    directory = WORK / f"scale-{sizes['rows']}"
    people = max(sizes["rows"] // 124, 100)
    paths = write_reference_files(
        directory, people=people, providers=PROVIDERS, package_start=PACKAGE_START
    )
    month_file = directory / "visits.csv"
    if not month_file.exists():
        write_visits(month_file, sizes["rows"], double_handed=0.03, people=people,
                     providers=PROVIDERS)  # fmt: skip
    results["file_mb"] = month_file.stat().st_size / 1e6
    if not resume:
        reset_database(url)
        measure(manage("migrate", "--noinput", "-v0"), env)
        for kind in ("providers", "contracts", "people", "packages"):
            measure(manage("import_csv", kind, str(paths[kind])), env)
    compare = int(os.environ.get("BENCH_SCALE_COMPARE_ROWS", "1000000"))
    if "import_1m" not in results and sizes["rows"] > compare:
        results["import_1m"] = _import_1m(url, month_file, paths, compare)
        _save(results)
    if "import" not in results:
        imported, cpu = _watched(
            url, lambda: _run([PY, "-c", IMPORT_SCRIPT, str(month_file), "auto"], env)
        )
        results["import"] = {**imported, "cpu": cpu}
        _save(results)
    if "kpis_single" not in results:
        single, cpu = _watched(url, lambda: _run([PY, "-c", KPI_SCRIPT, MONTH], env))
        results["kpis_single"] = {**single, "cpu": cpu}
        _save(results)
    fanned = results.setdefault("kpis_fanned", {})
    for n in sizes["workers"]:
        if str(n) not in fanned:
            fanned[str(n)] = _fanned_out(url, env, n)
            _save(results)
    if "history" not in results:
        results["history"] = _history(url, env, sizes, people)
        _save(results)
    results["history_visits"] = _count_visits(url)
    results["market"] = _market(url, env)
    _save(results)
    return results


def _history(url: str, env: dict, sizes: dict, people: int) -> dict:
    """Earlier months written by SQL, each month's KPIs computed as stored."""
    history_people = min(max(sizes["history_rows"] // 124, 100), people)
    months = []
    for year, month in _months_before(sizes["history_months"]):
        key = f"{year}-{month:02d}"
        written = measure(
            [PY, "-m", "benchmarks.history", key, str(sizes["history_rows"]), str(history_people)],
            env,
        )
        kpis = measure(manage("compute_kpis", "--month", key), env)
        months.append({**json.loads(written.output.strip().splitlines()[-1]),
                       "kpis_seconds": kpis.seconds})  # fmt: skip
    return {
        "months": months,
        "seconds": sum(m["seconds"] for m in months),
        "kpis_seconds": sum(m["kpis_seconds"] for m in months),
    }


def _market(url: str, env: dict) -> dict:
    """The market overview: its first view (nothing cached), then under wrk
    with the cache warm, 10 connections for 20 s and 1 connection for 20 s, on
    gunicorn with DEBUG off.

    One gunicorn process with four threads, not four processes: the pages'
    cache is per process (locmem), and the first view of the market page works
    a year of visits' money out (homecare/dashboards/presenters/money.py), which
    at this size takes most of a minute, so each of four processes would pay it
    once during the measurement and wrk would see that as timeouts. The first
    view is timed on its own instead."""
    import urllib.request

    from benchmarks.run import _wrk  # the dashboards step's wrk runner

    session = (
        subprocess.run(
            [PY, "-c", _SESSION], cwd=ROOT, env=env, capture_output=True, text=True, check=True
        )
        .stdout.strip()
        .splitlines()[-1]
    )
    measure(manage("collectstatic", "--noinput", "-v0"), env)
    with gunicorn(production_env(url), workers=1, threads=4) as server:
        page = f"{server.url}/market/?month={MONTH}"

        def first_view() -> float:
            request = urllib.request.Request(page, headers={"Cookie": f"sessionid={session}"})
            started = time.perf_counter()
            with urllib.request.urlopen(request, timeout=1800) as response:
                response.read()
            return (time.perf_counter() - started) * 1000

        cold_ms, cold_cpu = _watched(url, first_view, {"web": [server.pid]})
        if not shutil.which("wrk"):
            return {**_sequential(page, session), "first_view_ms": cold_ms}
        result, cpu = _watched(url, lambda: _wrk(page, session), {"web": [server.pid]})
        one, one_cpu = _watched(
            url, lambda: _wrk(page, session, connections=1, threads=1), {"web": [server.pid]}
        )
        return {
            **result,
            "first_view_ms": cold_ms,
            "first_view_cpu": cold_cpu,
            "cpu": cpu,
            "tool": "wrk, 2 threads, 10 connections, 20 s",
            "server": "gunicorn, 1 process, 4 threads",
            "one_connection": {**one, "cpu": one_cpu},
        }


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


def _busy(step: dict) -> str:
    """The whole machine's busy cores over the step, and the load average."""
    cpu = step["cpu"]
    return (
        f"{cpu['machine'] / cpu['wall']:.1f} of 2 cores busy; load "
        f"{cpu['load_average_before']:.1f} → {cpu['load_average_after']:.1f}"
    )


def _ours(step: dict) -> float:
    """CPU seconds of the step's own processes and its PostgreSQL backends."""
    cpu = step["cpu"]
    own = step.get("client_cpu", 0.0) + cpu.get("worker", 0.0) + cpu.get("web", 0.0)
    return own + max(step.get("server_cpu", 0.0), cpu["database"])


def section(r: dict) -> list[str]:
    s, imp, small = r["sizes"], r["import"], r.get("import_1m")
    single, market = r["kpis_single"], r["market"]
    history = r["history"]
    rows = s["rows"]
    lines = [
        SECTION,
        "",
        f"`make bench ONLY=scale10m` with BENCH_SCALE_ROWS={rows:,}, "
        f"BENCH_HISTORY_MONTHS={s['history_months']}, BENCH_HISTORY_ROWS="
        f"{s['history_rows']:,}, on this project's machine (2 cores, 24 GB, PostgreSQL with "
        "its default settings: 128 MB shared buffers, 4 MB work_mem), shared with other "
        "engineers' tests and benchmarks while it ran. Because of that every step shows its "
        "wall time beside its CPU time (its own processes and their PostgreSQL backends, "
        "from /proc; wait4 for peak memory) and how busy the whole machine was meanwhile "
        "(all processes, from /proc/stat: 2.0 is both cores; the load average before and "
        "after). CPU time is what a step costs; wall time is what it cost while sharing two "
        "cores with the rest.",
        "",
        "| step | wall | CPU (process + PostgreSQL) | machine meanwhile | result | target |",
        "| --- | --- | --- | --- | --- | --- |",
        f"| import the month: {rows:,} ECM rows, {r['file_mb']:,.0f} MB, through "
        f"`import_visits` (the SQL path) | {imp['seconds']:,.0f} s | "
        f"{imp['client_cpu']:.0f} + {imp['server_cpu']:,.0f} s | {_busy(imp)} | "
        f"{rows / imp['seconds']:,.0f} rows/s (wall), "
        f"{rows / (imp['client_cpu'] + imp['server_cpu']):,.0f} rows per CPU second; "
        f"peak {imp['peak_mb']:.0f} MB | ≥ 50,000 rows/s, memory flat in file size |",
    ]
    if small:
        n = small["file_rows"]
        lines.append(
            f"| the first {n:,} rows of the same file, into an empty database "
            f"(for memory) | {small['seconds']:,.1f} s | {small['client_cpu']:.1f} + "
            f"{small['server_cpu']:,.1f} s | {_busy(small)} | "
            f"{n / small['seconds']:,.0f} rows/s; peak {small['peak_mb']:.0f} MB | |"
        )
    lines.append(
        f"| the month's KPIs, one process (`compute_month_kpis`) | "
        f"{single['seconds']:,.1f} s | {single['client_cpu']:.1f} + "
        f"{single['server_cpu']:,.1f} s | {_busy(single)} | "
        f"peak {single['peak_mb']:.0f} MB | < 30 s |"
    )
    for n, fan in r["kpis_fanned"].items():
        lines.append(
            f"| the month's KPIs fanned out per provider ({PROVIDERS} tasks and the "
            f"roll-up), a Celery worker of {n} process{'es' if int(n) > 1 else ''} | "
            f"{fan['seconds']:,.1f} s | {fan['cpu']['worker']:.1f} + "
            f"{fan['cpu']['database']:,.1f} s | {_busy(fan)} | | < 30 s |"
        )
    ten, one = market, market.get("one_connection")
    if "first_view_ms" in market:
        cold = {"cpu": market["first_view_cpu"]}
        lines.append(
            f"| market page, first view after the data came in (nothing cached; "
            f"{market['server']}) | {market['first_view_ms'] / 1000:,.1f} s | "
            f"{cold['cpu']['web']:.1f} + {cold['cpu']['database']:.1f} s | {_busy(cold)} | "
            "one request | p95 < 300 ms |"
        )
    lines.append(
        f"| market page, {r['history_visits']:,} visits stored; {ten['tool']} "
        f"| 20 s: {ten['requests']:,} requests, {ten['errors']} errors | "
        f"{ten['cpu']['web']:.1f} + {ten['cpu']['database']:.1f} s "
        f"({ten['cpu']['web'] * 1000 / max(ten['requests'], 1):.0f} ms of web CPU a request) | "
        f"{_busy(ten)} | p50 {ten['p50_ms']:.0f} ms, p95 {ten['p95_ms']:.0f} ms, cache warm "
        "| p95 < 300 ms |"
    )
    if one:
        lines.append(
            f"| the same, one connection | 20 s: {one['requests']:,} requests, "
            f"{one['errors']} errors | "
            f"{one['cpu']['web']:.1f} + {one['cpu']['database']:.1f} s | {_busy(one)} | "
            f"p50 {one['p50_ms']:.0f} ms, p95 {one['p95_ms']:.0f} ms | p95 < 300 ms |"
        )
    lines += [
        "",
        f"History before the page was measured: {len(history['months'])} months of about "
        f"{s['history_rows']:,} ECM rows each, written by SQL (benchmarks/history.py) in "
        f"{history['seconds']:.0f} s, their KPIs computed in {history['kpis_seconds']:.0f} s.",
    ]
    return lines


def write_section(results: dict, path: Path = ROOT / "docs" / "benchmarks.md") -> Path:
    text = path.read_text() if path.exists() else "# Benchmarks\n"
    head, found, rest = text.partition(SECTION)
    parts = [head.strip("\n"), "\n".join(section(results))]
    if found and "\n## " in rest:
        parts.append(rest[rest.find("\n## ") :].strip("\n"))
    path.write_text("\n\n".join(parts) + "\n")
    (WORK / "scale10m.json").write_text(json.dumps(results, indent=2, default=str))
    return path
