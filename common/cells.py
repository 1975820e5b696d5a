"""The rules every imported cell is checked against: one set for every kind of file.

Each parser takes the raw text of a cell and returns its value or raises
CellError, whose message reads after the column name in the report
("line 4, name: is longer than 200 characters"). Limits come from the model
field the value is stored in (see `column`), never from a copied number, so a
migration that widens a column widens the import with it. Whatever a cell holds,
a parser raises nothing but CellError: a bad value is a line in the report, not
a server error.
"""

from __future__ import annotations

import re
import unicodedata
from collections.abc import Callable
from datetime import UTC, date, datetime, timedelta
from decimal import Context, Decimal, InvalidOperation
from functools import partial
from typing import Any
from zoneinfo import ZoneInfo

from django.db import models
from django.db.backends.base.operations import BaseDatabaseOperations

LONDON = ZoneInfo("Europe/London")

TRUE_WORDS = frozenset({"true", "yes", "y", "1"})
FALSE_WORDS = frozenset({"false", "no", "n", "0"})

# The dates the service holds: anything outside is a typing slip (0206 for 2026)
# that would skew every figure, and far enough out it overflows a date-time.
EARLIEST = date(1900, 1, 1)
LATEST = date(2100, 12, 31)
OUT_OF_RANGE = f"is out of range: dates run from {EARLIEST.isoformat()} to {LATEST.isoformat()}"

# PostgreSQL's column ranges (int4, int8, ...), enforced on every database so the
# demo on SQLite accepts exactly what production does.
INTEGER_RANGES: dict[str, tuple[int, int]] = BaseDatabaseOperations.integer_field_ranges

# Control characters: C0 but tab and line breaks (which CSV itself carries), DEL
# and C1. PostgreSQL cannot store a NUL at all, and the others are invisible
# corruption (a file saved in the wrong encoding, a stray escape sequence).
CONTROL = re.compile("[\x00-\x08\x0b\x0c\x0e-\x1f\x7f-\x9f]")
LINE_BREAK = re.compile("[\n\r\x85\u2028\u2029]")
_CHARACTER_NAMES = {
    "\x00": "a NUL byte",
    "\t": "a tab",
    "\n": "a line break",
    "\r": "a line break",
    " ": "a space",
}

# References appear in web addresses (providers/<ref>/) and in other systems'
# files, so they keep to characters that read and travel the same everywhere.
REF_RULE = "use letters, digits, spaces, '-', '_' or '.'"
_PLAIN_REF = re.compile(r"[A-Za-z0-9][A-Za-z0-9 ._-]*\Z")
_REF_MARKS = frozenset(" ._-")


class CellError(ValueError):
    """A cell's value is wrong; the message reads after the column name."""


def clip(value: str, limit: int = 40) -> str:
    """A value as a message repeats it: cut short, with every character that
    would not show (or could not be stored) written as its code point."""
    text = value if len(value) <= limit else value[:limit] + "…"
    if not text.isprintable():
        text = "".join(ch if ch.isprintable() else f"<U+{ord(ch):04X}>" for ch in text)
    return text


def shown(value: str, limit: int = 40) -> str:
    return f"'{clip(value, limit)}'"


def describe(ch: str) -> str:
    """One character as a person can read it in a report."""
    name = _CHARACTER_NAMES.get(ch)
    if ch.isprintable() and name is None:
        return f"'{ch}'"
    name = name or unicodedata.name(ch, "a control character").lower()
    return f"{name} (U+{ord(ch):04X})"


def control_problem(text: str) -> str | None:
    found = CONTROL.search(text)
    return None if found is None else f"holds {describe(found.group())}"


# --- limits from the model --------------------------------------------------------


def field_limits(model: type[models.Model], name: str) -> dict[str, int]:
    """The keyword limits a parser takes, read from the field a column is stored in."""
    field = model._meta.get_field(name)
    if not isinstance(field, models.Field):
        return {}
    internal = field.get_internal_type()
    if isinstance(field, models.DecimalField):
        return {"max_digits": field.max_digits, "decimal_places": field.decimal_places}
    if internal in INTEGER_RANGES:
        minimum, maximum = INTEGER_RANGES[internal]
        return {"minimum": minimum, "maximum": maximum}
    max_length = getattr(field, "max_length", None)
    return {"max_length": max_length} if max_length else {}


