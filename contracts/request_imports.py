"""requests.csv and capacity.csv, as shared/specs/market-definitions.md defines them."""

from __future__ import annotations

from datetime import UTC, datetime
from typing import IO, Any

from django.db import transaction

from common.cells import (
    CellError,
    LondonClock,
    column,
    parse_date,
    parse_decimal,
    parse_lookup,
    parse_ref,
    parse_text,
    shown,
)
from common.csvimport import ErrorReport, ImportResult, open_csv
from common.upsert import cell, import_keyed_rows
from contracts.models import (
    CapacityDeclaration,
    CarePackage,
    CareRequest,
    Lot,
    LotDistrict,
    Person,
    RequestSource,
    RequestStatus,
)
from providers.models import Provider

REQUEST_REF = column(parse_ref, CareRequest, "ref")
WEEKLY_HOURS = column(parse_decimal, CareRequest, "weekly_hours")
REASON = column(parse_text, CareRequest, "withdrawn_reason")
SPARE_HOURS = column(parse_decimal, CapacityDeclaration, "spare_weekly_hours")
SOURCES = set(RequestSource.values)
STATUSES = set(RequestStatus.values)


def lots_by_name() -> tuple[dict[str, int], set[str]]:
    """Lot ids by name, and the names held by more than one framework (which a
    file naming only the lot cannot tell apart)."""
    found: dict[str, int] = {}
    twice: set[str] = set()
    for pk, name in Lot.objects.values_list("id", "name"):
        if name in found:
            twice.add(name)
        found[name] = pk
    return found, twice


def _choice(allowed: set[str], raw: str) -> str:
    value = raw.strip().lower()
    if not value:
        raise CellError("is blank")
    if value not in allowed:
        raise CellError(f"{shown(raw.strip())} is not one of {', '.join(sorted(allowed))}")
    return value


def import_requests(binary: IO[bytes]) -> ImportResult:
    people = {
        ref: (pk, district)
        for pk, ref, district in Person.objects.values_list("id", "ref", "postcode_district")
    }
    packages = dict(CarePackage.objects.values_list("ref", "id"))
    lots, ambiguous = lots_by_name()
    district_lots = dict(LotDistrict.objects.values_list("postcode_district", "lot_id"))
    clock = LondonClock()

    def instant(errors: ErrorReport, line: int, name: str, raw: str) -> datetime | None:
        if not raw.strip():
            return None
        utc = cell(errors, line, name, clock.to_utc, raw)
        return utc.replace(tzinfo=UTC) if utc else None

    def parse_row(line: int, row: dict[str, str], errors: ErrorReport) -> dict[str, Any] | None:
        ref = cell(errors, line, "request_ref", REQUEST_REF, row["request_ref"])
        person_ref = cell(errors, line, "person_ref", parse_lookup, row["person_ref"])
        person = people.get(person_ref) if person_ref else None
        if person_ref and person is None:
            errors.add(
                line,
                "person_ref",
                f"no person {shown(person_ref)} (import them in a people file first)",
            )
        requested = instant(errors, line, "requested_at", row["requested_at"])
        if not row["requested_at"].strip():
            errors.add(line, "requested_at", "is blank")
        source = cell(errors, line, "source", lambda raw: _choice(SOURCES, raw), row["source"])
        status = cell(errors, line, "status", lambda raw: _choice(STATUSES, raw), row["status"])
        lot_name = row.get("lot", "").strip()
        lot_id = None
        if lot_name:
            lot_id = lots.get(lot_name)
            if lot_id is None:
                errors.add(
                    line, "lot", f"no lot {shown(lot_name)} (lots come in with contracts files)"
                )
            elif lot_name in ambiguous:
                errors.add(line, "lot", f"{shown(lot_name)} is the name of lots in two frameworks")
        elif person is not None:
            lot_id = district_lots.get(person[1])
        hours = cell(errors, line, "weekly_hours", WEEKLY_HOURS, row.get("weekly_hours", ""))
        placed = instant(errors, line, "placed_at", row.get("placed_at", ""))
        withdrawn = instant(errors, line, "withdrawn_at", row.get("withdrawn_at", ""))
        for name, value in (("placed_at", placed), ("withdrawn_at", withdrawn)):
            if value and requested and value < requested:
                errors.add(line, name, "is before requested_at")
        if status == RequestStatus.PLACED and placed is None and not row.get("placed_at", ""):
            errors.add(line, "placed_at", "is blank, but the request is placed")
        if (
            status == RequestStatus.WITHDRAWN
            and withdrawn is None
            and not row.get("withdrawn_at", "")
        ):
            errors.add(line, "withdrawn_at", "is blank, but the request is withdrawn")
        if status == RequestStatus.OPEN and (placed or withdrawn):
            errors.add(line, "status", "is open, but the row has a placed_at or withdrawn_at")
        package_ref = row.get("package_ref", "").strip()
        package_id = None
        if package_ref:
            package_id = packages.get(package_ref)
            if package_id is None:
                errors.add(
                    line,
                    "package_ref",
                    f"no package {shown(package_ref)} (import it in a packages file first)",
                )
        reason = cell(errors, line, "withdrawn_reason", REASON, row.get("withdrawn_reason", ""))
        if errors:
            return None
        return {
            "ref": ref,
            "person_id": person[0] if person else None,
            "requested_at": requested,
            "source": source,
            "lot_id": lot_id,
            "weekly_hours": hours,
            "status": status,
            "placed_at": placed,
            "package_id": package_id,
            "withdrawn_at": withdrawn,
            "withdrawn_reason": reason or "",
        }

    return import_keyed_rows(
        binary,
        kind="requests for care",
        model=CareRequest,
        key_column="request_ref",
        key_field="ref",
        required=["request_ref", "person_ref", "requested_at", "source", "status"],
        optional=[
            "lot",
            "weekly_hours",
            "placed_at",
            "package_ref",
            "withdrawn_at",
            "withdrawn_reason",
        ],
        parse_row=parse_row,
    )


