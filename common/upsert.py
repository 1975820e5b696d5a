"""Importing files whose rows are keyed by a ref: one row, one record."""

from __future__ import annotations

from collections.abc import Callable
from typing import IO, Any

from django.db import models, transaction

from common.cells import CellError, shown
from common.csvimport import CsvFile, ErrorReport, ImportResult, open_csv

RowParser = Callable[[int, dict[str, str], ErrorReport], dict[str, Any] | None]


def cell(errors: ErrorReport, line: int, column: str, parse: Callable[[str], Any], raw: str) -> Any:
    """Parse one cell, noting the error against its line and column."""
    try:
        return parse(raw)
    except CellError as exc:
        errors.add(line, column, str(exc))
        return None


def import_keyed_rows(
    binary: IO[bytes],
    *,
    kind: str,
    model: type[models.Model],
    key_column: str,
    key_field: str,
    required: list[str],
    optional: list[str],
    parse_row: RowParser,
    batch_size: int = 2000,
) -> ImportResult:
    """All or nothing: rows are written in batches as they come, and a bad row
    anywhere rolls every batch back. Writing stops at the first bad row, but
    checking goes on so the report names every one."""
    csv_file: CsvFile = open_csv(binary, required=required, optional=optional)
    result = ImportResult(kind=kind, ignored_columns=csv_file.ignored_columns)
    errors = csv_file.errors
    first_line_of: dict[str, int] = {}
    batch: list[dict[str, Any]] = []

    def flush() -> None:
        # Only the columns the format carries are updated: a field kept in the
        # app (a provider's status, say) is never reset by an import.
        update_fields = [model._meta.get_field(name).name for name in batch[0] if name != key_field]
        keys = [values[key_field] for values in batch]
        existing = set(
            model._default_manager.filter(**{f"{key_field}__in": keys}).values_list(
                key_field, flat=True
            )
        )
        model._default_manager.bulk_create(
            [model(**values) for values in batch],
            update_conflicts=True,
            unique_fields=[key_field],
            update_fields=update_fields,
        )
        result.updated += len(existing)
        result.created += len(batch) - len(existing)
        batch.clear()

    with transaction.atomic():
        for line, row in csv_file.rows():
            result.rows += 1
            key = row[key_column].strip()
            if key in first_line_of:
                errors.add(
                    line,
                    key_column,
                    f"{shown(key)} appears again (first on line {first_line_of[key]})",
                )
                continue
            if key:
                first_line_of[key] = line
            values = parse_row(line, row, errors)
            if errors or values is None:
                batch.clear()
                continue
            batch.append(values)
            if len(batch) >= batch_size:
                flush()
        if not errors and batch:
            flush()
        if result.rows == 0:
            errors.add(2, key_column, "the file has a header but no rows")
        errors.raise_if_any()
    return result
