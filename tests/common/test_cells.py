"""The rules every imported cell is checked against (common/cells.py): each
parser returns a value or raises CellError with a message a person can read,
whatever the cell holds."""

from __future__ import annotations

from datetime import UTC, date, datetime, timedelta, timezone
from decimal import Decimal

import pytest
from hypothesis import given
from hypothesis import strategies as st

from common.cells import (
    CellError,
    LondonClock,
    column,
    field_limits,
    parse_bool,
    parse_date,
    parse_decimal,
    parse_int,
    parse_lookup,
    parse_ref,
    parse_text,
    shown,
)
from contracts.models import CarePackage, Contract
from providers.models import Provider
from tests.common.importing import PROPERTY
from visits.models import ImportRecord, Visit


def reason(parse, value: str) -> str:
    with pytest.raises(CellError) as error:
        parse(value)
    return str(error.value)


# --- limits come from the model ----------------------------------------------------


def test_limits_are_read_from_the_field_a_column_is_stored_in() -> None:
    assert field_limits(Provider, "ref") == {"max_length": 64}
    assert field_limits(Provider, "name") == {"max_length": 200}
    assert field_limits(Contract, "hourly_rate") == {"max_digits": 8, "decimal_places": 2}
    assert field_limits(CarePackage, "planned_weekly_hours") == {
        "max_digits": 6,
        "decimal_places": 2,
    }
    # PostgreSQL's int4 and int2, on every database.
    assert field_limits(ImportRecord, "rows") == {"minimum": 0, "maximum": 2_147_483_647}
    assert field_limits(Visit, "carer_count") == {"minimum": 0, "maximum": 32_767}
    assert field_limits(CarePackage, "start_date") == {}


# --- references ---------------------------------------------------------------------


@pytest.mark.parametrize(
    "ref", ["P01", "007", "Éclair Soins", "North Care 01", "Cafe\u0301", "A_b.c-d", "ß1", "Ω9"]
)
def test_references_of_letters_digits_spaces_and_marks_are_kept_as_given(ref: str) -> None:
    assert parse_ref(f" {ref}\t", max_length=64) == ref


@pytest.mark.parametrize(
    ("value", "message"),
    [
        ("", "is blank"),
        ("   ", "is blank"),
        ("R" * 65, "is longer than 64 characters (it has 65)"),
        ("HC/2024", "'HC/2024' holds '/', which a reference may not hold; use letters, digits,"),
        ("a\\b", "'a\\b' holds '\\', which a reference may not hold"),
        ("a?b", "holds '?'"),
        ("a#b", "holds '#'"),
        ("50%", "holds '%'"),
        ("a&b", "holds '&'"),
        ("a\tb", "holds a tab (U+0009)"),
        ("a\x00b", "'a<U+0000>b' holds a NUL byte (U+0000)"),
        ("a\u200bb", "holds zero width space (U+200B)"),
        ("..", "'..' must start with a letter or a digit"),
        ("-1", "'-1' must start with a letter or a digit"),
    ],
)
def test_references_that_would_not_travel_in_a_web_address_are_refused(
    value: str, message: str
) -> None:
    assert message in reason(lambda v: parse_ref(v, max_length=64), value)


def test_a_lookup_is_only_trimmed_the_lookup_says_if_it_exists() -> None:
    assert parse_lookup("  HC/01 ") == "HC/01"
    assert reason(parse_lookup, " ") == "is blank"


# --- text ---------------------------------------------------------------------------


def test_text_keeps_tabs_and_refuses_what_it_cannot_hold() -> None:
    name = column(parse_text, Provider, "name", required=True)
    assert name("  Smith & Sons / Care\t(North) ") == "Smith & Sons / Care\t(North)"
    assert name("é" * 200) == "é" * 200
    assert reason(name, "é" * 201) == "is longer than 200 characters (it has 201)"
    assert reason(name, "") == "is blank"
    assert reason(name, "a\x00") == "holds a NUL byte (U+0000)"
    assert reason(name, "a\x9bb") == "holds a control character (U+009B)"
    assert reason(name, "a\nb") == "holds a line break; put it all on one line"
    assert reason(name, "a\u2028b") == "holds a line break; put it all on one line"
    assert parse_text("a\r\nb", multiline=True) == "a\r\nb"
    assert parse_text("") == ""


# --- numbers ------------------------------------------------------------------------

RATE = column(parse_decimal, Contract, "hourly_rate")


@pytest.mark.parametrize(
    ("value", "expected"),
    [
        ("22.96", Decimal("22.96")),
        ("0", Decimal("0.00")),
        ("-0", Decimal("0.00")),
        ("999999.99", Decimal("999999.99")),
        ("999999.994", Decimal("999999.99")),
        ("1E-999999", Decimal("0.00")),
        ("", None),
    ],
)
def test_decimals_within_their_column_are_rounded_to_its_places(value, expected) -> None:
    assert RATE(value) == expected


