"""Shared by the import tests of every app: run any kind of import on bytes,
say what came of it, and check the promises every import makes whatever the
file holds: a result or a line-numbered report, never another exception, and
nothing changed by a rejected file."""

from __future__ import annotations

import csv
import io
import os
import re
from collections.abc import Callable, Iterable
from typing import IO, Any

from django.db import transaction
from hypothesis import HealthCheck, event, settings
from hypothesis import strategies as st

from common.csvimport import FileRejected, ImportResult
from contracts.imports import import_contracts, import_packages, import_people
from contracts.models import CarePackage, Contract, Framework, Lot, Person
from providers.imports import import_providers
from providers.models import Provider
from reviews.framework_import import import_framework
from reviews.imports import import_reviews
from reviews.models import AssessmentFramework, Domain, PackageReview, Question, Standard
from tests.csvfiles import ORDER, REFERENCE_FILES
from visits.imports import import_visits
from visits.models import CareWorker, Visit, VisitCarer

IMPORTERS: dict[str, Callable[[IO[bytes]], Any]] = {
    "providers": import_providers,
    "contracts": import_contracts,
    "people": import_people,
    "packages": import_packages,
    "reviews": import_reviews,
    "visits": import_visits,
    "frameworks": lambda binary: import_framework(binary, "Council framework"),
}
HEADERS = {kind: REFERENCE_FILES[kind].strip().splitlines()[0].split(",") for kind in ORDER}
HEADERS["frameworks"] = ["domain", "standard", "code", "question", "guidance"]
GOOD_ROWS = {kind: REFERENCE_FILES[kind].strip().splitlines()[1] for kind in ORDER}
GOOD_ROWS["frameworks"] = "Safety,Medicines,S1,Are medicines given safely?,Check the MAR"
MODELS = [
    Provider,
    Framework,
    Lot,
    Contract,
    Person,
    CarePackage,
    PackageReview,
    CareWorker,
    Visit,
    VisitCarer,
    AssessmentFramework,
    Domain,
    Standard,
    Question,
]
# "line 4, name: reason", or "line 1: reason" for what concerns a whole line.
REPORT_LINE = re.compile(r"line (\d+)(, [^:]+)?: \S")


def snapshot() -> dict[str, list[tuple]]:
    """Everything an import can write, as plain values, to compare before and after."""
    return {m.__name__: sorted(map(repr, m.objects.values_list())) for m in MODELS}


def load_reference_data(upto: str = "reviews") -> None:
    """The spec's reference files, imported up to and including `upto`."""
    for kind in ORDER[: ORDER.index(upto) + 1]:
        IMPORTERS[kind](io.BytesIO(REFERENCE_FILES[kind].lstrip("\n").encode()))


def csv_bytes(header: Iterable[str], rows: Iterable[Iterable[str]]) -> bytes:
    out = io.StringIO()
    writer = csv.writer(out, lineterminator="\n")
    writer.writerow(header)
    writer.writerows(rows)
    return out.getvalue().encode("utf-8", "surrogatepass")


def with_bad_row(kind: str, column: str, value: str) -> bytes:
    """A file of `kind` whose line 2 is good and line 3 is good but for `column`."""
    header = HEADERS[kind]
    good = next(csv.reader([GOOD_ROWS[kind]]))
    bad = list(good)
    # Its own key, so that the bad value is the row's only problem.
    key = header.index("code") if kind == "frameworks" else 0
    bad[key] = {"frameworks": "S2", "visits": "V-bad"}.get(kind, bad[key] + "X")
    bad[header.index(column)] = value
    return csv_bytes(header, [good, bad])


def check_report(errors: list[str], data: bytes) -> None:
    """Every line of a report names a line of the file, and can be shown and stored."""
    assert errors
    most = data.count(b"\n") + data.count(b"\r") + 2
    for message in errors:
        match = REPORT_LINE.match(message)
        assert match, message
        assert 1 <= int(match.group(1)) <= most, message
        assert message.isprintable(), message
        assert len(message) < 400, message


def run(kind: str, data: bytes) -> ImportResult | AssessmentFramework | list[str]:
    """Import `data`; the result, or the report of a rejected file after checking
    the file changed nothing. Any other exception propagates and fails the test."""
    before = snapshot()
    try:
        result = IMPORTERS[kind](io.BytesIO(data))
    except FileRejected as rejected:
        check_report(rejected.errors, data)
        assert snapshot() == before, "a rejected file changed the data"
        return rejected.errors
    assert isinstance(result, ImportResult | AssessmentFramework), result
    return result


