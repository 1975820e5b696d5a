"""contracts.csv, people.csv and packages.csv, as shared/specs/data-exchange.md defines them."""

from __future__ import annotations

from datetime import UTC, date
from decimal import Decimal
from typing import IO, Any

from django.db import transaction

from common.cells import (
    LondonClock,
    column,
    parse_bool,
    parse_date,
    parse_decimal,
    parse_int,
    parse_lookup,
    parse_ref,
    parse_text,
    shown,
)
from common.csvimport import ErrorReport, ImportResult
from common.upsert import cell, import_keyed_rows
from contracts.hours import record_package_hours, seed_package_hours
from contracts.models import CarePackage, Contract, Framework, Lot, PaymentBasis, Person
from providers.models import Provider

CONTRACT_REF = column(parse_ref, Contract, "ref")
FRAMEWORK = column(parse_text, Framework, "name", required=True)
LOT = column(parse_text, Lot, "name", required=True)
HOURLY_RATE = column(parse_decimal, Contract, "hourly_rate")
PERSON_REF = column(parse_ref, Person, "ref")
POSTCODE_DISTRICT = column(parse_text, Person, "postcode_district")
PACKAGE_REF = column(parse_ref, CarePackage, "ref")
WEEKLY_HOURS = column(parse_decimal, CarePackage, "planned_weekly_hours")
ROUNDING_MINUTES = column(parse_int, Contract, "rounding_minutes")
SHORT_NOTICE_HOURS = column(parse_int, Contract, "short_notice_hours")
FLEX_WEEKLY_HOURS = column(parse_decimal, Contract, "flex_weekly_hours")
FLEX_WEEKS = column(parse_int, Contract, "flex_weeks")
BASES = {value for value, _ in PaymentBasis.choices}
# Columns of issue 13 a contracts file may carry; those it lacks are left as they are.
PAYMENT_COLUMNS = [
    "payment_basis",
    "rounding_minutes",
    "short_notice_hours",
    "flex_weekly_hours",
    "flex_weeks",
]
REQUEST_REF = column(parse_text, CarePackage, "request_ref")


def _optional_date(raw: str) -> date | None:
    return parse_date(raw, required=False)


def import_contracts(binary: IO[bytes]) -> ImportResult:
    providers = dict(Provider.objects.values_list("ref", "id"))
    lots: dict[tuple[str, str], int] = {
        (framework, name): pk
        for pk, framework, name in Lot.objects.values_list("id", "framework__name", "name")
    }

    def lot_id(framework_name: str, lot_name: str) -> int:
        # Frameworks and lots named for the first time are created, inside the
        # import's transaction, so a rejected file leaves none behind.
        key = (framework_name, lot_name)
        if key not in lots:
            framework, _ = Framework.objects.get_or_create(name=framework_name)
            lots[key] = Lot.objects.get_or_create(framework=framework, name=lot_name)[0].pk
        return lots[key]

    def parse_row(line: int, row: dict[str, str], errors: ErrorReport) -> dict[str, Any] | None:
        ref = cell(errors, line, "contract_ref", CONTRACT_REF, row["contract_ref"])
        provider_ref = cell(errors, line, "provider_ref", parse_lookup, row["provider_ref"])
        provider_id = providers.get(provider_ref) if provider_ref else None
        if provider_ref and provider_id is None:
            errors.add(
                line,
                "provider_ref",
                f"no provider {shown(provider_ref)} (import it in a providers file first)",
            )
        framework = cell(errors, line, "framework", FRAMEWORK, row["framework"])
        lot = cell(errors, line, "lot", LOT, row["lot"])
        start = cell(errors, line, "start_date", parse_date, row["start_date"])
        end = cell(errors, line, "end_date", _optional_date, row.get("end_date", ""))
        if start and end and end < start:
            errors.add(line, "end_date", "is before start_date")
        rate = cell(errors, line, "hourly_rate", HOURLY_RATE, row.get("hourly_rate", ""))
        payment = _payment_terms(line, row, errors)
        if errors:
            return None
        return {
            "ref": ref,
            "provider_id": provider_id,
            "lot_id": lot_id(framework, lot),
            "start_date": start,
            "end_date": end,
            "hourly_rate": rate,
            **payment,
        }

    return import_keyed_rows(
        binary,
        kind="contracts",
        model=Contract,
        key_column="contract_ref",
        key_field="ref",
        required=["contract_ref", "provider_ref", "framework", "lot", "start_date"],
        optional=["end_date", "hourly_rate", *PAYMENT_COLUMNS],
        parse_row=parse_row,
    )


def _payment_terms(line: int, row: dict[str, str], errors: ErrorReport) -> dict[str, Any]:
    """The payment columns the file carries (payment-definitions.md): blank basis
    is planned, blank rounding exact, blank short notice unpaid."""
    terms: dict[str, Any] = {}
    if "payment_basis" in row:
        basis = row["payment_basis"].strip().lower() or PaymentBasis.PLANNED
        if basis not in BASES:
            errors.add(
                line, "payment_basis", f"{shown(basis)} is not a basis (planned or verified)"
            )
        terms["payment_basis"] = basis
    for name, parse in (
        ("rounding_minutes", ROUNDING_MINUTES),
        ("short_notice_hours", SHORT_NOTICE_HOURS),
    ):
        if name in row:
            value = cell(errors, line, name, parse, row[name])
            if value == 0 and name == "rounding_minutes":
                errors.add(line, name, "must be 1 or more (leave it blank for exact minutes)")
            terms[name] = value
    # The flex limits have defaults (7 hours, 6 weeks): blank keeps the default.
    for name, parse, default in (
        ("flex_weekly_hours", FLEX_WEEKLY_HOURS, Decimal("7")),
        ("flex_weeks", FLEX_WEEKS, 6),
    ):
        if name in row:
            value = cell(errors, line, name, parse, row[name])
            terms[name] = default if value is None else value
    return terms


