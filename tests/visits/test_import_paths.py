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


# Files of the usual ECM shape, which PostgreSQL's own COPY types at once
# (visits/pgfast.py), and the same files with one thing wrong.
def completed(visit_id: str, carer: str, day: str = "2026-10-05", hour: str = "07") -> list[str]:
    return row(
        visit_id=visit_id,
        carer_ref=carer,
        planned_start=f"{day}T{hour}:00:00",
        planned_end=f"{day}T{hour}:30:00",
        actual_start=f"{day}T{hour}:05:00",
        actual_end=f"{day}T{hour}:35:00",
    )


PLAIN = [
    row(),
    completed("V2", "C1", hour="09"),
    completed("V2", "C2", hour="09")[:-1] + ["manual"],
    # Three care workers; one visit in the hour the clocks go back, one on the
    # day they go forward.
    completed("V3", "C1", hour="11"),
    completed("V3", "C2", hour="11"),
    completed("V3", "C 3.b_c-d", hour="11"),
    completed("V4", "C1", day="2026-10-25", hour="01"),
    completed("V5", "C1", day="2026-03-29", hour="03"),
    row(visit_id="V6", **MISSED),
    row(visit_id="V7", **{**MISSED, "status": "cancelled", "carer_ref": "C2"}),
    row(visit_id="V8", planned_start="2026-10-05 07:00:00", verification=""),
]


@pytest.fixture
def staged_plain(monkeypatch) -> list[bool]:
    """Whether each import took the typed COPY (True) or fell back (False)."""
    import visits.imports
    from visits.pgfast import NotPlain, stage_plain

    taken: list[bool] = []

    def spy(*args, **kwargs):  # type: ignore[no-untyped-def]
        try:
            rows = stage_plain(*args, **kwargs)
        except NotPlain:
            taken.append(False)
            raise
        taken.append(True)
        return rows

    monkeypatch.setattr(visits.imports, "stage_plain", spy)
    return taken


@pytest.mark.parametrize(
    "data",
    [
        csv_bytes(COLUMNS, PLAIN),
        csv_bytes(COLUMNS, PLAIN).replace(b"\n", b"\r\n"),
        csv_bytes(COLUMNS, PLAIN)[:-1],
        csv_bytes([*COLUMNS, "notes"], [[*r, "a note"] for r in PLAIN]),
        csv_bytes(list(reversed(COLUMNS)), [list(reversed(r)) for r in PLAIN]),
    ],
    ids=["LF", "CRLF", "no last line break", "a column not used", "columns reordered"],
)
def test_a_plain_file_is_typed_by_copy_and_gives_the_same_visits(data, staged_plain) -> None:
    load_reference_data(upto="reviews")
    by_sql = outcome(data, "sql")
    assert staged_plain == [True]
    assert by_sql == outcome(data, "python")
    visits, carers = by_sql  # type: ignore[misc]
    assert len(visits) == 8 and len(carers) == 10
    # The double-handed visit: its latest times, not verified by ECM, two workers.
    v2 = next(v for v in visits if v[1] == "V2")
    assert v2[-2:] == (False, 2)


def test_a_plain_file_imported_again_changes_only_what_changed(staged_plain) -> None:
    load_reference_data(upto="reviews")
    import_visits(io.BytesIO(csv_bytes(COLUMNS, PLAIN)), path="sql")
    again = [r for r in PLAIN if r[2] != "C2" or r[0] != "V3"]  # C2 came off V3
    again[0] = row(actual_end="2026-10-05T08:10:00")
    result = import_visits(io.BytesIO(csv_bytes(COLUMNS, again)), path="sql")
    assert staged_plain == [True, True]
    assert (result.created, result.updated) == (0, 8)
    v3 = Visit.objects.get(visit_id="V3")
    assert v3.carer_count == 2
    assert sorted(v3.carer_rows.values_list("care_worker__ref", flat=True)) == ["C 3.b_c-d", "C1"]
    assert VisitCarer.objects.get(visit__visit_id="V1").actual_end.isoformat() == (
        "2026-10-05T07:10:00+00:00"
    )


def test_a_providers_own_plain_upload_is_held_to_its_packages(staged_plain) -> None:
    load_reference_data(upto="reviews")
    from providers.models import Provider

    data = csv_bytes(COLUMNS, PLAIN)
    own = Provider.objects.get(ref="P01").pk
    other = Provider.objects.get(ref="P02").pk
    assert outcome(data, "sql", own) == outcome(data, "python", own)
    assert outcome(data, "sql", other) == outcome(data, "python", other)
    assert staged_plain == [True, False]


NOT_PLAIN = {
    "a time in the hour the clocks skip": row(
        visit_id="V9", **MISSED, planned_start="2026-03-29T01:30:00",
        planned_end="2026-03-29T02:30:00",
    ),
    "29 February of a year that has none": row(visit_id="V9", planned_start="2026-02-28T07:00:00",
                                                planned_end="2026-02-29T07:30:00"),
    "midnight written 24:00:00": row(visit_id="V9", actual_end="2026-10-05T24:00:00"),
    "a 60th second": row(visit_id="V9", actual_end="2026-10-05T07:59:60"),
    "a time without seconds": row(visit_id="V9", actual_end="2026-10-05T08:00"),
    "a time with a UTC offset": row(visit_id="V9", actual_end="2026-10-05T08:00:00+01:00"),
    "a year before 1900": row(visit_id="V9", planned_start="1899-10-05T07:00:00"),
    "no such package": row(visit_id="V9", package_ref="NOPE"),
    "ends before it starts": row(visit_id="V9", planned_end="2026-10-05T06:30:00"),
    "ends as it starts": row(visit_id="V9", actual_end="2026-10-05T07:30:00"),
    "completed without its times": row(visit_id="V9", actual_end=""),
    "completed without a care worker": row(visit_id="V9", carer_ref=""),
    "missed with times": row(visit_id="V9", status="missed"),
    "before the months kept": row(visit_id="V9", planned_start="2019-10-05T07:00:00",
                                  planned_end="2019-10-05T07:30:00"),
    "a status in capitals": row(visit_id="V9", status="Completed"),
    "a verification word in capitals": row(visit_id="V9", verification="ECM"),
    "a space around a cell": row(visit_id="V9", carer_ref="C1 "),
    "a care worker ref that is not plain": row(visit_id="V9", carer_ref="C/1"),
    "a visit id too long": row(visit_id="V" * 65),
    "rows of a visit that disagree": completed("V2", "C3", hour="10"),
    "a care worker twice on a visit of two": completed("V2", "C1", hour="09")[:-1] + ["manual"],
    "a care worker twice on a visit of three": completed("V3", "C1", hour="11"),
    "two rows without a care worker": row(visit_id="V6", **MISSED),
}  # fmt: skip


@pytest.mark.parametrize("case", NOT_PLAIN)
def test_a_file_that_is_not_plain_is_checked_from_its_raw_text(case, staged_plain) -> None:
    load_reference_data(upto="reviews")
    data = csv_bytes(COLUMNS, [*PLAIN, NOT_PLAIN[case]])
    by_sql = outcome(data, "sql")
    assert staged_plain == [False]
    assert by_sql == outcome(data, "python")
