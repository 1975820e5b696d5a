"""reviews.csv, as shared/specs/data-exchange.md defines it."""

from __future__ import annotations

from typing import IO, Any

from common.cells import CellError, column, parse_date, parse_lookup, parse_ref, shown
from common.csvimport import ErrorReport, ImportResult
from common.upsert import cell, import_keyed_rows
from contracts.models import CarePackage
from reviews.models import PackageReview, ReviewType

REVIEW_TYPES = {value for value, _ in ReviewType.choices}
REVIEW_REF = column(parse_ref, PackageReview, "ref")


def parse_review_type(raw: str) -> str:
    value = raw.strip().lower()
    if value not in REVIEW_TYPES:
        allowed = ", ".join(sorted(REVIEW_TYPES))
        raise CellError(f"{shown(raw.strip())} is not a review type ({allowed})")
    return value


def import_reviews(binary: IO[bytes]) -> ImportResult:
    packages = dict(CarePackage.objects.values_list("ref", "id"))

    def parse_row(line: int, row: dict[str, str], errors: ErrorReport) -> dict[str, Any] | None:
        package_ref = cell(errors, line, "package_ref", parse_lookup, row["package_ref"])
        package_id = packages.get(package_ref) if package_ref else None
        if package_ref and package_id is None:
            errors.add(
                line,
                "package_ref",
                f"no care package {shown(package_ref)} (import it in a packages file first)",
            )
        return {
            "ref": cell(errors, line, "review_ref", REVIEW_REF, row["review_ref"]),
            "package_id": package_id,
            "review_date": cell(errors, line, "review_date", parse_date, row["review_date"]),
            "review_type": cell(errors, line, "review_type", parse_review_type, row["review_type"]),
        }

    return import_keyed_rows(
        binary,
        kind="reviews",
        model=PackageReview,
        key_column="review_ref",
        key_field="ref",
        required=["review_ref", "package_ref", "review_date", "review_type"],
        optional=[],
        parse_row=parse_row,
    )
