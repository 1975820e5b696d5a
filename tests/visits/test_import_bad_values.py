"""visits.csv: every bad value is a line of the report, checked as the rows
stream into the staging table, and a rejected file changes nothing."""

from __future__ import annotations

import pytest
from hypothesis import given
from hypothesis import strategies as st

from tests.common.importing import (
    HEADERS,
    PROPERTY,
    csv_bytes,
    files,
    load_reference_data,
    rejected,
    run,
    run_and_undo,
    with_bad_row,
)
from visits.models import CareWorker, Visit, VisitCarer

pytestmark = pytest.mark.django_db

OUT_OF_RANGE = "is out of range: dates run from 1900-01-01 to 2100-12-31"

BAD_VALUES = [
    ("visit_id", "V" * 65, "is longer than 64 characters (it has 65)"),
    ("visit_id", "V\x009", "holds a NUL byte (U+0000)"),
    ("package_ref", "K1\x00", "holds a NUL byte (U+0000)"),
    ("carer_ref", "C/1", "'C/1' holds '/', which a reference may not hold"),
    ("carer_ref", "C" * 65, "is longer than 64 characters (it has 65)"),
    ("carer_ref", "C\x001", "holds a NUL byte (U+0000)"),
    ("carer_ref", "C\u00851", "holds a control character (U+0085)"),
    ("status", "completed\x00", "holds a NUL byte (U+0000)"),
    ("verification", "e" * 33, "is longer than 32 characters (it has 33)"),
    ("verification", "ecm\x1b", "holds a control character (U+001B)"),
    ("planned_start", "1899-12-31T07:00:00", f"'1899-12-31T07:00:00' {OUT_OF_RANGE}"),
    ("planned_end", "2101-01-01T07:30:00", f"'2101-01-01T07:30:00' {OUT_OF_RANGE}"),
    ("actual_start", "0001-01-01T00:00:00+01:00", f"'0001-01-01T00:00:00+01:00' {OUT_OF_RANGE}"),
    ("actual_end", "9999-12-31T23:59:59-01:00", f"'9999-12-31T23:59:59-01:00' {OUT_OF_RANGE}"),
    ("actual_end", "2026-10-05T08:00:00\x00", "holds a NUL byte (U+0000)"),
]


@pytest.mark.parametrize(("column", "value", "reason"), BAD_VALUES)
def test_each_bad_value_gets_its_line_and_changes_nothing(column, value, reason) -> None:
    load_reference_data(upto="reviews")
    report = rejected("visits", with_bad_row("visits", column, value))
    assert any(line.startswith(f"line 3, {column}: ") and reason in line for line in report), report
    assert not Visit.objects.exists()


def test_a_bad_value_deep_in_a_file_is_named_and_nothing_lands() -> None:
    # Thousands of good rows have streamed into the staging table by then.
    load_reference_data(upto="reviews")
    rows = [
        [f"V{n}", "K1", "C1", "2026-10-06T07:00:00", "2026-10-06T07:30:00",
         "2026-10-06T07:00:00", "2026-10-06T07:30:00", "completed", "ecm"]
        for n in range(4000)
    ]  # fmt: skip
    rows[3500][0] = "V" * 65
    rows[3600][2] = "C\x00"
    rows[3700][3] = "1066-10-14T09:00:00"
    report = rejected("visits", csv_bytes(HEADERS["visits"], rows))
    assert report == [
        "line 3502, visit_id: is longer than 64 characters (it has 65)",
        "line 3602, carer_ref: holds a NUL byte (U+0000)",
        f"line 3702, planned_start: '1066-10-14T09:00:00' {OUT_OF_RANGE}",
    ]
    assert not (Visit.objects.exists() or VisitCarer.objects.exists())


def test_care_worker_refs_with_accents_and_spaces_and_the_edge_dates_are_imported(
    settings,
) -> None:
    # The date range's own edges: retention (a separate rule, tested in
    # tests/retention) is stretched back past 1900 so only the range applies.
    settings.VISIT_RETENTION_MONTHS = 12 * 130
    load_reference_data(upto="reviews")
    rows = [
        ["V1", "K1", "Zoë Ann", "1900-01-01T07:00:00", "1900-01-01T07:30:00",
         "1900-01-01T07:00:00", "1900-01-01T07:30:00", "completed", "e" * 32],
        ["V2", "K1", "C" * 64, "2100-12-31T22:00:00", "2100-12-31T23:59:59",
         "2100-12-31T22:00:00", "2100-12-31T23:59:59", "completed", "ecm"],
    ]  # fmt: skip
    result = run("visits", csv_bytes(HEADERS["visits"], rows))
    assert not isinstance(result, list), result
    assert set(CareWorker.objects.values_list("ref", flat=True)) == {"Zoë Ann", "C" * 64}
    assert Visit.objects.count() == 2


def test_a_care_worker_ref_is_checked_on_every_line_it_is_on() -> None:
    load_reference_data(upto="reviews")
    row = with_bad_row("visits", "carer_ref", "C?1").decode().splitlines()[2]
    again = row.replace("V-bad", "V-bad-2")
    data = with_bad_row("visits", "carer_ref", "C?1") + again.encode() + b"\n"
    report = rejected("visits", data)
    assert [line.split(":")[0] for line in report] == ["line 3, carer_ref", "line 4, carer_ref"]


@pytest.fixture
def reference_data(db) -> None:
    load_reference_data(upto="reviews")


@PROPERTY
@given(data=st.data())
def test_any_visits_file_gives_a_result_or_a_line_numbered_report(
    reference_data, data: st.DataObject
) -> None:
    run_and_undo("visits", data.draw(files("visits"), label="file"))
