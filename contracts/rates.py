"""contract_rates.csv (shared/specs/payment-definitions.md), and the helper
for files keyed by a ref and a date (rates here, banked time in payments)."""

from __future__ import annotations

from collections.abc import Callable
from datetime import date
from typing import IO, Any

from django.db import models, transaction

from common.cells import column, parse_date, parse_decimal, parse_lookup, shown
from common.csvimport import ErrorReport, ImportResult, open_csv
from common.upsert import cell
from contracts.models import Contract, ContractRate

DatedRowParser = Callable[[int, dict[str, str], ErrorReport], dict[str, Any] | None]
RATE = column(parse_decimal, ContractRate, "hourly_rate")


def import_dated_rows(
    binary: IO[bytes],
    *,
    kind: str,
    model: type[models.Model],
    owner_field: str,
    ref_column: str,
    owners: dict[str, int],
    date_column: str,
    date_field: str,
    required: list[str],
    optional: list[str],
    parse_row: DatedRowParser,
    owner_name: str,
) -> ImportResult:
    """All or nothing, idempotent by (ref, date): a row whose pair exists
    updates it. parse_row gives the other fields."""
    csv_file = open_csv(binary, required=required, optional=optional)
    result = ImportResult(kind=kind, ignored_columns=csv_file.ignored_columns)
    errors = csv_file.errors
    first_line: dict[tuple[int, date], int] = {}
    values_list: list[dict[str, Any]] = []
    with transaction.atomic():
        for line, row in csv_file.rows():
            result.rows += 1
            ref = cell(errors, line, ref_column, parse_lookup, row[ref_column])
            owner = owners.get(ref) if ref else None
            if ref and owner is None:
                errors.add(
                    line,
                    ref_column,
                    f"no {owner_name} {shown(ref)} (import it in a {owner_name}s file first)",
                )
            day = cell(errors, line, date_column, parse_date, row[date_column])
            values = parse_row(line, row, errors)
            if owner is None or day is None or values is None:
                continue
            key = (owner, day)
            if key in first_line:
                errors.add(
                    line,
                    date_column,
                    f"{day} for {shown(ref)} appears again (first on line {first_line[key]})",
                )
                continue
            first_line[key] = line
            values_list.append({f"{owner_field}_id": owner, date_field: day, **values})
        if result.rows == 0:
            errors.add(2, ref_column, "the file has a header but no rows")
        errors.raise_if_any()
        existing = set(
            model._default_manager.filter(
                **{f"{owner_field}_id__in": {v[f"{owner_field}_id"] for v in values_list}}
            ).values_list(f"{owner_field}_id", date_field)
        )
        model._default_manager.bulk_create(
            [model(**values) for values in values_list],
            update_conflicts=True,
            unique_fields=[owner_field, date_field],
            update_fields=[
                name for name in values_list[0] if name not in (f"{owner_field}_id", date_field)
            ],
            batch_size=2000,
        )
    result.updated = sum(
        1 for v in values_list if (v[f"{owner_field}_id"], v[date_field]) in existing
    )
    result.created = len(values_list) - result.updated
    return result


def import_contract_rates(binary: IO[bytes]) -> ImportResult:
    def parse_row(line: int, row: dict[str, str], errors: ErrorReport) -> dict[str, Any] | None:
        raw = row["hourly_rate"]
        rate = cell(errors, line, "hourly_rate", RATE, raw)
        if rate is None and raw.strip() == "":
            errors.add(line, "hourly_rate", "is blank")
        return None if rate is None else {"hourly_rate": rate}

    return import_dated_rows(
        binary,
        kind="contract rates",
        model=ContractRate,
        owner_field="contract",
        ref_column="contract_ref",
        owners=dict(Contract.objects.values_list("ref", "id")),
        date_column="effective_from",
        date_field="effective_from",
        required=["contract_ref", "effective_from", "hourly_rate"],
        optional=[],
        parse_row=parse_row,
        owner_name="contract",
    )
