"""The new inputs: contract_rates.csv, the payment columns of contracts.csv,
cancelled_at in visits.csv and time_bank.csv: all or nothing, idempotent,
every bad value named by line and column."""

from __future__ import annotations

from datetime import UTC, date, datetime
from decimal import Decimal

import pytest

from common.csvimport import FileRejected
from contracts.models import Contract, ContractRate
from homecare.payments.models import TimeBankEntry
from tests.payments.scenario import council, rates, time_bank, visits
from visits.models import Visit

pytestmark = pytest.mark.django_db
CONTRACT = "C1,P01,F,Lot 1,2024-04-01,,20.00,verified,15,24"
PACKAGE = "K1,R1,P01,C1,2026-01-01,,10"


def errors(call, *args) -> list[str]:
    with pytest.raises(FileRejected) as rejected:
        call(*args)
    return rejected.value.errors


def test_contract_payment_columns_are_read():
    council(CONTRACT + "\nC2,P02,F,Lot 1,2024-04-01,,21.00,,,", PACKAGE)
    assert list(
        Contract.objects.values_list(
            "ref", "payment_basis", "rounding_minutes", "short_notice_hours"
        )
    ) == [("C1", "verified", 15, 24), ("C2", "planned", None, None)]


def test_bad_payment_basis_is_named():
    with pytest.raises(FileRejected) as rejected:
        council("C1,P01,F,Lot 1,2024-04-01,,20.00,weekly,0,", PACKAGE)
    assert rejected.value.errors == [
        "line 2, payment_basis: 'weekly' is not a basis (planned or verified)",
        "line 2, rounding_minutes: must be 1 or more (leave it blank for exact minutes)",
    ]


def test_rates_are_idempotent_by_contract_and_date():
    council(CONTRACT, PACKAGE)
    assert rates("C1,2026-04-01,23.50").created == 1
    again = rates("C1,2026-04-01,23.75")
    assert (again.created, again.updated) == (0, 1)
    assert list(ContractRate.objects.values_list("effective_from", "hourly_rate")) == [
        (date(2026, 4, 1), Decimal("23.75"))
    ]


def test_bad_rates_change_nothing():
    council(CONTRACT, PACKAGE)
    assert errors(rates, "C1,2026-04-01,23.50\nC9,2026-04-01,1\nC1,2026-04-01,2\nC1,soon,") == [
        "line 3, contract_ref: no contract 'C9' (import it in a contracts file first)",
        "line 4, effective_from: 2026-04-01 for 'C1' appears again (first on line 2)",
        "line 5, effective_from: 'soon' is not a date (use YYYY-MM-DD)",
        "line 5, hourly_rate: is blank",
    ]
    assert not ContractRate.objects.exists()


def test_cancelled_at_is_read_for_cancelled_visits_only():
    council(CONTRACT, PACKAGE)
    visits("V1,K1,W1,2026-10-06T09:00:00,2026-10-06T10:00:00,,,cancelled,,2026-10-06T07:00:00")
    assert Visit.objects.get().cancelled_at == datetime(2026, 10, 6, 6, 0, tzinfo=UTC)
    bad = (
        "V2,K1,W1,2026-10-06T09:00:00,2026-10-06T10:00:00,,,missed,,2026-10-06T07:00:00\n"
        "V3,K1,W1,2026-10-06T09:00:00,2026-10-06T10:00:00,,,cancelled,,yesterday"
    )
    found = errors(visits, bad)
    assert found[0] == "line 2, cancelled_at: must be blank unless the visit is cancelled"
    assert found[1].startswith("line 3, cancelled_at: 'yesterday' is not a date-time")
    assert Visit.objects.count() == 1


def test_time_bank_import():
    council(CONTRACT, PACKAGE)
    time_bank("K1,2026-10-01,45,deferred\nK1,2026-10-08,-30,")
    time_bank("K1,2026-10-01,45,deferred\nK1,2026-10-08,-30,")
    assert list(TimeBankEntry.objects.values_list("date", "minutes")) == [
        (date(2026, 10, 1), 45),
        (date(2026, 10, 8), -30),
    ]
    assert errors(time_bank, "K9,2026-10-01,45,\nK1,2026-10-02,0,\nK1,2026-10-03,1.5,") == [
        "line 2, package_ref: no package 'K9' (import it in a packages file first)",
        "line 3, minutes: is 0 (positive when time is deferred, negative when it is used)",
        "line 4, minutes: '1.5' is not a whole number of minutes",
    ]


def test_new_kinds_load_from_the_command_line(tmp_path):
    import io

    from django.core.management import call_command

    council(CONTRACT, PACKAGE)
    rates_file = tmp_path / "contract_rates.csv"
    rates_file.write_text("contract_ref,effective_from,hourly_rate\nC1,2026-04-01,23.50\n")
    bank_file = tmp_path / "time_bank.csv"
    bank_file.write_text("package_ref,date,minutes,note\nK1,2026-10-01,30,deferred\n")
    out = io.StringIO()
    call_command("import_csv", "contract_rates", str(rates_file), stdout=out)
    call_command("import_csv", "time_bank", str(bank_file), stdout=out)
    assert "Imported 1 row of contract rates" in out.getvalue()
    assert "Imported 1 row of banked time" in out.getvalue()
    assert TimeBankEntry.objects.get().minutes == 30