@pytest.mark.parametrize(
    ("value", "message"),
    [
        ("1000000", "'1000000' is too large (the most it can be is 999,999.99)"),
        ("999999.995", "is too large"),
        ("1e999999", "is too large"),
        ("9" * 5000, "'" + "9" * 40 + "…' is too large"),
        ("-0.01", "'-0.01' must be zero or more"),
        ("NaN", "'NaN' is not a number"),
        ("-Infinity", "'-Infinity' is not a number"),
        ("twelve", "'twelve' is not a number"),
        ("1,000", "'1,000' is not a number"),
    ],
)
def test_decimals_outside_their_column_are_refused(value: str, message: str) -> None:
    assert message in reason(RATE, value)


def test_whole_numbers_keep_to_their_columns_range() -> None:
    rows = column(parse_int, ImportRecord, "rows")
    assert rows("2147483647") == 2_147_483_647
    assert rows("") is None
    assert reason(rows, "2147483648") == "'2147483648' is out of range (0 to 2,147,483,647)"
    assert reason(rows, "-1") == "'-1' is out of range (0 to 2,147,483,647)"
    assert reason(rows, "1.5") == "'1.5' is not a whole number"
    assert "is not a whole number" in reason(rows, "9" * 5000)


# --- dates and date-times ----------------------------------------------------------


def test_dates_run_from_1900_to_2100() -> None:
    assert parse_date("1900-01-01") == date(1900, 1, 1)
    assert parse_date("2100-12-31") == date(2100, 12, 31)
    assert parse_date(" ", required=False) is None
    out = "is out of range: dates run from 1900-01-01 to 2100-12-31"
    assert reason(parse_date, "1899-12-31") == f"'1899-12-31' {out}"
    assert reason(parse_date, "2101-01-01") == f"'2101-01-01' {out}"
    assert reason(parse_date, "0001-01-01") == f"'0001-01-01' {out}"
    assert reason(parse_date, "31/12/2026") == "'31/12/2026' is not a date (use YYYY-MM-DD)"


@pytest.mark.parametrize(
    "value",
    ["1899-12-31T23:59:59", "2101-01-01T00:00:00", "0001-01-01T00:00:00+01:00",
     "9999-12-31T23:59:59-01:00", "0001-01-01T00:00:00", "9999-12-31T23:59:59"],
)  # fmt: skip
def test_date_times_outside_1900_to_2100_are_refused_before_any_arithmetic(value: str) -> None:
    clock = LondonClock()
    assert "is out of range" in reason(clock.to_utc, value)
    assert "is out of range" in reason(clock.to_utc_with_text, value)


def test_date_times_at_the_edges_are_kept() -> None:
    clock = LondonClock()
    assert clock.to_utc("1900-01-01T00:00:00") == datetime(1900, 1, 1, 0, 0)  # GMT then
    assert clock.to_utc("2100-12-31T23:59:59+14:00") == datetime(2100, 12, 31, 9, 59, 59)


# --- whatever a cell holds ----------------------------------------------------------

PARSERS = {
    "ref": column(parse_ref, Provider, "ref"),
    "lookup": parse_lookup,
    "text": column(parse_text, Provider, "name", required=True),
    "bool": parse_bool,
    "date": parse_date,
    "rate": RATE,
    "hours": column(parse_decimal, CarePackage, "planned_weekly_hours"),
    "count": column(parse_int, Visit, "carer_count"),
    "date-time": LondonClock().to_utc,
    "date-time as text": LondonClock().to_utc_with_text,
}
NUMBERS = st.one_of(
    st.decimals(allow_nan=True, allow_infinity=True).map(str),
    st.floats().map(str),
    st.integers().map(str),
)


def iso(moment: datetime) -> str:
    # Both separators ISO 8601 allows, and every precision isoformat writes.
    return moment.isoformat(sep="T" if moment.microsecond % 2 else " ")


DATE_TIMES = st.datetimes(
    timezones=st.none()
    | st.timezones()
    | st.builds(
        timezone, st.timedeltas(min_value=timedelta(hours=-23), max_value=timedelta(hours=23))
    )
).map(iso)


ANY_CELL = st.one_of(st.text(), NUMBERS, DATE_TIMES, st.dates().map(date.isoformat))


@pytest.mark.parametrize("kind", sorted(PARSERS))
@PROPERTY
@given(value=ANY_CELL)
def test_a_parser_returns_a_value_or_a_readable_cell_error(kind: str, value: str) -> None:
    try:
        PARSERS[kind](value)
    except CellError as error:
        message = str(error)
        assert message.isprintable() and len(message) < 300, message


@PROPERTY
@given(moment=st.datetimes(min_value=datetime(1900, 1, 2), max_value=datetime(2100, 12, 30)))
def test_a_date_time_with_an_offset_is_that_instant(moment: datetime) -> None:
    aware = moment.replace(tzinfo=UTC)
    assert LondonClock().to_utc(aware.isoformat()) == moment


@PROPERTY
@given(value=st.text())
def test_shown_values_are_short_and_printable(value: str) -> None:
    quoted = shown(value)
    assert quoted.isprintable() and len(quoted) <= 2 + 41 + 9 * 41
