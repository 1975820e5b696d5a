"""providers.csv, as shared/specs/data-exchange.md defines it."""

from __future__ import annotations

from datetime import date
from typing import IO, Any

from common.cells import CellError, column, parse_date, parse_ref, parse_text, shown
from common.csvimport import ErrorReport, ImportResult
from common.upsert import cell, import_keyed_rows
from providers.models import CqcRating, Provider

REQUIRED = ["provider_ref", "name"]
OPTIONAL = ["cqc_provider_id", "cqc_location_id", "cqc_rating", "cqc_rating_date"]
RATINGS = {label.lower(): value for value, label in CqcRating.choices}

REF = column(parse_ref, Provider, "ref")
NAME = column(parse_text, Provider, "name", required=True)
CQC_PROVIDER_ID = column(parse_text, Provider, "cqc_provider_id")
CQC_LOCATION_ID = column(parse_text, Provider, "cqc_location_id")


def parse_rating(raw: str) -> str:
    value = raw.strip()
    if not value:
        return ""
    try:
        return RATINGS[value.lower()]
    except KeyError:
        allowed = ", ".join(label for _, label in CqcRating.choices)
        raise CellError(f"{shown(value)} is not a CQC rating ({allowed}, or blank)") from None


def _optional_date(raw: str) -> date | None:
    return parse_date(raw, required=False)


def _parse_row(line: int, row: dict[str, str], errors: ErrorReport) -> dict[str, Any] | None:
    return {
        "ref": cell(errors, line, "provider_ref", REF, row["provider_ref"]),
        "name": cell(errors, line, "name", NAME, row["name"]),
        "cqc_provider_id": cell(
            errors, line, "cqc_provider_id", CQC_PROVIDER_ID, row.get("cqc_provider_id", "")
        ),
        "cqc_location_id": cell(
            errors, line, "cqc_location_id", CQC_LOCATION_ID, row.get("cqc_location_id", "")
        ),
        "cqc_rating": cell(errors, line, "cqc_rating", parse_rating, row.get("cqc_rating", "")),
        "cqc_rating_date": cell(
            errors, line, "cqc_rating_date", _optional_date, row.get("cqc_rating_date", "")
        ),
    }


def import_providers(binary: IO[bytes]) -> ImportResult:
    # Status is the council's decision, kept in the app, so an import never resets it.
    return import_keyed_rows(
        binary,
        kind="providers",
        model=Provider,
        key_column="provider_ref",
        key_field="ref",
        required=REQUIRED,
        optional=OPTIONAL,
        parse_row=_parse_row,
    )
