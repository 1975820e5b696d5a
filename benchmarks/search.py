"""`python -m benchmarks.run --only search`: the search page (issue 17) on the
demo market on PostgreSQL, served by gunicorn as in production.

Each query is asked once cold, then REPEATS times one after another, as a
commissioner (who searches every provider) and as a provider's user (whose
every query is narrowed to its provider). The target is every query under
200 ms at the 95th percentile.
"""

from __future__ import annotations

import statistics
import subprocess
import time
import urllib.parse
import urllib.request
from datetime import UTC, datetime
from pathlib import Path

from benchmarks.common import PY, ROOT, env_for, gunicorn, production_env, seed_demo

SECTION = "## Search (issue 17)"
REPEATS = 30
TARGET_MS = 200

# Sessions for the demo's commissioner and provider logins, and refs to ask for.
SCRIPT = """
import django, os
os.environ.setdefault("DJANGO_SETTINGS_MODULE", "homecare.settings")
django.setup()
from django.contrib.auth import get_user_model
from django.test import Client
from contracts.models import CarePackage
from providers.access import user_provider
from visits.models import Visit
for name in ("commissioner", "provider"):
    client = Client()
    client.force_login(get_user_model().objects.get(username=name))
    print(client.cookies["sessionid"].value)
own = user_provider(get_user_model().objects.get(username="provider"))
package = CarePackage.objects.filter(provider=own).select_related("person").order_by("ref")[0]
visit = Visit.objects.filter(provider=own).order_by("-planned_start")[0]
print(own.name.split()[0], own.ref, package.ref, package.ref[:-2])
print(package.person.ref, visit.visit_id)
"""


def _ask(url: str, session: str) -> float:
    request = urllib.request.Request(url, headers={"Cookie": f"sessionid={session}"})
    started = time.perf_counter()
    with urllib.request.urlopen(request, timeout=30) as response:
        body = response.read()
        if response.status != 200 or "/login/" in response.url or b"Search results" not in body:
            raise SystemExit(f"{url} answered {response.status} at {response.url}")
    return (time.perf_counter() - started) * 1000


def bench(url: str, *, seeded: bool = False) -> dict:
    seed = None if seeded else seed_demo(url)
    out = (
        subprocess.run(
            [PY, "-c", SCRIPT],
            cwd=ROOT,
            env=env_for(url),
            capture_output=True,
            text=True,
            check=True,
        )
        .stdout.strip()
        .splitlines()
    )
    sessions = {"commissioner": out[-4], "provider": out[-3]}
    word, provider_ref, package_ref, package_part = out[-2].split()
    person_ref, visit_id = out[-1].split()
    queries = {
        "a word of a provider's name": word,
        "a provider's council ref": provider_ref,
        "a care package ref": package_ref,
        "part of a package ref (many match)": package_part,
        "a person ref": person_ref,
        "an ECM visit id": visit_id,
        "nothing matches": "no-such-ref",
    }
    rows = []
    with gunicorn(production_env(url), workers=1) as server:
        for who, session in sessions.items():
            for label, query in queries.items():
                page = f"{server.url}/search/?{urllib.parse.urlencode({'q': query})}"
                cold = _ask(page, session)
                times = sorted(_ask(page, session) for _ in range(REPEATS))
                rows.append(
                    {
                        "who": who,
                        "label": label,
                        "query": query,
                        "cold_ms": cold,
                        "p50_ms": statistics.median(times),
                        "p95_ms": times[int(0.95 * (len(times) - 1))],
                        "max_ms": times[-1],
                    }
                )
    return {"seed_seconds": seed.seconds if seed else None, "rows": rows}


def section(results: dict) -> list[str]:
    rows = results["rows"]
    worst = max(row["p95_ms"] for row in rows)
    seed = results["seed_seconds"]
    lines = [
        SECTION,
        "",
        f"Measured on {datetime.now(UTC):%Y-%m-%d %H:%M} UTC (`python -m benchmarks.run --only "
        "search` reruns this step alone). The demo market "
        + (f"(seeded in {seed:.0f} s) " if seed else "")
        + "on PostgreSQL, the search page served by gunicorn (one sync worker, DEBUG off) on "
        f"this 2-core machine; each query asked once cold, then {REPEATS} times one after "
        "another; the whole request (sign-in check, queries, page) timed by the client.",
        "",
        "| who | query | cold | median | 95th percentile | worst | target |",
        "| --- | --- | --- | --- | --- | --- | --- |",
    ]
    for row in rows:
        lines.append(
            f"| {row['who']} | {row['label']} (`{row['query']}`) | {row['cold_ms']:.0f} ms | "
            f"{row['p50_ms']:.0f} ms | {row['p95_ms']:.0f} ms | {row['max_ms']:.0f} ms | "
            f"< {TARGET_MS} ms |"
        )
    lines += [
        "",
        f"Slowest 95th percentile: {worst:.0f} ms "
        + ("(within the target)." if worst < TARGET_MS else "(OVER the target)."),
    ]
    return lines


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
