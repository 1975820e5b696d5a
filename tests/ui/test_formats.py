"""Numbers read as people write them: 21,115; 12.5%; 10,904 hours 20 minutes."""

from __future__ import annotations

import datetime as dt

import pytest

from homecare.ui import formats


@pytest.mark.parametrize(
    ("value", "text"),
    [(21115, "21,115"), (0, "0"), (1234567, "1,234,567"), (2.5, "3"), (None, "No data")],
)
def test_counts_carry_thousands_separators(value, text) -> None:
    assert formats.count(value) == text


@pytest.mark.parametrize(
    ("value", "text"),
    [(12.5, "12.5%"), (40.0, "40.0%"), (0.04, "0.0%"), (99.95, "100.0%"), (None, "No data")],
)
def test_percentages_have_one_decimal_place(value, text) -> None:
    assert formats.percent(value) == text


def test_stored_fractions_read_as_percentages() -> None:
    assert formats.fraction(0.125) == "12.5%"
    assert formats.share(0.1) == "10%"
    assert formats.share(0.125) == "12.5%"


@pytest.mark.parametrize(
    ("value", "text"),
    [
        (10904.33, "10,904 hours 20 minutes"),
        (10.5, "10 hours 30 minutes"),
        (1.0, "1 hour"),
        (0.75, "45 minutes"),
        (1 / 60, "1 minute"),
        (1.999, "2 hours"),
        (0, "0 hours"),
        (None, "No data"),
    ],
)
def test_hours_read_as_hours_and_minutes(value, text) -> None:
    assert formats.hours(value) == text


def test_nouns_and_dates() -> None:
    assert formats.counted(1, ("person", "people")) == "1 person"
    assert formats.counted(21115, ("person", "people")) == "21,115 people"
    assert formats.date("2026-10-05") == "5 October 2026"
    assert formats.date(None) == "None"
    assert formats.month_name(dt.date(2026, 10, 1)) == "October 2026"
    assert formats.mean(3.5) == "3.50"


@pytest.mark.parametrize(
    ("current", "previous", "unit", "text"),
    [
        (4.04, 4.0, "percent", "No change from September 2026"),
        (4.1, 4.0, "percent", "Up 0.1 percentage points from September 2026"),
        (3.0, 4.0, "percent", "Down 1.0 percentage point from September 2026"),
        (12, 9, "count", "Up 3 from September 2026"),
        (21115, 9, "count", "Up 21,106 from September 2026"),
        (8.86, 8.9, "mean", "Down 0.04 from September 2026"),
        (None, 8.9, "mean", "No figure for September 2026 to compare"),
    ],
)
def test_change_from_last_month_reads_as_it_is_shown(current, previous, unit, text) -> None:
    assert formats.change(current, previous, unit, "September 2026") == text
