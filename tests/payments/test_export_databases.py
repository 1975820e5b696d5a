"""export_payments prints the same JSON from SQLite (the demo's database) as
from PostgreSQL: the same files are imported into each with import_csv."""

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

FILES = {
    "providers": "provider_ref,name\nP01,Alpha Home Care\nP02,Beta Care\nP03,Gamma Care\n",
    "contracts": (
        "contract_ref,provider_ref,framework,lot,start_date,end_date,hourly_rate,"
        "payment_basis,rounding_minutes,short_notice_hours\n"
        "C1,P01,F,Lot 1,2024-04-01,,22.96,planned,,24\n"
        "C2,P02,F,Lot 2,2024-04-01,,22.97,verified,15,\n"
        "C3,P03,F,Lot 2,2024-04-01,,,verified,,2\n"
    ),
    "contract_rates": (
        "contract_ref,effective_from,hourly_rate\nC1,2026-10-15,23.41\nC3,2026-01-01,19.99\n"
    ),
    "people": "person_ref\nR1\nR2\nR3\nR4\n",
    "packages": (
        "package_ref,person_ref,provider_ref,contract_ref,start_date,end_date,planned_weekly_hours\n"
        "K1,R1,P01,C1,2026-01-01,,10\nK2,R2,P02,C2,2026-01-01,,7.5\n"
        "K3,R3,P03,C3,2026-01-01,,3\nK4,R4,P01,C1,2026-01-01,,1\n"
    ),
    "visits": (
        "visit_id,package_ref,carer_ref,planned_start,planned_end,actual_start,actual_end,"
        "status,verification,cancelled_at\n"
        "V1,K1,W1,2026-10-14T09:00:00,2026-10-14T09:20:00,2026-10-14T09:00:00,2026-10-14T09:25:00,completed,manual,\n"
        "V2,K1,W1,2026-10-15T09:00:00,2026-10-15T09:45:00,2026-10-15T09:00:00,2026-10-15T09:40:00,completed,ecm,\n"
        "V2,K1,W2,2026-10-15T09:00:00,2026-10-15T09:45:00,2026-10-15T09:05:00,2026-10-15T09:41:00,completed,ecm,\n"
        "V3,K1,W1,2026-10-25T00:30:00,2026-10-25T02:30:00,,,cancelled,,2026-10-24T20:00:00\n"
        "V4,K2,W3,2026-10-05T09:00:00,2026-10-05T09:30:00,2026-10-05T09:00:00,2026-10-05T09:22:30,completed,ecm,\n"
        "V5,K2,W3,2026-10-06T09:00:00,2026-10-06T09:30:00,2026-10-06T09:00:00,2026-10-06T09:33:00,completed,manual,\n"
        "V6,K3,W4,2026-10-07T09:00:00,2026-10-07T10:00:00,2026-10-07T09:00:00,2026-10-07T09:47:13,completed,ecm,\n"
        "V7,K3,W4,2026-10-08T09:00:00,2026-10-08T10:00:00,,,cancelled,,2026-10-08T08:00:00\n"
        "V8,K4,W1,2026-10-08T09:00:00,2026-10-08T10:00:00,,,missed,,\n"
        "V9,K1,W1,2026-09-30T09:00:00,2026-09-30T10:00:00,2026-09-30T09:00:00,2026-09-30T10:00:00,completed,ecm,\n"
    ),
}
ORDER = ["providers", "contracts", "contract_rates", "people", "packages", "visits"]


def write_files(directory: Path) -> list[tuple[str, str]]:
    paths = []
    for kind in ORDER:
        path = directory / f"{kind}.csv"
        path.write_text(FILES[kind], encoding="utf-8")
        paths.append((kind, str(path)))
    return paths


SCRIPT = """
import json, sys, django
django.setup()
from django.core.management import call_command
call_command("migrate", verbosity=0)
for kind, path in json.loads(sys.argv[1]):
    call_command("import_csv", kind, path, stdout=open("/dev/null", "w"))
call_command("export_payments", month="2026-10")
"""


def test_export_is_the_same_on_sqlite_and_postgresql(tmp_path):
    paths = write_files(tmp_path)
    for kind, path in paths:
        call_command("import_csv", kind, path, stdout=io.StringIO())
    out = io.StringIO()
    call_command("export_payments", month="2026-10", stdout=out)
    on_postgres = out.getvalue()

    env = {k: v for k, v in os.environ.items() if k != "CELERY_BROKER_URL"}
    env["DATABASE_URL"] = f"sqlite:///{tmp_path / 'payments.sqlite3'}"
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
    on_sqlite = done.stdout
    assert json.loads(on_sqlite) == json.loads(on_postgres)
    assert on_sqlite.strip() == on_postgres.strip()

    # And the figures are the ones worked by hand.
    document = json.loads(on_postgres)
    by_ref = {p["provider_ref"]: p for p in document["providers"]}
    # P01: V1 20 min at 22.96 (planned basis: manual times are paid) = 7.6533;
    # V2 45 min x 2 workers at 23.41 from the 15th = 35.115; V3 called off
    # 4 1/2 hours before its start at 00:30 BST on 25 October, under 24 hours:
    # paid for its real 3 hours (the clocks went back) at 23.41 = 70.23.
    # 290 minutes = 4.83 h; 112.9983 = 113.00. V9 is September's; K4 missed.
    assert by_ref["P01"]["packages"] == [
        {"package_ref": "K1", "payable_hours": 4.83, "amount": "113.00"}
    ]
    # P02 verified, 15-minute rounding: V4 22:30 -> 30 min at 22.97 = 11.485
    # -> 11.49; V5 not ECM: nothing, and an exception.
    assert by_ref["P02"] == {
        "provider_ref": "P02", "payable_hours": 0.5, "amount": "11.49", "exceptions": 1,
        "packages": [{"package_ref": "K2", "payable_hours": 0.5, "amount": "11.49"}],
    }  # fmt: skip
    # P03 verified, exact: 47 min 13 s at the dated 19.99 = 15.7321 -> 15.73;
    # V7 called off an hour before, under its 2 hours' notice: 60 min = 19.99.
    assert by_ref["P03"]["amount"] == "35.72"
