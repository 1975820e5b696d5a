"""The import_csv command against the data-exchange spec, on PostgreSQL."""

from __future__ import annotations

import datetime as dt
from decimal import Decimal
from io import StringIO
from pathlib import Path

import pytest
from django.core.management import call_command
from django.core.management.base import CommandError

from contracts.models import CarePackage, Contract, Lot, Person
from providers.models import Provider
from reviews.models import PackageReview
from tests.csvfiles import ORDER, REFERENCE_FILES, VISIT_HEADER, write_csv
from visits.models import CareWorker, ImportOutcome, ImportRecord, Visit, VisitCarer

pytestmark = pytest.mark.django_db
UTC = dt.UTC
MODELS = [
    Provider,
    Contract,
    Lot,
    Person,
    CarePackage,
    PackageReview,
    CareWorker,
    Visit,
    VisitCarer,
]


def run_import(kind: str, path: Path) -> str:
    out = StringIO()
    call_command("import_csv", kind, str(path), stdout=out)
    return out.getvalue()


def load_all(directory: Path, upto: str = "visits") -> None:
    for kind in ORDER[: ORDER.index(upto) + 1]:
        run_import(kind, write_csv(directory, f"{kind}.csv", REFERENCE_FILES[kind]))


def snapshot() -> dict[str, list[tuple]]:
    """Everything the imports write, as plain values, to compare before and after."""
    return {m.__name__: sorted(map(tuple, m.objects.values_list())) for m in MODELS}


def rejected(kind: str, path: Path) -> str:
    err = StringIO()
    with pytest.raises(CommandError) as excinfo:
        call_command("import_csv", kind, str(path), stderr=err)
    assert excinfo.value.returncode == 1
    return err.getvalue()


def test_each_kind_imports_and_says_what_it_did(tmp_path):
    outputs = {}
    for kind in ORDER:
        outputs[kind] = run_import(kind, write_csv(tmp_path, f"{kind}.csv", REFERENCE_FILES[kind]))

    assert "Imported 2 rows of providers: 2 new, 0 updated" in outputs["providers"]
    assert "Ignored columns not in the format: region" in outputs["providers"]
    alpha = Provider.objects.get(ref="P01")
    assert (alpha.cqc_rating, alpha.cqc_rating_date) == ("Good", dt.date(2025, 3, 14))
    contract = Contract.objects.get(ref="C-001")
    assert contract.hourly_rate == Decimal("22.96")
    assert str(contract.lot) == "Lot 2 - North East (Care and Wellbeing 2024-2031)"
    # Leading zeros in refs matter.
    person = Person.objects.get(ref="007")
    assert (person.lives_alone, person.lacks_capacity) == (True, False)
    package = CarePackage.objects.get(ref="K1")
    assert package.requested_at == dt.datetime(2026, 8, 28, 9, 15, tzinfo=UTC)  # BST
    assert package.hospital_discharge is True
    assert PackageReview.objects.get(ref="RV2").review_type == "change_of_need"
    assert "Imported 5 rows of visits: 4 new, 0 updated (4 visits)" in outputs["visits"]


def test_visit_times_follow_london_rules_and_double_handed_visits_merge(tmp_path):
    load_all(tmp_path)
    v1 = Visit.objects.get(visit_id="V1")
    assert v1.planned_start == dt.datetime(2026, 10, 5, 6, 0, tzinfo=UTC)
    assert v1.ecm_verified is True
    # 01:30 on the night the clocks go back is the first (BST) 01:30.
    v2 = Visit.objects.get(visit_id="V2")
    assert v2.planned_start == dt.datetime(2026, 10, 25, 0, 30, tzinfo=UTC)
    # Starts when the last care worker arrives, ends when the last one leaves.
    assert v2.actual_start == dt.datetime(2026, 10, 25, 0, 45, tzinfo=UTC)
    # 02:05 comes after the repeated hour: it is GMT, so UTC, 95 real minutes later.
    assert v2.actual_end == dt.datetime(2026, 10, 25, 2, 5, tzinfo=UTC)
    assert v2.carer_count == 2
    assert v2.ecm_verified is False
    assert sorted(v2.care_workers.values_list("ref", flat=True)) == ["C1", "C2"]
    v3 = Visit.objects.get(visit_id="V3")
    assert (v3.planned_date, v3.status, v3.actual_start) == (dt.date(2026, 10, 31), "missed", None)
    v4 = Visit.objects.get(visit_id="V4")
    assert v4.planned_start == dt.datetime(2026, 10, 20, 12, 0, tzinfo=UTC)