def import_people(binary: IO[bytes]) -> ImportResult:
    def parse_row(line: int, row: dict[str, str], errors: ErrorReport) -> dict[str, Any] | None:
        raw_district = row.get("postcode_district", "")
        district = (
            cell(errors, line, "postcode_district", POSTCODE_DISTRICT, raw_district) or ""
        ).upper()
        if len(district) > 4 or " " in district:
            # Only the outward code is held: anything longer could identify a home.
            errors.add(
                line, "postcode_district", f"{shown(district)} is not an outward code such as S8"
            )
        return {
            "ref": cell(errors, line, "person_ref", PERSON_REF, row["person_ref"]),
            "lives_alone": cell(
                errors, line, "lives_alone", parse_bool, row.get("lives_alone", "")
            ),
            "lacks_capacity": cell(
                errors, line, "lacks_capacity", parse_bool, row.get("lacks_capacity", "")
            ),
            "postcode_district": district,
        }

    return import_keyed_rows(
        binary,
        kind="people",
        model=Person,
        key_column="person_ref",
        key_field="ref",
        required=["person_ref"],
        optional=["lives_alone", "lacks_capacity", "postcode_district"],
        parse_row=parse_row,
    )


def import_packages(binary: IO[bytes]) -> ImportResult:
    people = dict(Person.objects.values_list("ref", "id"))
    providers = dict(Provider.objects.values_list("ref", "id"))
    contracts = {
        ref: (pk, provider_id)
        for pk, ref, provider_id in Contract.objects.values_list("id", "ref", "provider_id")
    }
    clock = LondonClock()
    # Weekly hours as the file gives them, for the package_hours history.
    hours: dict[str, tuple[Decimal, Any, Any]] = {}

    def parse_row(line: int, row: dict[str, str], errors: ErrorReport) -> dict[str, Any] | None:
        ref = cell(errors, line, "package_ref", PACKAGE_REF, row["package_ref"])
        person_ref = cell(errors, line, "person_ref", parse_lookup, row["person_ref"])
        person_id = people.get(person_ref) if person_ref else None
        if person_ref and person_id is None:
            errors.add(
                line,
                "person_ref",
                f"no person {shown(person_ref)} (import them in a people file first)",
            )
        provider_ref = cell(errors, line, "provider_ref", parse_lookup, row["provider_ref"])
        provider_id = providers.get(provider_ref) if provider_ref else None
        if provider_ref and provider_id is None:
            errors.add(
                line,
                "provider_ref",
                f"no provider {shown(provider_ref)} (import it in a providers file first)",
            )
        contract_ref = row.get("contract_ref", "").strip()
        contract_id = None
        if contract_ref:
            contract = contracts.get(contract_ref)
            if contract is None:
                errors.add(
                    line,
                    "contract_ref",
                    f"no contract {shown(contract_ref)} (import it in a contracts file first)",
                )
            elif provider_id is not None and contract[1] != provider_id:
                errors.add(
                    line,
                    "contract_ref",
                    f"{shown(contract_ref)} is held by another provider, not {provider_ref}",
                )
            else:
                contract_id = contract[0]
        start = cell(errors, line, "start_date", parse_date, row["start_date"])
        end = cell(errors, line, "end_date", _optional_date, row.get("end_date", ""))
        if start and end and end < start:
            errors.add(line, "end_date", "is before start_date")
        requested_raw = row.get("requested_at", "")
        requested = (
            cell(errors, line, "requested_at", clock.to_utc, requested_raw)
            if requested_raw.strip()
            else None
        )
        weekly = cell(
            errors, line, "planned_weekly_hours", WEEKLY_HOURS, row.get("planned_weekly_hours", "")
        )
        hours_from = cell(errors, line, "hours_from", _optional_date, row.get("hours_from", ""))
        if hours_from and weekly is None:
            errors.add(line, "hours_from", "needs planned_weekly_hours")
        if ref and weekly is not None:
            hours[ref] = (weekly, hours_from, start)
        values = {
            "ref": ref,
            "person_id": person_id,
            "provider_id": provider_id,
            "contract_id": contract_id,
            "start_date": start,
            "end_date": end,
            "planned_weekly_hours": weekly,
            "requested_at": requested.replace(tzinfo=UTC) if requested else None,
            "hospital_discharge": cell(
                errors, line, "hospital_discharge", parse_bool, row.get("hospital_discharge", "")
            ),
        }
        if "time_critical" in row:
            # Blank is no (data-exchange.md); a file without the column (one
            # made before issue 15) leaves the flag as a newer file set it.
            flag = cell(errors, line, "time_critical", parse_bool, row["time_critical"])
            values["time_critical"] = bool(flag)
        if "request_ref" in row:
            # Only a file that carries the column sets it: an older packages
            # file without it leaves the link a newer one made.
            raw = row["request_ref"]
            values["request_ref"] = cell(errors, line, "request_ref", REQUEST_REF, raw)
        return values

    with transaction.atomic():
        # Hours set before the history was kept (or outside imports) become its
        # first rows, so the upsert below cannot lose them.
        seed_package_hours()
        result = import_keyed_rows(
            binary,
            kind="packages",
            model=CarePackage,
            key_column="package_ref",
            key_field="ref",
            required=["package_ref", "person_ref", "provider_ref", "start_date"],
            optional=[
                "contract_ref",
                "end_date",
                "planned_weekly_hours",
                "hours_from",
                "requested_at",
                "hospital_discharge",
                "request_ref",
                "time_critical",
            ],
            parse_row=parse_row,
        )
        record_package_hours(hours)
    return result
