"""reviews.csv and assessment framework files: every bad value is a line of the
report, and a rejected file changes nothing."""

from __future__ import annotations

import io

import pytest
from hypothesis import given
from hypothesis import strategies as st

from common.csvimport import FileRejected
from reviews.framework_import import import_framework
from reviews.models import AssessmentFramework
from tests.common.importing import (
    PROPERTY,
    csv_bytes,
    files,
    load_reference_data,
    rejected,
    run,
    run_and_undo,
    snapshot,
    with_bad_row,
)

pytestmark = pytest.mark.django_db

OUT_OF_RANGE = "is out of range: dates run from 1900-01-01 to 2100-12-31"

BAD_VALUES = [
    ("reviews", "review_ref", "RV 1/2", "'RV 1/2' holds '/', which a reference may not hold"),
    ("reviews", "review_ref", "R" * 65, "is longer than 64 characters (it has 65)"),
    ("reviews", "review_ref", "RV\x001", "holds a NUL byte (U+0000)"),
    ("reviews", "package_ref", "K1\x00", "holds a NUL byte (U+0000)"),
    ("reviews", "review_date", "1899-12-31", f"'1899-12-31' {OUT_OF_RANGE}"),
    ("reviews", "review_date", "2101-01-01", f"'2101-01-01' {OUT_OF_RANGE}"),
    ("reviews", "review_type", "six_week\x00", "holds a NUL byte (U+0000)"),
    ("frameworks", "domain", "D" * 201, "is longer than 200 characters (it has 201)"),
    ("frameworks", "domain", "Safe\x00ty", "holds a NUL byte (U+0000)"),
    ("frameworks", "standard", "S" * 301, "is longer than 300 characters (it has 301)"),
    ("frameworks", "standard", "Medi\ncines", "holds a line break; put it all on one line"),
    ("frameworks", "code", "S\x002", "holds a NUL byte (U+0000)"),
    ("frameworks", "question", "Are medicines\x00 given safely?", "holds a NUL byte (U+0000)"),
    ("frameworks", "guidance", "Check\x7f the MAR", "holds a control character (U+007F)"),
]


@pytest.mark.parametrize(("kind", "column", "value", "reason"), BAD_VALUES)
def test_each_bad_value_gets_its_line_and_changes_nothing(kind, column, value, reason) -> None:
    load_reference_data(upto="reviews")
    report = rejected(kind, with_bad_row(kind, column, value))
    assert any(line.startswith(f"line 3, {column}: ") and reason in line for line in report), report


def test_a_question_may_run_over_lines_and_hold_tabs() -> None:
    data = csv_bytes(
        ["domain", "standard", "code", "question", "guidance"],
        [["Safety", "Medicines", "S1", "Are medicines\ngiven safely?", "Check:\tMAR\r\ncharts"]],
    )
    framework = run("frameworks", data)
    assert isinstance(framework, AssessmentFramework)
    question = framework.questions.get()
    assert question.text == "Are medicines\ngiven safely?"
    assert question.guidance == "Check:\tMAR\r\ncharts"


@pytest.mark.parametrize(
    ("name", "message"),
    [
        ("N" * 201, "the framework name is longer than 200 characters (it has 201)"),
        ("Ours\x00", "the framework name holds a NUL byte (U+0000)"),
    ],
)
def test_a_framework_name_that_cannot_be_stored_is_refused(name: str, message: str) -> None:
    before = snapshot()
    data = csv_bytes(["domain", "standard", "code", "question"], [["D", "S", "S1", "Q?"]])
    with pytest.raises(FileRejected) as refused:
        import_framework(io.BytesIO(data), name)
    assert refused.value.errors == [message]
    assert snapshot() == before


@pytest.fixture
def reference_data(db) -> None:
    load_reference_data(upto="reviews")


@pytest.mark.parametrize("kind", ["reviews", "frameworks"])
@PROPERTY
@given(data=st.data())
def test_any_file_gives_a_result_or_a_line_numbered_report(
    reference_data, kind: str, data: st.DataObject
) -> None:
    run_and_undo(kind, data.draw(files(kind), label="file"))
