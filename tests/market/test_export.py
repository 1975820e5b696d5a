"""export_market: the spec's JSON, the same on PostgreSQL and SQLite."""

from __future__ import annotations

import json
import os
import subprocess
import sys
from io import StringIO
from pathlib import Path

import pytest
from django.conf import settings
from django.core.management import call_command
from django.core.management.base import CommandError

from tests.market.market_files import KINDS, load_market, write_market

pytestmark = pytest.mark.django_db

EXPECTED = {
    "month": "2026-10",
    "waiting_at_month_end": {
        # Q2 (R2, since 20 September), Q4 and Q5 (both R4): two people.
        "people": 2,
        "requests": 3,
        "hours": 10.25,
        "by_band": {"under_48h": 1, "48h_to_7d": 0, "7d_to_28d": 1, "28d_and_over": 1},
        "by_source": {"hospital": 0, "community": 1, "reablement": 1, "other": 1},
        # 24 h, 279 h (20 Oct 09:00 UTC to 1 Nov 00:00 UTC), 1,001 h.
        "median_wait_hours": 279.0,
        "longest_wait_hours": 1001.0,
    },
    "hospital_discharge_requests": 1,
    # Q3 started exactly 48 hours after its request: within.
    "hospital_discharges_started_within_48h": 1,
    "lots": [
        {
            "lot": "Lot 1 - Central",
            "hhi": 10000.0,
            "shares": [{"provider_ref": "P02", "share": 1.0}],
        },
        {
            "lot": "Lot 2 - North East",
            "hhi": 10000.0,
            "shares": [{"provider_ref": "P01", "share": 1.0}],
        },
    ],
    "providers": [
        {
            "provider_ref": "P01",
            "cqc_rating": "Requires improvement",
            "cqc_publication_date": "2026-08-14",
        },
        {"provider_ref": "P02", "cqc_rating": None, "cqc_publication_date": None},
    ],
}

SQLITE_SCRIPT = """
import io, json, sys
import django
django.setup()
from django.core.management import call_command
call_command("migrate", verbosity=0)
for kind, path in json.loads(sys.argv[1]):
    call_command("import_csv", kind, path, stdout=io.StringIO())
call_command("export_market", month="2026-10")
"""


def export(month: str) -> dict:
    out = StringIO()
    call_command("export_market", month=month, stdout=out)
    return json.loads(out.getvalue())


def test_export_market_prints_the_specs_json(tmp_path):
    load_market(tmp_path)
    assert export("2026-10") == EXPECTED


def test_export_is_the_same_on_sqlite(tmp_path):
    assert settings.DATABASES["default"]["ENGINE"].endswith("postgresql")
    load_market(tmp_path)
    on_postgres = export("2026-10")
    (tmp_path / "sqlite").mkdir()
    paths = write_market(tmp_path / "sqlite")
    env = {
        **os.environ,
        "DATABASE_URL": f"sqlite:///{tmp_path / 'market.sqlite3'}",
        "DJANGO_SETTINGS_MODULE": "homecare.settings",
        "DEBUG": "1",
        "CELERY_BROKER_URL": "",
    }
    done = subprocess.run(
        [sys.executable, "-c", SQLITE_SCRIPT, json.dumps([[k, str(paths[k])] for k in KINDS])],
        cwd=Path(settings.BASE_DIR),
        env=env,
        capture_output=True,
        text=True,
        timeout=300,
    )
    assert done.returncode == 0, done.stderr[-3000:]
    on_sqlite = json.loads(done.stdout[done.stdout.index("{") :])
    assert on_sqlite == on_postgres == EXPECTED


def test_a_bad_month_is_an_error():
    with pytest.raises(CommandError, match="is not a month"):
        call_command("export_market", month="2026-13")


def test_an_empty_market_gives_nulls_not_errors():
    assert export("2026-10")["waiting_at_month_end"] == {
        "people": 0,
        "requests": 0,
        "hours": 0.0,
        "by_band": {"under_48h": 0, "48h_to_7d": 0, "7d_to_28d": 0, "28d_and_over": 0},
        "by_source": {"hospital": 0, "community": 0, "reablement": 0, "other": 0},
        "median_wait_hours": None,
        "longest_wait_hours": None,
    }
