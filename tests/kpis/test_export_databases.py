"""export_kpis prints the same JSON from SQLite (the demo's database) as from
PostgreSQL, the care-standards figures of issue 15 included: the same files
are imported into each with import_csv, and the figures are the hand-worked ones."""

from __future__ import annotations

import io
import json
import os
import subprocess
import sys
from pathlib import Path

import pytest
from django.conf import settings
from django.core.management import call_command

pytestmark = pytest.mark.django_db(transaction=True)

VISIT_HEADER = (
    "visit_id,package_ref,carer_ref,planned_start,planned_end,actual_start,actual_end,"
    "status,verification,time_critical\n"
)
FILES = {
    "providers": "provider_ref,name\nP01,Alpha Home Care\nP02,Beta Care\n",
    "contracts": (
        "contract_ref,provider_ref,framework,lot,start_date\n"
        "C1,P01,F,Lot 1,2024-04-01\nC2,P02,F,Lot 2,2024-04-01\n"
    ),
    "people": (
        "person_ref,lives_alone,lacks_capacity\n"
        "R1,yes,yes\nR2,yes,\nR3,no,yes\nR4,,\n"
    ),
    "packages": (
        "package_ref,person_ref,provider_ref,contract_ref,start_date,time_critical\n"
        "K1,R1,P01,C1,2026-01-01,yes\nK2,R2,P01,C1,2026-01-01,\n"
        "K3,R3,P02,C2,2026-01-01,no\nK4,R4,P02,C2,2026-01-01,\n"
    ),
    "visits": VISIT_HEADER
    + (
        # K1 is time-critical: V1 30 minutes early (within), V2 31 late (outside),
        # V3 missed (outside, and R1 lives alone and lacks capacity).
        "V1,K1,W1,2026-10-05T08:00:00,2026-10-05T08:20:00,2026-10-05T07:30:00,2026-10-05T07:50:00,completed,ecm,\n"
        "V2,K1,W1,2026-10-06T08:00:00,2026-10-06T08:20:00,2026-10-06T08:31:00,2026-10-06T08:51:00,completed,ecm,\n"
        "V3,K1,,2026-10-07T08:00:00,2026-10-07T08:20:00,,,missed,,\n"
        # K2: V4 itself time-critical, 31 minutes early (outside); W2 seen by R2
        # on 3 September only (V0), 33 days before: V4 (20 minutes) not known.
        "V0,K2,W2,2026-09-03T12:00:00,2026-09-03T13:00:00,2026-09-03T12:00:00,2026-09-03T13:00:00,completed,ecm,\n"
        "V4,K2,W2,2026-10-06T12:00:00,2026-10-06T12:20:00,2026-10-06T11:29:00,2026-10-06T11:49:00,completed,ecm,yes\n"
        "V5,K2,,2026-10-09T12:00:00,2026-10-09T12:20:00,,,missed,,no\n"
        # P02: W3 seen by R3 on 3 October (28 days before the 31st): V7 known,
        # across the night the clocks went back; R3 lacks capacity, V8 missed.
        "V6,K3,W3,2026-10-03T09:00:00,2026-10-03T10:00:00,2026-10-03T09:00:00,2026-10-03T10:00:00,completed,ecm,\n"
        "V7,K3,W3,2026-10-31T09:00:00,2026-10-31T09:15:00,2026-10-31T09:00:00,2026-10-31T09:15:00,completed,ecm,\n"
        "V8,K3,,2026-10-20T09:00:00,2026-10-20T09:30:00,,,missed,,\n"
        # R4: double-handed, 25 minutes, W4 known from earlier the same day.
        "V9,K4,W4,2026-10-12T07:00:00,2026-10-12T08:00:00,2026-10-12T07:00:00,2026-10-12T08:00:00,completed,manual,\n"
        "V10,K4,W4,2026-10-12T18:00:00,2026-10-12T18:25:00,2026-10-12T18:00:00,2026-10-12T18:25:00,completed,ecm,\n"
        "V10,K4,W5,2026-10-12T18:00:00,2026-10-12T18:25:00,2026-10-12T18:00:00,2026-10-12T18:25:00,completed,ecm,\n"
    ),
}  # fmt: skip
ORDER = ["providers", "contracts", "people", "packages", "visits"]

