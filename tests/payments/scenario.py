"""Small councils built through the real importers, for hand-worked answers."""

from __future__ import annotations

import io
from textwrap import dedent

from django.core.management import call_command

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


def spend_market() -> None:
    """Two providers on two lots, a rate change in October and three visits:
    October's spend is 74.00 over 3 hours (tests/payments/test_spend.py)."""
    council(
        """
        C1,P01,F,Lot 1,2024-04-01,,20.00,planned,,
        C2,P02,F,Lot 2,2024-04-01,,30.00,planned,,
        """,
        "K1,R1,P01,C1,2026-01-01,,7\nK2,R2,P02,C2,2026-01-01,,7",
    )
    rates("C1,2026-10-01,22.00")
    visits(
        """
        V1,K1,W1,2026-09-07T09:00:00,2026-09-07T10:00:00,2026-09-07T09:00:00,2026-09-07T10:00:00,completed,ecm,
        V2,K1,W1,2026-10-05T09:00:00,2026-10-05T11:00:00,2026-10-05T09:00:00,2026-10-05T11:00:00,completed,ecm,
        V3,K2,W2,2026-10-05T09:00:00,2026-10-05T10:00:00,2026-10-05T09:00:00,2026-10-05T10:00:00,completed,ecm,
        """
    )
    call_command("compute_kpis", month="2026-10", stdout=io.StringIO())
