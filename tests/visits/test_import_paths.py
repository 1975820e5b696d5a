"""The two ways a visits file is staged hold to one set of rules: the same file
gives the same report, word for word and line for line, or the same visits,
whether its rows are checked set-based in SQL (PostgreSQL's path) or row by row
in Python (SQLite's path, and PostgreSQL's for files SQL cannot read line for
line)."""

from __future__ import annotations

import io

import pytest

from common.csvimport import FileRejected
from tests.common.importing import HEADERS, csv_bytes, load_reference_data
from visits.imports import import_visits
from visits.models import Visit, VisitCarer
from visits.pgstage import NeedsReader

pytestmark = pytest.mark.django_db

GOOD = ["V1", "K1", "C1", "2026-10-05T07:00:00", "2026-10-05T07:30:00",
        "2026-10-05T07:30:00", "2026-10-05T08:00:00", "completed", "ecm"]  # fmt: skip
COLUMNS = HEADERS["visits"]


def row(**changes: str) -> list[str]:
    values = dict(zip(COLUMNS, GOOD, strict=True))
    values.update(changes)
    return [values[c] for c in COLUMNS]


MISSED = {"status": "missed", "carer_ref": "", "actual_start": "", "actual_end": ""}
CASES = {
    "good rows, a double-handed visit in the repeated hour, a UTC time": [
        row(),
        row(
            visit_id="V2",
            carer_ref="C1",
            planned_start="2026-10-25T01:30:00",
            planned_end="2026-10-25T02:00:00",
            actual_start="2026-10-25T01:40:00",
            actual_end="2026-10-25T01:50:00",
        ),
        row(
            visit_id="V2",
            carer_ref="C2",
            planned_start="2026-10-25T01:30:00",
            planned_end="2026-10-25T02:00:00",
            actual_start="2026-10-25T01:45:00",
            actual_end="2026-10-25T02:00:00",
            verification="manual",
        ),
        row(
            visit_id="V3",
            planned_start="2026-10-20T12:00:00Z",
            planned_end="2026-10-20T12:30:00+01:00",
            **{k: v for k, v in MISSED.items() if k != "planned_start"},
        ),
    ],
    "values the rules trim and fold": [
        row(visit_id=" V1 ", status="Completed", verification="ECM "),
        row(
            visit_id="V2\t",
            carer_ref="\tC 1.a_b-c",
            status=" cancelled",
            actual_start="",
            actual_end="",
        ),
        row(
            visit_id="V3",
            planned_start="2026-10-05 07:00:00",
            planned_end="2026-10-05T07:30",
            actual_start="2028-02-29T07:00:00",
            actual_end="2028-02-29T07:30:00",
        ),
    ],
    "references with accents and a care worker ref at its limit": [
        row(carer_ref="Zoë Ann"),
        row(visit_id="V2", carer_ref="C" * 64),
    ],
    "a bad value in every column": [
        row(),
        row(visit_id=""),
        row(visit_id="V" * 65),
        row(visit_id="V4", package_ref="NOPE"),
        row(visit_id="V5", package_ref=""),
        row(visit_id="V6", status="done"),
        row(visit_id="V7", status=""),
        row(visit_id="V8", carer_ref="C/1"),
        row(visit_id="V9", carer_ref=".C1"),
        row(visit_id="V10", carer_ref="C" * 65),
        row(visit_id="V11", verification="e" * 33),
        row(visit_id="V12", planned_start="2026-02-29T07:00:00"),
        row(visit_id="V13", planned_start="2026-13-01T07:00:00"),
        row(visit_id="V14", planned_end="2026-10-05T24:00:00"),
        row(visit_id="V15", actual_start="2026-10-05T07:30:60"),
        row(visit_id="V16", actual_end="5 Oct 2026 08:00"),
        row(visit_id="V17", planned_start="1899-12-31T07:00:00"),
        row(visit_id="V18", planned_end="2101-01-01T07:30:00"),
        row(visit_id="V19", planned_end="2026-10-05T06:00:00"),
        row(visit_id="V20", planned_end="2026-10-05T07:00:00"),
        row(visit_id="V21", actual_end="2026-10-05T07:00:00"),
        row(visit_id="V22", actual_end="2026-10-05T07:30:00"),
        row(visit_id="V23", actual_start=""),
        row(visit_id="V24", actual_end=" "),
        row(visit_id="V25", carer_ref=""),
        row(visit_id="V26", status="missed"),
        row(
            visit_id="V27",
            **MISSED,
            planned_start="2026-03-29T01:30:00",
            planned_end="2026-03-29T02:30:00",
        ),
        row(visit_id="V28", planned_start="2019-10-05T07:00:00", planned_end="2019-10-05T07:30:00"),
        row(visit_id="V29", planned_start="2026-10-05T07:00:00+25:00"),
    ],
    "rows of one visit that disagree, a care worker twice": [
        row(),
        row(planned_end="2026-10-05T07:45:00", carer_ref="C2"),
        row(visit_id="V2"),
        row(visit_id="V2", verification="manual"),
    ],
}


