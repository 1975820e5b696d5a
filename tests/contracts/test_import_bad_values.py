"""contracts.csv, people.csv and packages.csv: every bad value is a line of the
report, and a rejected file changes nothing."""

from __future__ import annotations

from decimal import Decimal

import pytest
from django.test import Client
from django.urls import reverse
from hypothesis import given
from hypothesis import strategies as st

from contracts.models import CarePackage, Contract, Person
from providers.access import COMMISSIONER
from tests.common.importing import (
    PROPERTY,
    csv_bytes,
    files,
    load_reference_data,
    rejected,
    run,
    run_and_undo,
    with_bad_row,
)
from tests.conftest import login
from tests.factories import UserFactory

pytestmark = pytest.mark.django_db

OUT_OF_RANGE = "is out of range: dates run from 1900-01-01 to 2100-12-31"

BAD_VALUES = [
    # contracts.csv
    ("contracts", "contract_ref", "C/001", "'C/001' holds '/', which a reference may not hold"),
    ("contracts", "contract_ref", "C" * 65, "is longer than 64 characters (it has 65)"),
    ("contracts", "contract_ref", "C-\x00001", "holds a NUL byte (U+0000)"),
    ("contracts", "provider_ref", "P01\x00", "holds a NUL byte (U+0000)"),
    ("contracts", "framework", "F" * 201, "is longer than 200 characters (it has 201)"),
    ("contracts", "framework", "Care\x00 and Wellbeing", "holds a NUL byte (U+0000)"),
    ("contracts", "lot", "L" * 201, "is longer than 200 characters (it has 201)"),
    ("contracts", "lot", "Lot 2\r\nNorth", "holds a line break; put it all on one line"),
    ("contracts", "start_date", "1899-12-31", f"'1899-12-31' {OUT_OF_RANGE}"),
    ("contracts", "start_date", "0001-01-01", f"'0001-01-01' {OUT_OF_RANGE}"),
    ("contracts", "end_date", "2101-01-01", f"'2101-01-01' {OUT_OF_RANGE}"),
    ("contracts", "end_date", "9999-12-31", f"'9999-12-31' {OUT_OF_RANGE}"),
    ("contracts", "hourly_rate", "1000000", "is too large (the most it can be is 999,999.99)"),
    ("contracts", "hourly_rate", "999999.995", "is too large (the most it can be is 999,999.99)"),
    ("contracts", "hourly_rate", "1e999999", "is too large (the most it can be is 999,999.99)"),
    ("contracts", "hourly_rate", "9" * 400, "is too large (the most it can be is 999,999.99)"),
    ("contracts", "hourly_rate", "Infinity", "'Infinity' is not a number"),
    ("contracts", "hourly_rate", "NaN", "'NaN' is not a number"),
    ("contracts", "hourly_rate", "-1", "'-1' must be zero or more"),
    # people.csv
    ("people", "person_ref", "R 9/1", "'R 9/1' holds '/', which a reference may not hold"),
    ("people", "person_ref", "R" * 65, "is longer than 64 characters (it has 65)"),
    ("people", "person_ref", "R\x0009", "holds a NUL byte (U+0000)"),
    ("people", "lives_alone", "yes\x00", "holds a NUL byte (U+0000)"),
    ("people", "postcode_district", "S\x008", "holds a NUL byte (U+0000)"),
    ("people", "postcode_district", "S" * 9, "is longer than 8 characters (it has 9)"),
    # packages.csv
    ("packages", "package_ref", "K#1", "'K#1' holds '#', which a reference may not hold"),
    ("packages", "package_ref", "K" * 65, "is longer than 64 characters (it has 65)"),
    ("packages", "package_ref", "K\x001", "holds a NUL byte (U+0000)"),
    ("packages", "person_ref", "007\x00", "holds a NUL byte (U+0000)"),
    ("packages", "contract_ref", "C-001\x00", "holds a NUL byte (U+0000)"),
    ("packages", "contract_ref", "C" * 5000, "no contract '" + "C" * 40 + "…'"),
    ("packages", "start_date", "1899-12-31", f"'1899-12-31' {OUT_OF_RANGE}"),
    ("packages", "end_date", "2101-01-01", f"'2101-01-01' {OUT_OF_RANGE}"),
    ("packages", "planned_weekly_hours", "10000", "is too large (the most it can be is 9,999.99)"),
    ("packages", "planned_weekly_hours", "1E+30", "is too large (the most it can be is 9,999.99)"),
    ("packages", "requested_at", "1899-12-31T23:59:59", f"'1899-12-31T23:59:59' {OUT_OF_RANGE}"),
    ("packages", "requested_at", "2101-01-01T00:00:00", f"'2101-01-01T00:00:00' {OUT_OF_RANGE}"),
    # Year 1 an hour east of UTC, or year 9999 an hour west, overflows a date-time.
    (
        "packages",
        "requested_at",
        "0001-01-01T00:00:00+01:00",
        f"'0001-01-01T00:00:00+01:00' {OUT_OF_RANGE}",
    ),
    (
        "packages",
        "requested_at",
        "9999-12-31T23:59:59-01:00",
        f"'9999-12-31T23:59:59-01:00' {OUT_OF_RANGE}",
    ),
    ("packages", "hospital_discharge", "\x00", "holds a NUL byte (U+0000)"),
]