def column(
    parse: Callable[..., Any], model: type[models.Model], name: str, **options: Any
) -> Callable[[str], Any]:
    """A one-argument parser for the cells stored in model.name, e.g.
    column(parse_ref, Provider, "ref")."""
    return partial(parse, **field_limits(model, name), **options)


# --- cell parsers -------------------------------------------------------------------


def _check_length(text: str, max_length: int | None) -> None:
    if max_length is not None and len(text) > max_length:
        raise CellError(f"is longer than {max_length:,} characters (it has {len(text):,})")


def reference_problem(ref: str) -> str | None:
    """Why a trimmed, non-blank ref cannot be used, or None."""
    if _PLAIN_REF.match(ref):
        return None
    for ch in ref:
        # Letters (accented too), combining accents and digits of any script.
        if ch not in _REF_MARKS and unicodedata.category(ch)[0] not in "LMN":
            return f"{shown(ref)} holds {describe(ch)}, which a reference may not hold; {REF_RULE}"
    if unicodedata.category(ref[0])[0] not in "LN":
        # A ref of dots alone would read as ".." in a web address.
        return f"{shown(ref)} must start with a letter or a digit"
    return None


def parse_ref(value: str, *, max_length: int) -> str:
    """A record's own reference: kept exactly as given, surrounding spaces trimmed."""
    ref = value.strip()
    if not ref:
        raise CellError("is blank")
    _check_length(ref, max_length)
    problem = reference_problem(ref)
    if problem:
        raise CellError(problem)
    return ref


def parse_lookup(value: str) -> str:
    """A reference to another record: the lookup that follows says whether it exists."""
    ref = value.strip()
    if not ref:
        raise CellError("is blank")
    return ref


def parse_text(
    value: str, *, max_length: int | None = None, required: bool = False, multiline: bool = False
) -> str:
    """Free text such as a name. Tabs are kept; line breaks only in multiline text."""
    text = value.strip()
    if not text:
        if required:
            raise CellError("is blank")
        return ""
    _check_length(text, max_length)
    problem = control_problem(text)
    if problem:
        raise CellError(problem)
    if not multiline and LINE_BREAK.search(text):
        raise CellError("holds a line break; put it all on one line")
    return text


def parse_bool(value: str) -> bool | None:
    word = value.strip().lower()
    if not word:
        return None
    if word in TRUE_WORDS:
        return True
    if word in FALSE_WORDS:
        return False
    raise CellError(
        f"{shown(value.strip())} is not true or false (use true/false, yes/no, y/n or 1/0)"
    )


def check_date(day: date, text: str) -> date:
    if not EARLIEST <= day <= LATEST:
        raise CellError(f"{shown(text)} {OUT_OF_RANGE}")
    return day


def parse_date(value: str, *, required: bool = True) -> date | None:
    value = value.strip()
    if not value:
        if required:
            raise CellError("is blank")
        return None
    try:
        day = date.fromisoformat(value)
    except ValueError:
        raise CellError(f"{shown(value)} is not a date (use YYYY-MM-DD)") from None
    return check_date(day, value)


def parse_decimal(value: str, *, max_digits: int, decimal_places: int) -> Decimal | None:
    """A number of zero or more, rounded to the column's places; blank is None."""
    value = value.strip()
    if not value:
        return None
    try:
        number = Decimal(value)
    except (InvalidOperation, ValueError):
        raise CellError(f"{shown(value)} is not a number") from None
    if not number.is_finite():
        raise CellError(f"{shown(value)} is not a number")
    if number < 0:
        raise CellError(f"{shown(value)} must be zero or more")
    step = Decimal(1).scaleb(-decimal_places)
    ceiling = Decimal(10) ** (max_digits - decimal_places)
    # Compared before rounding: rounding 1E+999999 to two places would itself fail.
    if (
        number >= ceiling
        or (rounded := number.quantize(step, context=Context(max_digits + 1))) >= ceiling
    ):
        raise CellError(f"{shown(value)} is too large (the most it can be is {ceiling - step:,})")
    return abs(rounded)  # abs: "-0" is zero