def test_importing_a_file_twice_equals_importing_it_once(tmp_path):
    load_all(tmp_path)
    once = snapshot()
    for kind in ORDER:
        out = run_import(kind, tmp_path / f"{kind}.csv")
        assert " 0 new," in out
    assert snapshot() == once


def test_reimport_updates_a_visit_and_its_care_workers(tmp_path):
    load_all(tmp_path)
    changed = write_csv(
        tmp_path,
        "again.csv",
        f"""
{VISIT_HEADER}
V2,K1,C3,2026-10-25T01:30:00,2026-10-25T02:00:00,2026-10-25T01:31:00,2026-10-25T02:01:00,completed,ecm
""",
    )
    out = run_import("visits", changed)
    assert "0 new, 1 updated" in out
    v2 = Visit.objects.get(visit_id="V2")
    assert list(v2.care_workers.values_list("ref", flat=True)) == ["C3"]
    assert v2.carer_count == 1
    assert v2.ecm_verified is True


BAD_VISITS = {
    "bad date-time": (
        "V9,K1,C1,2026-10-05 7am,2026-10-05T07:30:00,2026-10-05T07:00:00,2026-10-05T07:30:00,"
        "completed,ecm",
        "line 2, planned_start: '2026-10-05 7am' is not a date-time",
    ),
    "local time that does not exist": (
        "V9,K1,C1,2026-03-29T01:30:00,2026-03-29T02:30:00,2026-03-29T03:00:00,"
        "2026-03-29T03:30:00,completed,ecm",
        "line 2, planned_start: '2026-03-29T01:30:00' is a local time that does not exist",
    ),
    "unknown ref": (
        "V9,K404,C1,2026-10-05T07:00:00,2026-10-05T07:30:00,2026-10-05T07:00:00,"
        "2026-10-05T07:30:00,completed,ecm",
        "line 2, package_ref: no care package 'K404'",
    ),
    "completed visit without times": (
        "V9,K1,C1,2026-10-05T07:00:00,2026-10-05T07:30:00,,,completed,ecm",
        "line 2, actual_start: is required for a completed visit",
    ),
    "end before start": (
        "V9,K1,C1,2026-10-05T07:00:00,2026-10-05T07:30:00,2026-10-05T07:40:00,"
        "2026-10-05T07:10:00,completed,ecm",
        "line 2, actual_end: is before actual_start",
    ),
    "rows of one visit that disagree": (
        "V9,K1,C1,2026-10-05T07:00:00,2026-10-05T07:30:00,2026-10-05T07:00:00,"
        "2026-10-05T07:30:00,completed,ecm\n"
        "V9,K1,C2,2026-10-05T08:00:00,2026-10-05T08:30:00,2026-10-05T08:00:00,"
        "2026-10-05T08:30:00,completed,ecm",
        "line 3, planned_start: differs from line 2, another row of visit V9",
    ),
    "a care worker twice on one visit": (
        "V9,K1,C1,2026-10-05T07:00:00,2026-10-05T07:30:00,2026-10-05T07:00:00,"
        "2026-10-05T07:30:00,completed,ecm\n"
        "V9,K1,C1,2026-10-05T07:00:00,2026-10-05T07:30:00,2026-10-05T07:00:00,"
        "2026-10-05T07:30:00,completed,ecm",
        "line 3, carer_ref: care worker C1 is already on visit V9 (line 2)",
    ),
    "bad status": (
        "V9,K1,,2026-10-05T07:00:00,2026-10-05T07:30:00,,,no-show,",
        "line 2, status: 'no-show' is not a status",
    ),
}


@pytest.mark.parametrize("case", sorted(BAD_VISITS))
def test_a_bad_visits_file_is_rejected_whole_with_line_numbers(tmp_path, case):
    load_all(tmp_path)
    before = snapshot()
    bad_row, message = BAD_VISITS[case]
    # A good row first: it must not land either.
    good = (
        "V8,K1,C1,2026-10-06T07:00:00,2026-10-06T07:30:00,2026-10-06T07:00:00,"
        "2026-10-06T07:30:00,completed,ecm"
    )
    path = write_csv(tmp_path, "bad.csv", f"{VISIT_HEADER}\n{bad_row}\n{good}\n")
    report = rejected("visits", path)
    assert message in report
    assert snapshot() == before
    record = ImportRecord.objects.latest("created_at")
    assert record.outcome == ImportOutcome.REJECTED
    assert message in record.error_report