@pytest.mark.parametrize(("kind", "column", "value", "reason"), BAD_VALUES)
def test_each_bad_value_gets_its_line_and_changes_nothing(kind, column, value, reason) -> None:
    load_reference_data(upto="reviews")
    report = rejected(kind, with_bad_row(kind, column, value))
    assert any(line.startswith(f"line 3, {column}: ") and reason in line for line in report), report


def test_values_at_the_edge_of_their_columns_are_imported() -> None:
    load_reference_data(upto="providers")
    result = run(
        "contracts",
        csv_bytes(
            ["contract_ref", "provider_ref", "framework", "lot", "start_date", "hourly_rate"],
            [["Ç 9", "P01", "F" * 200, "L" * 200, "1900-01-01", "999999.99"]],
        ),
    )
    assert not isinstance(result, list), result
    contract = Contract.objects.get(ref="Ç 9")
    assert contract.hourly_rate == Decimal("999999.99")
    assert contract.lot.name == "L" * 200
    result = run("people", csv_bytes(["person_ref"], [["R" * 64]]))
    assert not isinstance(result, list), result
    result = run(
        "packages",
        csv_bytes(
            ["package_ref", "person_ref", "provider_ref", "start_date", "planned_weekly_hours"],
            [["K é", "R" * 64, "P01", "2100-12-31", "9999.994"]],
        ),
    )
    assert not isinstance(result, list), result
    assert CarePackage.objects.get(ref="K é").planned_weekly_hours == Decimal("9999.99")
    assert Person.objects.filter(ref="R" * 64).exists()


@pytest.mark.parametrize("ref", ["Ç 9", "North Lot 2.1", "Cafe\u0301_1"])
def test_a_contract_ref_with_accents_or_spaces_opens_its_thresholds_page(
    client: Client, ref: str
) -> None:
    load_reference_data(upto="providers")
    data = csv_bytes(
        ["contract_ref", "provider_ref", "framework", "lot", "start_date"],
        [[ref, "P01", "Care and Wellbeing", "Lot 1", "2024-04-01"]],
    )
    result = run("contracts", data)
    assert not isinstance(result, list), result
    login(client, UserFactory(role=COMMISSIONER))
    response = client.get(reverse("contract-thresholds", args=[ref]))
    assert response.status_code == 200
    assert ref in response.content.decode()


@pytest.fixture
def reference_data(db) -> None:
    load_reference_data(upto="reviews")


@pytest.mark.parametrize("kind", ["contracts", "people", "packages"])
@PROPERTY
@given(data=st.data())
def test_any_file_gives_a_result_or_a_line_numbered_report(
    reference_data, kind: str, data: st.DataObject
) -> None:
    run_and_undo(kind, data.draw(files(kind), label="file"))
