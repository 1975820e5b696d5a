"""Load held (issue 10): 50 users of every role clicking through the demo market
for two minutes, against the whole stack on this machine.

gunicorn (DEBUG off, as deployed, over http on the loopback), a real Celery
worker on the bench Redis database, PostgreSQL; locust headless runs
benchmarks/locustfile.py. Before the load: the demo market seeded (unless the
caller already did), a login and a small visits file for each provider user,
and every pack of the month built on the worker, so a download is served, not
built. After it: the worker is left to finish what the uploads queued (the
import, the provider's KPIs, its pack and the market pack again), then stopped.

`python -m benchmarks.run --only load` runs this step alone and rewrites only
its section of docs/benchmarks.md.
"""

from __future__ import annotations

import csv
import json
import math
import os
import shutil
import subprocess
import time
from datetime import UTC, datetime
from pathlib import Path

import redis

from benchmarks.common import (
    BIN,
    MONTH,
    PY,
    ROOT,
    WORK,
    Measured,
    connect,
    database,
    env_for,
    gunicorn,
    measure,
    production_env,
    seed_demo,
    stop,
)
from benchmarks.cpu import Usage, tree
from benchmarks.load_data import UPLOAD_ROWS
from benchmarks.pages import KINDS

# Who clicks: 50 users in all. Staff share the demo's three council logins (one
# session each); each provider user has a login of their own provider.
SPLIT = {"commissioner": 15, "quality": 10, "manager": 10, "provider": 15}
SPAWN_RATE = 10  # users started per second
DURATION = os.environ.get("LOAD_DURATION", "2m")
# As docker-compose.yml runs them, bar one more web worker for this machine's 2 cores.
WEB_WORKERS = int(os.environ.get("LOAD_WEB_WORKERS", "4"))
WEB_THREADS = int(os.environ.get("LOAD_WEB_THREADS", "1"))
CELERY_CONCURRENCY = int(os.environ.get("LOAD_CELERY_CONCURRENCY", "2"))
TARGET_P95_MS = 500
SECTION = "## Load held (issue 10)"


def bench(url: str, *, seeded: bool) -> dict:
    seed = None if seeded else seed_demo(url)
    here = WORK / "load"
    shutil.rmtree(here, ignore_errors=True)
    here.mkdir(parents=True)
    demo = WORK / "demo"
    made = measure(
        [
            PY,
            "benchmarks/load_data.py",
            "logins",
            str(demo),
            str(here),
            str(SPLIT["provider"]),
            MONTH,
        ],
        env_for(url),
    )
    logins = here / "logins.json"
    logins.write_text(made.output.strip().splitlines()[-1])
    env = production_env(url)
    broker = env["CELERY_BROKER_URL"]
    # Tasks left on the bench broker by an interrupted run would run now.
    measure([str(BIN / "celery"), "-A", "homecare", "purge", "-f"], env)
    with (here / "worker.log").open("wb") as log:
        worker = subprocess.Popen(
            [
                str(BIN / "celery"),
                "-A",
                "homecare",
                "worker",
                "-Q",
                "celery,packs",
                "--concurrency",
                str(CELERY_CONCURRENCY),
                "--without-gossip",
                "--without-mingle",
                "-l",
                "warning",
            ],
            cwd=ROOT,
            env=env,
            stdout=log,
            stderr=subprocess.STDOUT,
        )
        try:
            packs = measure([PY, "benchmarks/load_data.py", "packs", str(demo), MONTH], env)
            with gunicorn(
                env, workers=WEB_WORKERS, threads=WEB_THREADS, log=here / "gunicorn.log"
            ) as server:
                started = datetime.now(UTC)
                usage = Usage({"web": [server.pid], "worker": [worker.pid]}, database(url))
                usage.start()
                worker_before = tree([worker.pid])
                locust = _locust(server.url, here, logins)
                cpu = usage.stop()
                drained = _drain(broker)
                # What the uploads cost the worker in all, during the load and after.
                cpu["worker_in_all"] = tree([worker.pid]) - worker_before
        finally:
            stop(worker, timeout=120)
    cpu["locust"] = locust.cpu_seconds
    return {
        "seed": seed,
        "packs": json.loads(packs.output.strip().splitlines()[-1]),
        "packs_seconds": packs.seconds,
        "locust": locust,
        "stats": _read_stats(here / "locust_stats.csv"),
        "failures": _read_failures(here / "locust_failures.csv"),
        "slices": _slices(here / "requests.csv"),
        "drain_seconds": drained,
        "cpu": cpu,
        "load_seconds": locust.seconds,
        "load_average": (cpu["load_average_before"], cpu["load_average_after"]),
        "imports": _imports_since(url, started),
        "worker_errors": _worker_errors(here / "worker.log"),
    }


