"""requests.csv (market-definitions.md) through import_csv, on PostgreSQL."""

from __future__ import annotations

import datetime as dt
from decimal import Decimal
from io import StringIO

import pytest
from django.core.management import call_command
from django.core.management.base import CommandError

from contracts.models import CarePackage, CareRequest, Lot, LotDistrict
from tests.csvfiles import write_csv
from tests.market.market_files import FILES, load_market

pytestmark = pytest.mark.django_db
HEADER = "request_ref,person_ref,requested_at,source,lot,weekly_hours,status,placed_at,package_ref,withdrawn_at"  # noqa: E501


def rejected(path) -> str:
    err = StringIO()
    with pytest.raises(CommandError):
        call_command("import_csv", "requests", str(path), stderr=err)
    return err.getvalue()


def test_requests_import_with_their_instants_and_links(tmp_path):
    load_market(tmp_path)
    q1 = CareRequest.objects.get(ref="Q1")
    assert q1.person.ref == "007"
    assert q1.lot.name == "Lot 2 - North East"
    assert q1.package.ref == "K1"
    # Local time in BST: 10:15 London is 09:15 UTC.
    assert q1.requested_at == dt.datetime(2026, 8, 28, 9, 15, tzinfo=dt.UTC)
    assert q1.weekly_hours == Decimal("14.50")
    q4 = CareRequest.objects.get(ref="Q4")
    assert (q4.status, q4.withdrawn_reason) == ("withdrawn", "Family care, for now")
    assert CareRequest.objects.get(ref="Q5").requested_at == dt.datetime(
        2026, 10, 31, tzinfo=dt.UTC
    )
    assert CarePackage.objects.get(ref="K3").request_ref == "Q3"


def test_importing_the_same_requests_again_changes_nothing(tmp_path):
    load_market(tmp_path)
    before = sorted(CareRequest.objects.values_list())
    out = StringIO()
    path = write_csv(tmp_path, "again.csv", FILES["requests"])
    call_command("import_csv", "requests", str(path), stdout=out)
    assert "0 new, 5 updated" in out.getvalue()
    assert sorted(CareRequest.objects.values_list()) == before


def test_blank_lot_is_found_from_the_district_map(tmp_path):
    load_market(tmp_path)
    LotDistrict.objects.create(postcode_district="S11", lot=Lot.objects.get(name="Lot 1 - Central"))
    call_command(
        "import_csv",
        "requests",
        str(write_csv(tmp_path, "r.csv", FILES["requests"])),
        stdout=StringIO(),
    )
    assert CareRequest.objects.get(ref="Q5").lot.name == "Lot 1 - Central"
    # S8 is not mapped: the lot stays unknown.
    assert CareRequest.objects.get(ref="Q3").lot is None


def test_a_bad_file_names_each_row_and_changes_nothing(tmp_path):
    load_market(tmp_path)
    before = sorted(CareRequest.objects.values_list())
    path = write_csv(
        tmp_path,
        "bad.csv",
        f"""{HEADER}
N1,007,2026-10-05T10:00:00,hospital,,,placed,2026-10-05T09:59:00,,
N2,NOBODY,2026-10-05T10:00:00,community,,,open,,,
N3,007,2026-10-05T10:00:00,walk-in,,,open,,,
N4,007,2026-10-05T10:00:00,other,,,placed,,,
N5,007,2026-10-05T10:00:00,other,,,withdrawn,,,
N6,007,2026-10-05T10:00:00,other,Lot 9,,open,,,
N7,007,2026-10-05T10:00:00,other,,,open,,K99,
N8,007,2026-03-29T01:30:00,other,,,open,,,
N1,007,2026-10-05T10:00:00,other,,,open,,,
""",
    )
    report = rejected(path)
    assert "line 2, placed_at: is before requested_at" in report
    assert "line 3, person_ref: no person 'NOBODY'" in report
    assert "line 4, source: 'walk-in' is not one of" in report
    assert "line 5, placed_at: is blank, but the request is placed" in report
    assert "line 6, withdrawn_at: is blank, but the request is withdrawn" in report
    assert "line 7, lot: no lot 'Lot 9'" in report
    assert "line 8, package_ref: no package 'K99'" in report
    assert "line 9, requested_at:" in report and "does not exist" in report
    assert "line 10, request_ref: 'N1' appears again (first on line 2)" in report
    assert sorted(CareRequest.objects.values_list()) == before


def test_a_package_file_without_request_ref_keeps_the_link(tmp_path):
    load_market(tmp_path)
    older = "\n".join(line.rsplit(",", 1)[0] for line in FILES["packages"].strip().splitlines())
    call_command(
        "import_csv", "packages", str(write_csv(tmp_path, "p.csv", older)), stdout=StringIO()
    )
    assert CarePackage.objects.get(ref="K3").request_ref == "Q3"