SCRIPT = """
import json, sys, django
django.setup()
from django.core.management import call_command
call_command("migrate", verbosity=0)
for kind, path in json.loads(sys.argv[1]):
    call_command("import_csv", kind, path, stdout=open("/dev/null", "w"))
call_command("export_kpis", "--month", "2026-10")
"""


def write_files(directory: Path) -> list[tuple[str, str]]:
    paths = []
    for kind in ORDER:
        path = directory / f"{kind}.csv"
        path.write_text(FILES[kind], encoding="utf-8")
        paths.append((kind, str(path)))
    return paths


def test_export_kpis_is_the_same_on_sqlite_and_postgresql(tmp_path):
    paths = write_files(tmp_path)
    for kind, path in paths:
        call_command("import_csv", kind, path, stdout=io.StringIO())
    out = io.StringIO()
    call_command("export_kpis", "--month", "2026-10", stdout=out, stderr=io.StringIO())
    on_postgres = json.loads(out.getvalue())

    env = {k: v for k, v in os.environ.items() if k != "CELERY_BROKER_URL"}
    env["DATABASE_URL"] = f"sqlite:///{tmp_path / 'kpis.sqlite3'}"
    env["DJANGO_SETTINGS_MODULE"] = "homecare.settings"
    env["DEBUG"] = "1"
    done = subprocess.run(
        [sys.executable, "-c", SCRIPT, json.dumps(paths)],
        env=env,
        cwd=settings.BASE_DIR,
        capture_output=True,
        text=True,
        timeout=300,
    )
    assert done.returncode == 0, done.stderr[-2000:]
    on_sqlite = json.loads(done.stdout[done.stdout.index("{") :])
    assert on_sqlite == on_postgres

    by_ref = {p["provider_ref"]: p for p in on_postgres["providers"]}
    p01, p02, whole = by_ref["P01"], by_ref["P02"], on_postgres["market"]
    # P01: time-critical V1, V2, V3 (package), V4 (visit); outside V2, V3, V4.
    assert (p01["time_critical_visits"], p01["time_critical_outside_window"]) == (4, 3)
    assert p01["time_critical_outside_rate"] == 0.75
    assert (p02["time_critical_visits"], p02["time_critical_outside_rate"]) == (0, None)
    # Delivered under 30 minutes: P01 V1, V2, V4. Only V2 has a known care
    # worker (W1, from V1 the day before); W1 is new on V1, and W2 was last
    # with R2 33 days before V4.
    assert p01["visits_under_30_min_delivered"] == 3
    assert p01["visits_under_30_min_known_carer"] == 1
    assert p01["visits_under_30_min_known_carer_rate"] == 0.3333
    # P02: V7 (known, 28 days) and V10 (known, same day earlier).
    assert p02["visits_under_30_min_delivered"] == 2
    assert p02["visits_under_30_min_known_carer_rate"] == 1.0
    # Missed: V3 (R1, alone and lacking capacity), V5 (R2, alone), V8 (R3, lacking capacity).
    assert p01["missed_visits_living_alone"] == 2
    assert p01["missed_visits_lacking_capacity"] == 1
    assert p01["missed_visits_living_alone_lacking_capacity"] == 1
    assert p02["missed_visits_lacking_capacity"] == 1
    assert whole["missed_visits_living_alone"] == 2
    assert whole["missed_visits_lacking_capacity"] == 2
    assert whole["missed_visits_living_alone_lacking_capacity"] == 1
    assert whole["visits_under_30_min_known_carer"] == 3
    assert whole["time_critical_outside_window"] == 3