def _locust(base: str, here: Path, logins: Path) -> Measured:
    """Locust headless; its CPU time is counted with the rest of the stack's."""
    env = {
        **os.environ,
        "LOAD_LOGINS": str(logins),
        "LOAD_SPLIT": ",".join(f"{role}={n}" for role, n in SPLIT.items()),
        "LOAD_LOG": str(here / "requests.csv"),
    }
    args = [
        str(BIN / "locust"),
        "-f",
        "benchmarks/locustfile.py",
        "--headless",
        "--host",
        base,
        "-u",
        str(sum(SPLIT.values())),
        "-r",
        str(SPAWN_RATE),
        "-t",
        DURATION,
        # Users finish the click they are on when the time is up.
        "--stop-timeout",
        "10",
        "--csv",
        str(here / "locust"),
        "--only-summary",
        # Failures are counted in the report, not a reason to stop the benchmark.
        "--exit-code-on-error",
        "0",
    ]
    done = measure(args, env)
    (here / "locust.log").write_text(done.output)
    return done


def _drain(broker: str, limit: float = 900) -> float | None:
    """Seconds until the worker has done all the uploads queued: nothing
    waiting on the queue and nothing taken but unacknowledged (acks_late)."""
    queue = redis.Redis.from_url(broker)
    began = time.perf_counter()
    while time.perf_counter() - began < limit:
        if queue.llen("celery") == 0 and queue.hlen("unacked") == 0:
            return time.perf_counter() - began
        time.sleep(1)
    return None


def _imports_since(url: str, started: datetime) -> dict[str, int]:
    with connect(url) as db, db.cursor() as cursor:
        cursor.execute(
            "SELECT outcome, count(*) FROM visits_importrecord WHERE created_at >= %s "
            "GROUP BY outcome",
            (started,),
        )
        return dict(cursor.fetchall())


def _worker_errors(log: Path) -> int:
    """Tasks that raised: Celery logs each as 'Task ... raised unexpected'."""
    return sum("raised unexpected" in line for line in log.read_text(errors="replace").splitlines())


def _read_stats(path: Path) -> list[dict]:
    rows = []
    with path.open(newline="") as handle:
        for row in csv.DictReader(handle):
            rows.append(
                {
                    "name": row["Name"],
                    "method": row["Type"],
                    "requests": int(row["Request Count"]),
                    "failures": int(row["Failure Count"]),
                    "p50": float(row["50%"] or 0),
                    "p95": float(row["95%"] or 0),
                    "p99": float(row["99%"] or 0),
                    "max": float(row["Max Response Time"] or 0),
                }
            )
    return rows


def _percentile(times: list[float], share: float) -> float:
    """Nearest rank, on times already sorted."""
    return times[max(math.ceil(share * len(times)) - 1, 0)] if times else 0.0


def _summary(rows: list[tuple[float, str, float, int]]) -> dict:
    times = sorted(ms for _, _, ms, _ in rows)
    return {
        "requests": len(rows),
        "failures": sum(failed for *_, failed in rows),
        "p50": _percentile(times, 0.50),
        "p95": _percentile(times, 0.95),
        "p99": _percentile(times, 0.99),
        "max": times[-1] if times else 0.0,
    }


