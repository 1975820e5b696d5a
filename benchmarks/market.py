"""Market oversight (issue 12): importing CQC's national "latest ratings" file,
and the weekly waiting snapshot over 5,000 open requests and a year of history.

`python -m benchmarks.run --only market` runs this step alone and writes its
section of docs/benchmarks.md (DATABASE_URL names the database to use; it is
dropped and made again as <name>_market).
"""

from __future__ import annotations

import csv
import json
import random
from pathlib import Path

from benchmarks.common import PY, ROOT, WORK, env_for, manage, measure, reset_database

SECTION = "## Market oversight (issue 12)"
LOCATIONS = 42_000  # x 6 domains, nearly all in the Overall group: ~250,000 rows
COUNCIL_LOCATIONS = 300
RATINGS = ("Outstanding", "Good", "Good", "Good", "Requires improvement", "Inadequate")
DOMAINS = ("Overall", "Safe", "Effective", "Caring", "Responsive", "Well-led")
# CQC's file carries many more columns than the import reads; a national-size
# file has them all, so reading it costs what the real one does.
HEADER = [
    "Location ID", "Location ODS Code", "Location Name", "Care Home?", "Location Type",
    "Location Primary Inspection Category", "Location Street Address",
    "Location Address Line 2", "Location City", "Location Post Code",
    "Location Local Authority", "Location Region", "Location NHS Region",
    "Location ONSPD CCG Code", "Location ONSPD CCG", "Location Commissioning CCG Code",
    "Location Commissioning CCG Name", "Service / Population Group", "Domain",
    "Latest Rating", "Publication Date", "Report Type", "Inherited Rating (Y/N)", "URL",
    "Provider ID", "Provider Name", "Brand ID", "Brand Name",
]  # fmt: skip


def location_id(n: int) -> str:
    return f"1-{100000000 + n}"


def write_cqc_file(path: Path, *, seed: int = 12) -> int:
    """A national-size file as CQC publishes it (BOM, quoted commas)."""
    rng = random.Random(seed)
    rows = 0
    with path.open("w", encoding="utf-8-sig", newline="") as handle:
        writer = csv.writer(handle)
        writer.writerow(HEADER)
        for n in range(LOCATIONS):
            loc = location_id(n)
            day = f"{rng.randint(1, 28):02d}/{rng.randint(1, 12):02d}/{rng.randint(2016, 2026)}"
            groups = ["Overall"] + (["Older people"] if n % 50 == 0 else [])
            for group in groups:
                for domain in DOMAINS:
                    writer.writerow(
                        [
                            loc, "VN" + str(n), f"Care Service {n}, Branch", "N",
                            "Social Care Org", "Community based adult social care services",
                            f"{n} High Street, Unit 2", "", "Sheffield", "S1 1AA",
                            "Sheffield", "Yorkshire and The Humber", "NE and Yorkshire",
                            "03N", "NHS Sheffield", "03N", "NHS Sheffield", group, domain,
                            rng.choice(RATINGS), day, "Location", "N",
                            f"https://www.cqc.org.uk/location/{loc}", f"1-{n}",
                            f"Care Provider {n} Ltd", "-", "-",
                        ]
                    )  # fmt: skip
                    rows += 1
    return rows


PROVIDERS_SCRIPT = f"""
import django
django.setup()
from providers.models import Provider
Provider.objects.bulk_create(
    Provider(
        ref=f"P{{n:04d}}", name=f"Provider {{n}}", cqc_location_id=f"1-{{100000000 + n * 140}}"
    )
    for n in range({COUNCIL_LOCATIONS})
)
"""

