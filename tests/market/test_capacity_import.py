"""capacity.csv for commissioners: dated declarations, all or nothing, idempotent."""

from __future__ import annotations

from io import StringIO

import pytest
from django.core.management import call_command
from django.core.management.base import CommandError

from contracts.models import CapacityDeclaration
from tests.csvfiles import write_csv
from tests.market.market_files import load_market

pytestmark = pytest.mark.django_db
GOOD = """provider_ref,lot,declared_on,spare_weekly_hours,notes
P01,Lot 1 - Central,2026-10-01,20,
P01,Lot 1 - Central,2026-11-01,12.5,fewer carers
P02,Lot 2 - North East,2026-11-01,0,
"""


def run(tmp_path, text: str, name: str = "capacity.csv") -> str:
    out = StringIO()
    call_command("import_csv", "capacity", str(write_csv(tmp_path, name, text)), stdout=out)
    return out.getvalue()


def test_declarations_are_kept_by_date_and_a_second_import_changes_nothing(tmp_path):
    load_market(tmp_path)
    assert "3 new, 0 updated" in run(tmp_path, GOOD)
    before = sorted(
        CapacityDeclaration.objects.values_list(
            "provider__ref", "lot__name", "declared_on", "spare_weekly_hours"
        )
    )
    assert "0 new, 3 updated" in run(tmp_path, GOOD, "again.csv")
    after = sorted(
        CapacityDeclaration.objects.values_list(
            "provider__ref", "lot__name", "declared_on", "spare_weekly_hours"
        )
    )
    assert after == before and len(after) == 3


def test_a_bad_capacity_file_names_its_lines_and_changes_nothing(tmp_path):
    load_market(tmp_path)
    err = StringIO()
    bad = """provider_ref,lot,declared_on,spare_weekly_hours
P99,Lot 1 - Central,2026-10-01,20
P01,Lot 7,2026-10-01,20
P01,Lot 1 - Central,2026-13-01,-4
P01,Lot 1 - Central,2026-10-02,
P02,Lot 2 - North East,2026-11-01,3
P02,Lot 2 - North East,2026-11-01,4
"""
    with pytest.raises(CommandError):
        call_command("import_csv", "capacity", str(write_csv(tmp_path, "bad.csv", bad)), stderr=err)
    report = err.getvalue()
    assert "line 2, provider_ref: no provider 'P99'" in report
    assert "line 3, lot: no lot 'Lot 7'" in report
    assert "line 4, declared_on:" in report and "line 4, spare_weekly_hours:" in report
    assert "line 5, spare_weekly_hours: is blank" in report
    assert "line 7, declared_on: the same provider, lot and date as line 6" in report
    assert not CapacityDeclaration.objects.exists()