def _slices(path: Path) -> dict:
    """From locust's log of every request: the pages without the log-in (a
    password hash costs a fixed few hundred milliseconds by design, and 50 of them
    come in the first seconds), and everything after the last user had logged in."""
    with path.open(newline="") as handle:
        rows = [(float(t), name, float(ms), int(f)) for t, name, ms, f in csv.reader(handle)]
    logins = [t + ms / 1000 for t, name, ms, _ in rows if name.startswith("log in")]
    settled = max(logins, default=0.0)
    first = min((t for t, *_ in rows), default=0.0)
    return {
        "pages": _summary([r for r in rows if not r[1].startswith("log in")]),
        "after_logins": _summary([r for r in rows if r[0] >= settled]),
        "logins_seconds": settled - first,
    }


def _read_failures(path: Path) -> list[dict]:
    if not path.exists():
        return []
    with path.open(newline="") as handle:
        return [
            {"name": r["Name"], "error": r["Error"], "count": int(r["Occurrences"])}
            for r in csv.DictReader(handle)
        ]


# --- the report ------------------------------------------------------------------------


def _row(name: str, row: dict) -> str:
    return (
        f"| {name} | {row['requests']:,} | {row['failures']} | {row['p50']:.0f} ms | "
        f"{row['p95']:.0f} ms | {row['p99']:.0f} ms | {row['max']:,.0f} ms |"
    )


HEADER = [
    "| request | requests | failures | median | 95th percentile | 99th percentile | slowest |",
    "| --- | --- | --- | --- | --- | --- | --- |",
]


def section(results: dict) -> list[str]:
    stats = results["stats"]
    total = next(row for row in stats if row["name"] == "Aggregated")
    pages = sorted((row for row in stats if row is not total), key=lambda r: -r["requests"])
    met = total["failures"] == 0 and total["p95"] < TARGET_P95_MS
    roles = ("commissioners", "quality officers", "contract managers", "provider users")
    split = ", ".join(f"{n} {role}" for role, n in zip(roles, SPLIT.values(), strict=True))
    web = (
        f"{WEB_WORKERS} sync workers"
        if WEB_THREADS == 1
        else (f"{WEB_WORKERS} workers of {WEB_THREADS} threads")
    )
    imports, slices = results["imports"], results["slices"]
    # A kind is reached through links on the pages: one missing means a page
    # no longer links where the scenario expects.
    missing = [kind for kind, _ in KINDS if not any(row["name"] == kind for row in pages)]
    before, after = results["load_average"]
    lines = [
        SECTION,
        "",
        f"Measured on {datetime.now(UTC):%Y-%m-%d %H:%M} UTC (`python -m benchmarks.run --only "
        f"load` reruns this step alone). {sum(SPLIT.values())} users ({split}), started "
        f"{SPAWN_RATE} a second, clicked through the demo market for {DURATION} with 1 to 5 s "
        "between clicks (`benchmarks/locustfile.py`). Each logs in through the login form, "
        "then goes where the pages link: market overview (sorted, paged), lot pages, "
        "provider dashboards and their drill-downs (late, missed and short visits, a "
        "person's visits, pages of visits), quality overview, providers' quality pages, "
        "the assessment and its action plan, the packs list and PDF downloads. Each "
        f"provider user has a login of their own provider (the {SPLIT['provider']} busiest) "
        f"and once uploads a visits file of {UPLOAD_ROWS} of its own ECM rows, then opens its "
        "import record. Staff share the three demo council logins, one session each.",
        "",
        f"Served by gunicorn ({web}, DEBUG off) with a Celery worker (concurrency "
        f"{CELERY_CONCURRENCY}) on Redis and PostgreSQL, all on this machine's "
        f"{os.cpu_count()} cores, locust included; the machine's load average was "
        f"{before:.1f} as the load began and {after:.1f} as it ended. Every pack of `{MONTH}` "
        f"was built (or found up to date) on the worker first ({results['packs']['built']} "
        f"built, {results['packs_seconds']:.0f} s), so downloads are served, not built. A request "
        "fails unless it answers 200 with the page itself (not an error, nor a bounce to the "
        "login page; a download must be a PDF, an upload must land on its import record).",
        "",
        *HEADER,
        *(_row(row["name"], row) for row in pages),
        _row("**all requests**", total),
        "",
        f"Target: no errors and a 95th percentile under {TARGET_P95_MS} ms over all requests: "
        f"{'met' if met else '**missed**'} ({total['failures']} failed of "
        f"{total['requests']:,}; 95th percentile {total['p95']:.0f} ms). Locust rounds times "
        "above 100 ms to two figures; the slices below are exact, from its log of every "
        "request. "
        + (
            f"**Not reached** (no link found to them): {', '.join(missing)}."
            if missing
            else "Every kind of page the scenario links to was reached."
        ),
        "",
        *HEADER,
        _row("all but logging in", slices["pages"]),
        _row(
            f"after the last log-in ({slices['logins_seconds']:.0f} s in)", slices["after_logins"]
        ),
        "",
        f"Behind the pages: {sum(imports.values())} uploads queued, "
        + ", ".join(f"{n} {outcome}" for outcome, n in sorted(imports.items()))
        + f"; {results['worker_errors']} task errors on the worker. "
        + (
            "The worker finished what they queued (each import, then the provider's KPIs, "
            f"its pack and the market pack again) {results['drain_seconds']:.0f} s after the "
            "load stopped."
            if results["drain_seconds"] is not None
            else "The worker had not finished what they queued 15 minutes after the load."
        ),
    ]
    lines += ["", _cpu_line(results)]
    if results["failures"]:
        lines += ["", "| failed request | error | times |", "| --- | --- | --- |"]
        lines += [f"| {f['name']} | {f['error']} | {f['count']} |" for f in results["failures"]]
    return lines