def run_and_undo(kind: str, data: bytes) -> ImportResult | AssessmentFramework | list[str]:
    """`run`, then roll back whatever a good file wrote, so each example of a
    property test starts from the same data."""
    with transaction.atomic():
        outcome = run(kind, data)
        transaction.set_rollback(True)
    event("rejected" if isinstance(outcome, list) else "imported")
    return outcome


def rejected(kind: str, data: bytes) -> list[str]:
    outcome = run(kind, data)
    assert isinstance(outcome, list), f"the file was imported: {outcome}"
    return outcome


# --- arbitrary files, for the property tests ---------------------------------------

# Modest by default so the suite stays quick; HYPOTHESIS_EXAMPLES=2000 digs deeper.
PROPERTY = settings(
    max_examples=int(os.environ.get("HYPOTHESIS_EXAMPLES", "60")),
    deadline=None,
    # The examples share the test's database transaction; each runs in a
    # savepoint of its own that is rolled back (see run_and_undo).
    suppress_health_check=[HealthCheck.function_scoped_fixture, HealthCheck.too_slow],
)

# Values near every rule's edge, the reference data's own refs (so that some
# rows pass and reach the database), and what breaks careless readers.
EDGES = [
    "",
    " ",
    "\x00",
    "a\x00b",
    "\x1b[31m",
    "\x85",
    "\u2028",
    "\ufeff",
    "\udcff",
    '"',
    '"unclosed',
    "\r\n",
    "\t",
    "x" * 8,
    "x" * 16,
    "x" * 32,
    "x" * 33,
    "x" * 64,
    "x" * 65,
    "x" * 200,
    "x" * 201,
    "x" * 301,
    "Éclair Soins",
    "Cafe\u0301",
    "North Care 01",
    "a/b",
    "a\\b",
    "a?b",
    "a#b",
    "a%b",
    ".",
    "..",
    "P01",
    "P02",
    "007",
    "R2",
    "C-001",
    "K1",
    "K2",
    "C1",
    "RV1",
    "S1",
    "S8",
    "1899-12-31",
    "1900-01-01",
    "2026-10-05",
    "2100-12-31",
    "2101-01-01",
    "0001-01-01",
    "9999-12-31",
    "2026-10-05T07:00:00",
    "2026-10-05T07:30:00",
    "2026-03-29T01:30:00",
    "1900-01-01T00:00:00",
    "2100-12-31T23:59:59",
    "0001-01-01T00:00:00+01:00",
    "9999-12-31T23:59:59-01:00",
    "0",
    "-0",
    "-1",
    "22.96",
    "999999.99",
    "999999.995",
    "1000000",
    "9999.99",
    "10000",
    "1e999999",
    "1E-999999",
    "NaN",
    "Infinity",
    "12345678901234567890",
    "2147483648",
    "true",
    "no",
    "maybe",
    "Good",
    "six_week",
    "completed",
    "missed",
    "cancelled",
    "ecm",
]
CELLS = st.one_of(st.sampled_from(EDGES), st.text(max_size=40))


@st.composite
def files(draw: st.DrawFn, kind: str) -> bytes:
    """A file of `kind`: its header (shuffled, cut short or not) and a few rows,
    each a good row with up to three cells swapped for an edge value or
    arbitrary text, some rows ragged; now and then a BOM, or bytes spliced in."""
    header = list(draw(st.permutations(HEADERS[kind])))
    if draw(st.integers(0, 3)) == 0:
        header = header[: draw(st.integers(1, len(header)))]
    good = dict(zip(HEADERS[kind], next(csv.reader([GOOD_ROWS[kind]])), strict=True))
    key = "code" if kind == "frameworks" else HEADERS[kind][0]
    rows = []
    for number in range(draw(st.integers(0, 4))):
        row = [good[name] for name in header]
        if key in header:
            row[header.index(key)] += str(number)  # each row a record of its own
        for index in draw(st.sets(st.integers(0, len(header) - 1), max_size=3)):
            row[index] = draw(CELLS)
        if draw(st.integers(0, 7)) == 0:
            row = row[:-1] if draw(st.booleans()) else [*row, draw(CELLS)]
        rows.append(row)
    data = csv_bytes(header, rows)
    if draw(st.booleans()):
        data = b"\xef\xbb\xbf" + data
    if draw(st.integers(0, 4)) == 0:
        at = draw(st.integers(0, len(data)))
        data = data[:at] + draw(st.binary(min_size=1, max_size=8)) + data[at:]
    return data
