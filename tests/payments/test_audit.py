"""Dated rates, commissioned hours and banked time leave audit rows when
changed through the ORM (the admin), as every change to council data must."""

from __future__ import annotations

from datetime import date
from decimal import Decimal

import pytest
from auditlog.models import LogEntry

from contracts.models import CarePackage, Contract, ContractRate, PackageHours
from homecare.payments.models import TimeBankEntry
from tests.payments.scenario import council

pytestmark = pytest.mark.django_db


def test_new_models_are_in_the_audit_trail():
    council("C1,P01,F,Lot 1,2024-04-01,,20.00,planned,,", "K1,R1,P01,C1,2026-01-01,,10")
    package = CarePackage.objects.get(ref="K1")
    rate = ContractRate.objects.create(
        contract=Contract.objects.get(ref="C1"),
        effective_from=date(2026, 4, 1),
        hourly_rate=Decimal("23.50"),
    )
    rate.hourly_rate = Decimal("23.75")
    rate.save()
    hours = PackageHours.objects.create(
        package=package, effective_from=date(2026, 10, 1), weekly_hours=Decimal("12")
    )
    banked = TimeBankEntry.objects.create(package=package, date=date(2026, 10, 1), minutes=30)
    assert LogEntry.objects.get_for_object(rate).count() == 2
    change = LogEntry.objects.get_for_object(rate).order_by("timestamp").last()
    assert change.changes_dict["hourly_rate"] == ["23.50", "23.75"]
    assert LogEntry.objects.get_for_object(hours).count() == 1
    assert LogEntry.objects.get_for_object(banked).count() == 1