def _cpu_line(results: dict) -> str:
    cpu, seconds = results["cpu"], results["load_seconds"]
    ours = cpu["web"] + cpu["database"] + cpu["worker"] + cpu["locust"]
    others = max(cpu["machine"] - ours, 0.0)
    cores = os.cpu_count() or 1
    requests = next(row for row in results["stats"] if row["name"] == "Aggregated")["requests"]
    uploads = max(sum(results["imports"].values()), 1)
    return (
        f"Where the CPU went while locust ran ({seconds:.0f} s, so {seconds * cores:.0f} "
        f"core-seconds on {cores} cores): gunicorn {cpu['web']:.0f} s "
        f"({cpu['web'] / max(requests, 1) * 1000:.0f} ms a request, log-ins included), "
        f"PostgreSQL (this database's connections) {cpu['database']:.1f} s, the Celery "
        f"worker {cpu['worker']:.0f} s, locust {cpu['locust']:.0f} s; the machine's other "
        f"work {others:.0f} s. The uploads cost the worker {cpu['worker_in_all']:.0f} s of "
        f"CPU in all, during the load and after ({cpu['worker_in_all'] / uploads:.1f} s each)."
        + (
            f" **Other work took {others / (seconds * cores):.0%} of the machine while locust "
            "ran: these times measure that contention as much as the app.**"
            if others > 0.25 * seconds * cores
            else ""
        )
    )


def write_section(results: dict, path: Path = ROOT / "docs" / "benchmarks.md") -> Path:
    """Put this step's section in docs/benchmarks.md, replacing its last one and
    keeping every other section as it is."""
    text = path.read_text() if path.exists() else "# Benchmarks\n"
    head, found, rest = text.partition(SECTION)
    parts = [head.strip("\n"), "\n".join(section(results))]
    if found and "\n## " in rest:
        parts.append(rest[rest.find("\n## ") :].strip("\n"))
    path.write_text("\n\n".join(parts) + "\n")
    return path