def parse_int(value: str, *, minimum: int, maximum: int, required: bool = False) -> int | None:
    """A whole number within its column's range; blank is None."""
    value = value.strip()
    if not value:
        if required:
            raise CellError("is blank")
        return None
    try:
        number = int(value)
    except ValueError:
        raise CellError(f"{shown(value)} is not a whole number") from None
    if not minimum <= number <= maximum:
        raise CellError(f"{shown(value)} is out of range ({minimum:,} to {maximum:,})")
    return number


class LondonClock:
    """Turns ISO 8601 date-times into naive UTC.

    Values without an offset are Europe/London wall time: in the repeated hour
    when the clocks go back they mean the first (BST) occurrence, and a time in
    the hour skipped when they go forward is an error. London changes its offset
    only on the hour, so the offset of each local hour is worked out once and
    cached: a 1M-row file has only a few thousand distinct hours. The range check
    is made there too, so the cached fast path needs none.
    """

    def __init__(self) -> None:
        self._offsets: dict[str, timedelta | None] = {}
        self._hours: dict[str, tuple[timedelta, str]] = {}

    def _offset_for(self, local: datetime) -> timedelta | None:
        hour = local.replace(minute=0, second=0, microsecond=0)
        aware = hour.replace(tzinfo=LONDON)  # fold=0: the first occurrence
        offset = aware.utcoffset()
        assert offset is not None
        roundtrip = (hour - offset).replace(tzinfo=UTC).astimezone(LONDON).replace(tzinfo=None)
        return offset if roundtrip == hour else None

    def to_utc(self, value: str) -> datetime:
        """Naive UTC datetime, or CellError."""
        text = value.strip()
        if not text:
            raise CellError("is blank")
        try:
            parsed = datetime.fromisoformat(text)
        except ValueError:
            raise CellError(
                f"{shown(text)} is not a date-time (use ISO 8601, e.g. 2026-10-05T07:30:00)"
            ) from None
        # Checked before any arithmetic: year 1 or 9999 with an offset overflows.
        check_date(parsed.date(), text)
        if parsed.tzinfo is not None:
            return parsed.replace(tzinfo=None) - parsed.utcoffset()  # type: ignore[operator]
        key = text[:13]
        try:
            offset = self._offsets[key]
        except KeyError:
            offset = self._offsets[key] = self._offset_for(parsed)
        if offset is None:
            raise CellError(
                f"{shown(text)} is a local time that does not exist "
                "(the clocks went forward that night); give the UTC offset"
            )
        return parsed - offset

    def to_utc_with_text(self, value: str) -> tuple[datetime, str]:
        """The naive UTC datetime, and the same instant as ISO text with an
        explicit offset for PostgreSQL to read. Writing that text is the costly
        part of staging a million rows, so the usual shape of value (local time
        to the second) keeps its own text and gains its hour's offset."""
        text = value.strip()
        if len(text) == 19 and text[10] in "T " and text[13] == ":" and text[16] == ":":
            known = self._hours.get(text[:13])
            if known is not None:
                try:
                    parsed = datetime.fromisoformat(text)
                except ValueError:
                    pass  # the slow path below says what is wrong
                else:
                    return parsed - known[0], text + known[1]
            utc = self.to_utc(text)
            offset = self._offsets[text[:13]]
            if offset is not None:
                minutes = int(offset.total_seconds()) // 60
                sign = "+" if minutes >= 0 else "-"
                suffix = f"{sign}{abs(minutes) // 60:02d}:{abs(minutes) % 60:02d}"
                self._hours[text[:13]] = (offset, suffix)
                return utc, text + suffix
        utc = self.to_utc(text)
        return utc, utc.isoformat(" ") + "+00:00"


def london_date(utc_naive: datetime) -> date:
    return utc_naive.replace(tzinfo=UTC).astimezone(LONDON).date()


def month_key(day: date) -> str:
    return f"{day.year:04d}-{day.month:02d}"
