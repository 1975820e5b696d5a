"""time_critical (issue 15) in visits.csv and packages.csv: blank is no, the
rows of one visit must agree on it, and the SQL and Python paths of a visits
import read it alike."""

from __future__ import annotations

import io

import pytest

from common.csvimport import FileRejected
from contracts.imports import import_packages
from contracts.models import CarePackage
from tests.common.importing import HEADERS, csv_bytes, load_reference_data
from visits.imports import import_visits
from visits.models import Visit

pytestmark = pytest.mark.django_db

COLUMNS = [*HEADERS["visits"], "time_critical"]
GOOD = dict(
    zip(
        COLUMNS,
        ["V1", "K1", "C1", "2026-10-05T07:00:00", "2026-10-05T07:30:00",
         "2026-10-05T07:30:00", "2026-10-05T08:00:00", "completed", "ecm", ""],
        strict=True,
    )
)  # fmt: skip
PATHS = ["sql", "python"]


def row(**changes: str) -> list[str]:
    values = {**GOOD, **changes}
    return [values[c] for c in COLUMNS]


def imported(data: bytes, path: str) -> dict[str, bool] | list[str]:
    """Each visit's time_critical, or the report of a rejected file."""
    try:
        import_visits(io.BytesIO(data), path=path)
    except FileRejected as rejected:
        return rejected.errors
    flags = dict(Visit.objects.values_list("visit_id", "time_critical"))
    Visit.objects.all().delete()
    return flags


@pytest.mark.parametrize("path", PATHS)
def test_words_for_yes_and_no_and_blank_is_no(path: str) -> None:
    load_reference_data(upto="reviews")
    words = {"V1": "yes", "V2": " TRUE ", "V3": "1", "V4": "y", "V5": "no", "V6": "0", "V7": ""}
    data = csv_bytes(COLUMNS, [row(visit_id=v, time_critical=w) for v, w in words.items()])
    assert imported(data, path) == {
        "V1": True,
        "V2": True,
        "V3": True,
        "V4": True,
        "V5": False,
        "V6": False,
        "V7": False,
    }


@pytest.mark.parametrize("path", PATHS)
def test_a_double_handed_visit_whose_rows_agree_is_time_critical(path: str) -> None:
    load_reference_data(upto="reviews")
    data = csv_bytes(
        COLUMNS,
        [row(time_critical="yes"), row(carer_ref="C2", time_critical="true")],
    )
    assert imported(data, path) == {"V1": True}


@pytest.mark.parametrize("path", PATHS)
def test_rows_of_one_visit_that_disagree_reject_the_file_line_by_line(path: str) -> None:
    load_reference_data(upto="reviews")
    data = csv_bytes(
        COLUMNS,
        [
            row(time_critical="yes"),
            row(carer_ref="C2", time_critical=""),
            row(visit_id="V2", time_critical="no"),
        ],
    )
    assert imported(data, path) == [
        "line 3, time_critical: differs from line 2, another row of visit V1"
    ]
    assert not Visit.objects.exists()


@pytest.mark.parametrize("path", PATHS)
def test_a_word_that_is_neither_is_named_with_its_line(path: str) -> None:
    load_reference_data(upto="reviews")
    data = csv_bytes(COLUMNS, [row(), row(visit_id="V2", time_critical="maybe")])
    assert imported(data, path) == [
        "line 3, time_critical: 'maybe' is not true or false (use true/false, yes/no, y/n or 1/0)"
    ]


def test_both_paths_give_the_same_visits_and_reports() -> None:
    load_reference_data(upto="reviews")
    files = [
        csv_bytes(COLUMNS, [row(time_critical="Y"), row(visit_id="V2", time_critical="N")]),
        csv_bytes(COLUMNS, [row(time_critical="1"), row(carer_ref="C2", time_critical="0")]),
        csv_bytes(COLUMNS, [row(time_critical="sometimes")]),
    ]  # fmt: skip
    for data in files:
        assert imported(data, "sql") == imported(data, "python")


@pytest.mark.parametrize("path", PATHS)
def test_reimporting_without_the_flag_clears_it(path: str) -> None:
    """The file says all there is about each visit it names, this flag too."""
    load_reference_data(upto="reviews")
    import_visits(io.BytesIO(csv_bytes(COLUMNS, [row(time_critical="yes")])), path=path)
    assert Visit.objects.get().time_critical is True
    import_visits(io.BytesIO(csv_bytes(COLUMNS, [row(time_critical="")])), path=path)
    assert Visit.objects.get().time_critical is False


PACKAGE_COLUMNS = ["package_ref", "person_ref", "provider_ref", "start_date", "time_critical"]


def test_packages_file_sets_time_critical_and_blank_is_no() -> None:
    load_reference_data(upto="people")
    import_packages(
        io.BytesIO(
            csv_bytes(
                PACKAGE_COLUMNS,
                [
                    ["K1", "007", "P01", "2026-09-01", "yes"],
                    ["K2", "R2", "P02", "2026-09-15", ""],
                ],
            )
        )
    )
    assert dict(CarePackage.objects.values_list("ref", "time_critical")) == {
        "K1": True,
        "K2": False,
    }
    # A packages file without the column leaves the flag as it is.
    import_packages(
        io.BytesIO(csv_bytes(PACKAGE_COLUMNS[:-1], [["K1", "007", "P01", "2026-09-01"]]))
    )
    assert CarePackage.objects.get(ref="K1").time_critical is True


def test_packages_file_with_a_word_that_is_neither_is_rejected() -> None:
    load_reference_data(upto="people")
    data = csv_bytes(PACKAGE_COLUMNS, [["K1", "007", "P01", "2026-09-01", "often"]])
    with pytest.raises(FileRejected) as rejected:
        import_packages(io.BytesIO(data))
    assert rejected.value.errors == [
        "line 2, time_critical: 'often' is not true or false (use true/false, yes/no, y/n or 1/0)"
    ]
    assert not CarePackage.objects.exists()
