"""time_bank.csv (issue 13): package_ref, date, minutes (positive when a person
defers time, negative when they use it), note. Idempotent by (package, date)."""

from __future__ import annotations

from typing import IO, Any

from common.cells import column, parse_text
from common.csvimport import ErrorReport, ImportResult
from common.upsert import cell
from contracts.models import CarePackage
from contracts.rates import import_dated_rows
from homecare.payments.models import TimeBankEntry

NOTE = column(parse_text, TimeBankEntry, "note")
# A day holds at most a fortnight of round-the-clock care either way.
MOST_MINUTES = 14 * 24 * 60


def _minutes(raw: str) -> int:
    from common.cells import CellError

    text = raw.strip()
    if not text:
        raise CellError("is blank")
    try:
        value = int(text)
    except ValueError:
        raise CellError(f"'{text[:40]}' is not a whole number of minutes") from None
    if value == 0:
        raise CellError("is 0 (positive when time is deferred, negative when it is used)")
    if abs(value) > MOST_MINUTES:
        raise CellError(f"'{text}' is out of range (-{MOST_MINUTES:,} to {MOST_MINUTES:,})")
    return value


def import_time_bank(binary: IO[bytes]) -> ImportResult:
    def parse_row(line: int, row: dict[str, str], errors: ErrorReport) -> dict[str, Any] | None:
        minutes = cell(errors, line, "minutes", _minutes, row["minutes"])
        note = cell(errors, line, "note", NOTE, row.get("note", ""))
        if minutes is None:
            return None
        return {"minutes": minutes, "note": note or ""}

    return import_dated_rows(
        binary,
        kind="banked time",
        model=TimeBankEntry,
        owner_field="package",
        ref_column="package_ref",
        owners=dict(CarePackage.objects.values_list("ref", "id")),
        date_column="date",
        date_field="date",
        required=["package_ref", "date", "minutes"],
        optional=["note"],
        parse_row=parse_row,
        owner_name="package",
    )
