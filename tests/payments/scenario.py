"""Small councils built through the real importers, for hand-worked answers."""

from __future__ import annotations

import io
from textwrap import dedent

from common.csvimport import ImportResult
from contracts.imports import import_contracts, import_packages, import_people
from contracts.rates import import_contract_rates
from homecare.payments.imports import import_time_bank
from providers.imports import import_providers
from visits.imports import import_visits

VISITS_HEADER = (
    "visit_id,package_ref,carer_ref,planned_start,planned_end,actual_start,actual_end,"
    "status,verification,cancelled_at"
)
CONTRACTS_HEADER = (
    "contract_ref,provider_ref,framework,lot,start_date,end_date,hourly_rate,"
    "payment_basis,rounding_minutes,short_notice_hours"
)


def load(importer, text: str) -> ImportResult:
    return importer(io.BytesIO(dedent(text).strip().encode()))


def council(contracts: str, packages: str) -> None:
    """Providers P01 and P02, people R1-R9, the contracts and packages given
    (rows without headers)."""
    load(import_providers, "provider_ref,name\nP01,Alpha Home Care\nP02,Beta Care")
    load(import_people, "person_ref\n" + "\n".join(f"R{i}" for i in range(1, 10)))
    load(import_contracts, CONTRACTS_HEADER + "\n" + dedent(contracts).strip())
    load(
        import_packages,
        "package_ref,person_ref,provider_ref,contract_ref,start_date,end_date,"
        "planned_weekly_hours\n" + dedent(packages).strip(),
    )


def visits(rows: str) -> ImportResult:
    return load(import_visits, VISITS_HEADER + "\n" + dedent(rows).strip())


def rates(rows: str) -> ImportResult:
    return load(import_contract_rates, "contract_ref,effective_from,hourly_rate\n" + rows)


def time_bank(rows: str) -> ImportResult:
    return load(import_time_bank, "package_ref,date,minutes,note\n" + dedent(rows).strip())