def outcome(data: bytes, path: str, provider_id: int | None = None) -> object:
    """The report of a rejected file, or every visit and care-worker row it wrote."""
    try:
        import_visits(io.BytesIO(data), provider_id=provider_id, path=path)
    except FileRejected as rejected:
        return rejected.errors
    visits = sorted(
        Visit.objects.values_list(
            "provider_id", "visit_id", "package_id", "person_id", "planned_start",
            "planned_end", "planned_date", "actual_start", "actual_end", "status",
            "ecm_verified", "carer_count",
        )
    )  # fmt: skip
    carers = sorted(
        VisitCarer.objects.values_list(
            "visit__visit_id", "care_worker__ref", "actual_start", "actual_end", "verification"
        )
    )
    Visit.objects.all().delete()
    return visits, carers


@pytest.mark.parametrize("case", CASES)
def test_sql_and_python_paths_give_the_same_report_or_the_same_visits(case) -> None:
    load_reference_data(upto="reviews")
    data = csv_bytes(COLUMNS, CASES[case])
    assert b'"' not in data  # so the SQL path takes it, as a real ECM file
    by_sql = outcome(data, "sql")
    by_python = outcome(data, "python")
    assert by_sql == by_python
    if case.startswith("a bad value"):
        # Every row but the first is named, each once at least.
        named = {int(message.split(",")[0].split()[1]) for message in by_sql}
        assert named == set(range(3, len(CASES[case]) + 2))
    elif not case.startswith("rows of one visit"):
        assert by_sql[0], "nothing was imported"


def test_times_of_the_years_before_london_changed_its_clocks_at_one(settings) -> None:
    settings.VISIT_RETENTION_MONTHS = 12 * 130
    load_reference_data(upto="reviews")
    rows = [
        row(visit_id="V1", **MISSED, planned_start="1975-10-26T02:30:00",
            planned_end="1975-10-26T03:30:00"),
        row(visit_id="V2", **MISSED, planned_start="1975-03-16T02:30:00",
            planned_end="1975-03-16T03:30:00"),
        row(visit_id="V3", planned_start="1900-01-01T00:00:00", planned_end="2100-12-31T23:59:59"),
    ]  # fmt: skip
    data = csv_bytes(COLUMNS, rows)
    assert outcome(data, "sql") == outcome(data, "python")


def test_a_providers_own_upload_is_held_to_its_packages_on_both_paths() -> None:
    load_reference_data(upto="reviews")
    from providers.models import Provider

    other = Provider.objects.get(ref="P02").pk
    data = csv_bytes(COLUMNS, [row(), row(visit_id="V2", package_ref="K2")])
    assert outcome(data, "sql", other) == outcome(data, "python", other)
    assert any("is not one of your packages" in line for line in outcome(data, "sql", other))


@pytest.mark.parametrize(
    "data",
    [
        (",".join(COLUMNS) + "\n").encode(),
        csv_bytes(COLUMNS, [row(visit_id="V,1")]),  # quoted
        csv_bytes(COLUMNS, [row(), row(visit_id="V2")]).replace(b"\nV2", b"\n\nV2"),
        csv_bytes(COLUMNS, [row(carer_ref="C\x001")]),
        csv_bytes(COLUMNS, [row()])[:-1] + b",extra\n",
        # Past the first block the reader checks up front.
        csv_bytes(
            COLUMNS, [*(row(visit_id=f"V{n}") for n in range(60)), row(visit_id="V\xe9")]
        ).replace(b"\xc3\xa9", b"\xe9"),
    ],
    ids=["header only", "quotes", "blank line", "control character", "wide row", "not UTF-8"],
)
def test_files_the_sql_path_cannot_number_line_for_line_go_to_the_python_reader(data) -> None:
    load_reference_data(upto="reviews")
    with pytest.raises(NeedsReader):
        import_visits(io.BytesIO(data), path="sql")
    assert outcome(data, "auto") == outcome(data, "python")