CAPACITY_REQUIRED = ["provider_ref", "lot", "declared_on", "spare_weekly_hours"]


def import_capacity(binary: IO[bytes]) -> ImportResult:
    """capacity.csv (commissioners): one row per provider, lot and date,
    keyed by the three; the same file again changes nothing."""
    providers = dict(Provider.objects.values_list("ref", "id"))
    lots, ambiguous = lots_by_name()
    csv_file = open_csv(binary, required=CAPACITY_REQUIRED)
    result = ImportResult(kind="capacity declarations", ignored_columns=csv_file.ignored_columns)
    errors = csv_file.errors
    first_line_of: dict[tuple[int, int, Any], int] = {}
    rows: list[CapacityDeclaration] = []
    for line, row in csv_file.rows():
        result.rows += 1
        provider_ref = cell(errors, line, "provider_ref", parse_lookup, row["provider_ref"])
        provider_id = providers.get(provider_ref) if provider_ref else None
        if provider_ref and provider_id is None:
            errors.add(line, "provider_ref", f"no provider {shown(provider_ref)}")
        lot_name = cell(errors, line, "lot", parse_lookup, row["lot"])
        lot_id = lots.get(lot_name) if lot_name else None
        if lot_name and lot_id is None:
            errors.add(line, "lot", f"no lot {shown(lot_name)}")
        elif lot_name in ambiguous:
            errors.add(line, "lot", f"{shown(lot_name)} is the name of lots in two frameworks")
        day = cell(errors, line, "declared_on", parse_date, row["declared_on"])
        hours = cell(errors, line, "spare_weekly_hours", SPARE_HOURS, row["spare_weekly_hours"])
        if hours is None and row["spare_weekly_hours"].strip() == "":
            errors.add(line, "spare_weekly_hours", "is blank")
        if provider_id is None or lot_id is None or day is None or hours is None:
            continue
        key = (provider_id, lot_id, day)
        if key in first_line_of:
            errors.add(
                line, "declared_on", f"the same provider, lot and date as line {first_line_of[key]}"
            )
            continue
        first_line_of[key] = line
        rows.append(
            CapacityDeclaration(
                provider_id=provider_id, lot_id=lot_id, declared_on=day, spare_weekly_hours=hours
            )
        )
    if result.rows == 0:
        errors.add(2, "provider_ref", "the file has a header but no rows")
    errors.raise_if_any()
    with transaction.atomic():
        existing = CapacityDeclaration.objects.filter(
            provider_id__in={r.provider_id for r in rows},
            declared_on__in={r.declared_on for r in rows},
        ).values_list("provider_id", "lot_id", "declared_on")
        known = set(existing) & set(first_line_of)
        CapacityDeclaration.objects.bulk_create(
            rows,
            update_conflicts=True,
            unique_fields=["provider", "lot", "declared_on"],
            update_fields=["spare_weekly_hours"],
        )
    result.updated = len(known)
    result.created = len(rows) - len(known)
    return result