SNAPSHOT_SCRIPT = """
import datetime as dt, json, time, random
import django
django.setup()
from contracts.models import CareRequest, Framework, Lot, Person
from homecare.market.models import WaitingSnapshot
from homecare.market.services import last_monday_midnight, take_snapshot
from homecare.market.presenters.waiting import WaitingView
rng = random.Random(5)
framework = Framework.objects.create(name="Bench framework")
lots = [Lot.objects.create(framework=framework, name=f"Lot {n}") for n in range(8)]
people = Person.objects.bulk_create(Person(ref=f"B{n:05d}") for n in range(4000))
monday = last_monday_midnight(dt.datetime.now(dt.UTC))
CareRequest.objects.bulk_create(
    CareRequest(
        ref=f"BQ{n:05d}", person=people[n % len(people)],
        requested_at=monday - dt.timedelta(hours=rng.randint(1, 24 * 120)),
        source=rng.choice(["hospital", "community", "reablement", "other"]),
        lot=rng.choice(lots), weekly_hours=rng.choice([3, 7, 10.5, 14, 21]), status="open",
    )
    for n in range(5000)
)
for week in range(1, 53):
    take_snapshot(monday - dt.timedelta(weeks=week))
started = time.perf_counter()
snapshot, created = take_snapshot(monday)
snap_seconds = time.perf_counter() - started
started = time.perf_counter()
view = WaitingView.load(monday)
page_seconds = time.perf_counter() - started
print(json.dumps({"snapshot_s": snap_seconds, "requests": snapshot.requests,
                  "history": WaitingSnapshot.objects.count(), "view_s": page_seconds,
                  "trend_points": len(view.trend.points)}))
"""


def bench(url: str) -> dict:
    url = url + "_market"
    env = env_for(url)
    reset_database(url)
    measure(manage("migrate", "--noinput", "-v0"), env)
    measure([PY, "-c", PROVIDERS_SCRIPT], env)
    data = WORK / "cqc"
    data.mkdir(parents=True, exist_ok=True)
    path = data / "latest-ratings.csv"
    rows = write_cqc_file(path)
    first = measure(manage("import_csv", "cqc_ratings", str(path)), env)
    again = measure(manage("import_csv", "cqc_ratings", str(path)), env)
    start = measure([PY, "-c", "import django; django.setup()"], env)
    snap = measure([PY, "-c", SNAPSHOT_SCRIPT], env)
    figures = json.loads(snap.output.strip().splitlines()[-1])
    return {
        "rows": rows,
        "file_mb": path.stat().st_size / 1e6,
        "first": first,
        "again": again,
        "start": start,
        "snapshot": figures,
        "summary": first.output.strip().splitlines()[-1],
    }


def section(r: dict) -> list[str]:
    first, again, start, snap = r["first"], r["again"], r["start"], r["snapshot"]
    return [
        SECTION,
        "",
        f'CQC\'s "latest ratings" locations file at national size: {r["rows"]:,} rows '
        f"({r['file_mb']:.0f} MB, {len(HEADER)} columns as CQC publishes them, BOM and quoted "
        f"commas), {COUNCIL_LOCATIONS} of whose locations are the council's providers, through "
        "`manage.py import_csv cqc_ratings` (whole command, Django start-up included). The "
        "file is streamed once; rows of other locations are counted and skipped in the "
        "stream, so only the council's reach the database (docs/decisions.md, issue 12).",
        "",
        "| step | time | peak memory | target |",
        "| --- | --- | --- | --- |",
        f"| first import | {first.seconds:.1f} s | {first.peak_mb:.0f} MB | < 20 s, < 300 MB |",
        f"| same file again (changes nothing) | {again.seconds:.1f} s | {again.peak_mb:.0f} MB | |",
        f"| of which Django start-up | {start.seconds:.1f} s | {start.peak_mb:.0f} MB | |",
        "",
        f"Its summary: {r['summary']}",
        "",
        f"Weekly waiting snapshot over {snap['requests']:,} open requests with "
        f"{snap['history'] - 1} weeks of history kept: taking it took "
        f"{snap['snapshot_s'] * 1000:.0f} ms (target < 1 s); building the waiting page's "
        f"figures with the year's trend ({snap['trend_points']} points) took "
        f"{snap['view_s'] * 1000:.0f} ms.",
        "",
        "Run it alone: `make bench` runs every step; "
        "`.venv/bin/python -m benchmarks.run --only market` with DATABASE_URL set runs this one.",
    ]


def write_section(results: dict, path: Path = ROOT / "docs" / "benchmarks.md") -> Path:
    text = path.read_text() if path.exists() else "# Benchmarks\n"
    head, found, rest = text.partition(SECTION)
    parts = [head.strip("\n"), "\n".join(section(results))]
    if found and "\n## " in rest:
        parts.append(rest[rest.find("\n## ") :].strip("\n"))
    path.write_text("\n\n".join(parts) + "\n")
    return path
