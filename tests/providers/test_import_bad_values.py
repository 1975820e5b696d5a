"""providers.csv: every bad value is a line of the report and the file changes
nothing; references that travel in web addresses are refused or work there."""

from __future__ import annotations

import pytest
from django.test import Client
from django.urls import reverse
from hypothesis import given

from providers.access import COMMISSIONER
from providers.models import Provider
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

BAD_VALUES = [
    ("provider_ref", "P\x0001", "holds a NUL byte (U+0000)"),
    ("provider_ref", "P" * 65, "is longer than 64 characters (it has 65)"),
    ("provider_ref", "HC/01", "'HC/01' holds '/', which a reference may not hold"),
    ("provider_ref", "HC\\01", "'HC\\01' holds '\\', which a reference may not hold"),
    ("provider_ref", "HC?01", "'HC?01' holds '?', which a reference may not hold"),
    ("provider_ref", "HC#01", "'HC#01' holds '#', which a reference may not hold"),
    ("provider_ref", "HC%01", "'HC%01' holds '%', which a reference may not hold"),
    ("provider_ref", "HC\t01", "holds a tab (U+0009), which a reference may not hold"),
    ("provider_ref", "HC\u00a001", "holds no-break space (U+00A0), which a reference may not hold"),
    ("provider_ref", "..", "'..' must start with a letter or a digit"),
    ("name", "Alpha\x00 Care", "holds a NUL byte (U+0000)"),
    ("name", "Alpha\x1b[31m Care", "holds a control character (U+001B)"),
    ("name", "A" * 201, "is longer than 200 characters (it has 201)"),
    ("name", "Alpha\nCare", "holds a line break; put it all on one line"),
    ("cqc_provider_id", "1-" + "9" * 31, "is longer than 32 characters (it has 33)"),
    ("cqc_location_id", "1-2\x003", "holds a NUL byte (U+0000)"),
    ("cqc_rating_date", "1899-12-31", "'1899-12-31' is out of range: dates run from 1900-01-01"),
    ("cqc_rating_date", "2101-01-01", "'2101-01-01' is out of range: dates run from 1900-01-01"),
    ("cqc_rating", "Good\x00", "holds a NUL byte (U+0000)"),
]


@pytest.mark.parametrize(("column", "value", "reason"), BAD_VALUES)
def test_each_bad_value_gets_its_line_and_changes_nothing(column, value, reason) -> None:
    load_reference_data(upto="providers")
    report = rejected("providers", with_bad_row("providers", column, value))
    assert any(line.startswith(f"line 3, {column}: ") and reason in line for line in report), report


def test_a_nul_byte_names_its_line_even_in_a_long_file() -> None:
    # Far enough down that the reader has long been past its first block.
    rows = [[f"P{n:04d}", f"Provider {n}"] for n in range(3000)]
    rows[2500][1] = "Bad\x00Name"
    report = rejected("providers", csv_bytes(["provider_ref", "name"], rows))
    assert report == ["line 2502, name: holds a NUL byte (U+0000)"]
    assert not Provider.objects.exists()


def test_bytes_that_are_not_utf8_are_named_by_line_and_column() -> None:
    good = "".join(f"P{n:04d},Provider {n}\n" for n in range(3000)).encode()
    data = b"provider_ref,name\n" + good + b"P9999,Caf\xe9 Care\n"
    report = rejected("providers", data)
    assert report == ["line 3002, name: is not UTF-8 text (save the file as 'CSV UTF-8')"]


def test_the_same_limits_hold_a_value_at_its_edge() -> None:
    data = csv_bytes(
        ["provider_ref", "name", "cqc_rating_date"],
        [["P" * 64, "A" * 200, "1900-01-01"], ["Q1", "Tab\tinside is kept", "2100-12-31"]],
    )
    result = run("providers", data)
    assert not isinstance(result, list), result
    assert Provider.objects.get(ref="P" * 64).name == "A" * 200
    assert Provider.objects.get(ref="Q1").name == "Tab\tinside is kept"


REFS_THAT_WORK = ["Éclair Soins 01", "North Care 01", "Cafe\u0301-7", "ÅB_3.2", "007"]


@pytest.mark.parametrize("ref", REFS_THAT_WORK)
def test_a_ref_with_accents_or_inner_spaces_imports_and_its_pages_open(
    client: Client, ref: str
) -> None:
    data = csv_bytes(["provider_ref", "name"], [[f"  {ref}  ", "Accent Care"]])
    result = run("providers", data)
    assert not isinstance(result, list), result
    assert Provider.objects.get(ref=ref).name == "Accent Care"  # kept as given, trimmed
    login(client, UserFactory(role=COMMISSIONER))
    for page in ("provider", "provider-dashboard", "provider-quality"):
        url = reverse(page, args=[ref])
        response = client.get(url)
        assert response.status_code == 200, (page, url)
        assert ref in response.content.decode()


@PROPERTY
@given(data=files("providers"))
def test_any_providers_file_gives_a_result_or_a_line_numbered_report(data: bytes) -> None:
    run_and_undo("providers", data)