def test_every_bad_row_is_named_not_just_the_first(tmp_path):
    load_all(tmp_path)
    path = write_csv(
        tmp_path,
        "bad.csv",
        f"""
{VISIT_HEADER}
V8,K1,C1,2026-10-06T07:00:00,2026-10-06T07:30:00,2026-10-06T07:00:00,2026-10-06T07:30:00,completed,ecm
V9,K1,,2026-10-06T08:00:00,2026-10-06T07:30:00,,,missed,
"V10",K1,C1,2026-10-06T09:00:00,2026-10-06T09:30:00,2026-10-06T09:00:00,,completed,ecm
""",
    )
    report = rejected("visits", path)
    assert "line 3, planned_end: is not after planned_start" in report
    assert "line 4, actual_end: is required for a completed visit" in report


@pytest.mark.parametrize(
    ("kind", "text", "message"),
    [
        (
            "visits",
            "visit_id,package_ref,planned_start,status\nV1,K1,2026-10-05T07:00:00,missed\n",
            "line 1, planned_end: required column is missing",
        ),
        (
            "people",
            "person_ref,lives_alone\nR9,sometimes\n",
            "line 2, lives_alone: 'sometimes' is not true or false",
        ),
        ("providers", "", "line 1: the file is empty"),
        (
            "providers",
            "provider_ref,name\n",
            "line 2, provider_ref: the file has a header but no rows",
        ),
        (
            "packages",
            "package_ref,person_ref,provider_ref,start_date\nK9,R404,P01,2026-10-01\n",
            "line 2, person_ref: no person 'R404'",
        ),
        (
            "reviews",
            "review_ref,package_ref,review_date,review_type\nRV9,K1,13/10/2026,six_week\n",
            "line 2, review_date: '13/10/2026' is not a date",
        ),
        (
            "contracts",
            "contract_ref,provider_ref,framework,lot,start_date\nC-9,P01,F,L,2026-01-01\n"
            "C-9,P01,F,L,2026-01-01\n",
            "line 3, contract_ref: 'C-9' appears again (first on line 2)",
        ),
    ],
)
def test_bad_files_of_each_kind_change_nothing(tmp_path, kind, text, message):
    load_all(tmp_path, upto="reviews")
    before = snapshot()
    report = rejected(kind, write_csv(tmp_path, "bad.csv", text))
    assert message in report
    assert snapshot() == before


def test_a_file_that_is_not_csv_is_rejected(tmp_path):
    path = tmp_path / "visits.xlsx"
    path.write_bytes(b"PK\x03\x04\x14\x00\x06\x00\x08\x00\x00\x00!\x00binary spreadsheet")
    report = rejected("visits", path)
    assert "line 1: this is not a CSV file" in report
    assert Visit.objects.count() == 0


def test_bom_crlf_quoting_and_column_order_are_accepted(tmp_path):
    text = '\ufeffname,provider_ref\r\n"Gamma, Care & Support",  P03  \r\n'
    path = tmp_path / "providers.csv"
    path.write_bytes(text.encode("utf-8"))
    run_import("providers", path)
    assert Provider.objects.get(ref="P03").name == "Gamma, Care & Support"


def test_a_provider_upload_cannot_touch_another_providers_packages(tmp_path):
    from homecare.imports.services import import_path

    load_all(tmp_path, upto="reviews")
    path = write_csv(
        tmp_path,
        "visits.csv",
        f"""
{VISIT_HEADER}
V1,K2,,2026-10-05T07:00:00,2026-10-05T07:30:00,,,missed,
""",
    )
    record = import_path("visits", path, provider=Provider.objects.get(ref="P01"))
    assert record.outcome == ImportOutcome.REJECTED
    assert "line 2, package_ref: 'K2' is not one of your packages" in record.error_report
    assert Visit.objects.count() == 0


def test_a_file_that_stops_being_utf8_part_way_is_rejected_whole(tmp_path):
    load_all(tmp_path, upto="reviews")
    good = (
        "V{n},K1,C1,2026-10-06T07:00:00,2026-10-06T07:30:00,2026-10-06T07:00:00,"
        "2026-10-06T07:30:00,completed,ecm\n"
    )
    # Far enough in that the first rows have already streamed to the database.
    body = "".join(good.format(n=n) for n in range(3000)).encode()
    path = tmp_path / "visits.csv"
    path.write_bytes(VISIT_HEADER.encode() + b"\n" + body + b"V9,K1,\xff\xfe,bad\n")
    report = rejected("visits", path)
    assert "is not UTF-8 text" in report
    assert Visit.objects.count() == 0
