"""Providers, lot and market totals, thresholds, storage and the commands."""

from __future__ import annotations

import datetime as dt
import io
import json
from decimal import Decimal

import pytest
from django.core.management import call_command

from homecare.kpis.models import KpiScope, MonthlyKpi
from homecare.kpis.services import compute_month_kpis, set_thresholds
from tests.factories import (
    CarePackageFactory,
    ContractFactory,
    ProviderFactory,
)
from tests.kpi_factories import visit
from tests.kpis.engine_helpers import OCT, day, figures, market

pytestmark = pytest.mark.django_db


# --- providers, totals, thresholds, storage --------------------------------------------


def test_a_provider_with_no_visits_appears_with_zeros_and_nulls(package):
    quiet = ProviderFactory(ref="P02")
    ContractFactory(provider=quiet, start_date=dt.date(2026, 10, 31))
    ProviderFactory(ref="P03")  # nothing active: not reported
    ended = ProviderFactory(ref="P04")
    ContractFactory(provider=ended, start_date=dt.date(2025, 1, 1), end_date=dt.date(2026, 9, 30))
    visit(package, day(1))
    compute_month_kpis(OCT)
    refs = list(
        MonthlyKpi.objects.filter(scope=KpiScope.PROVIDER)
        .order_by("provider__ref")
        .values_list("provider__ref", flat=True)
    )
    assert refs == ["P01", "P02"]
    got = MonthlyKpi.objects.get(provider=quiet).figures
    assert got["scheduled_visits"] == 0
    assert got["planned_hours"] == 0.0
    assert got["late_visit_rate"] is None
    assert got["missed_visit_rate"] is None
    assert got["ecm_verified_rate"] is None
    assert got["mean_carers_per_person"] is None
    assert got["people_supported"] == 0


def test_market_counts_people_once_and_sums_visits(package):
    other_provider = ProviderFactory(ref="P02")
    ContractFactory(provider=other_provider)
    shared = CarePackageFactory(provider=other_provider, person=package.person)
    visit(package, day(1), late=dt.timedelta(minutes=31))
    visit(shared, day(2), carers=("X1",))
    compute_month_kpis(OCT)
    total = market()
    assert total["people_supported"] == 1
    assert total["scheduled_visits"] == 2
    assert total["late_visits"] == 1
    assert total["mean_carers_per_person"] == 2.0
    lot = MonthlyKpi.objects.get(scope=KpiScope.LOT, lot=package.contract.lot)
    assert lot.figures["scheduled_visits"] == 1


def test_recompute_replaces_and_a_provider_run_leaves_others(package):
    visit(package, day(1))
    compute_month_kpis(OCT)
    first = MonthlyKpi.objects.get(provider=package.provider)
    visit(package, day(2))
    compute_month_kpis(OCT, "P01")
    compute_month_kpis(OCT, "P01")
    again = MonthlyKpi.objects.get(provider=package.provider)
    assert again.pk == first.pk
    assert again.figures["scheduled_visits"] == 2
    assert MonthlyKpi.objects.filter(scope=KpiScope.MARKET).count() == 1
    assert market()["scheduled_visits"] == 2


def test_contract_thresholds_beat_lot_thresholds_beat_defaults(package):
    lot = package.contract.lot
    set_thresholds(lot=lot, late_after_minutes=15, person_late_share=Decimal("0.5"))
    set_thresholds(contract=package.contract, late_after_minutes=45)
    other = CarePackageFactory(
        provider=package.provider, contract=ContractFactory(provider=package.provider, lot=lot)
    )
    visit(package, day(1), late=dt.timedelta(minutes=40))  # contract: 45, on time
    visit(other, day(2), late=dt.timedelta(minutes=20))  # lot: 15, late
    plain = CarePackageFactory(provider=ProviderFactory(ref="P02"))
    visit(plain, day(3), late=dt.timedelta(minutes=20))  # default: 30, on time
    compute_month_kpis(OCT)
    kpi = MonthlyKpi.objects.get(provider=package.provider)
    assert kpi.figures["late_visits"] == 1
    assert kpi.thresholds["by_contract"][package.contract.ref]["late_after_minutes"] == 45
    assert kpi.thresholds["by_contract"][other.contract.ref]["late_after_minutes"] == 15
    assert kpi.thresholds["person_level"]["person_late_share"] == 0.5
    assert market()["late_visits"] == 1
    assert MonthlyKpi.objects.get(provider=plain.provider).thresholds["person_level"] == {
        "late_after_minutes": 30,
        "missed_after_minutes": 60,
        "person_late_share": 0.1,
        "short_visit_ratio": 0.75,
        "min_carer_limit": 4,
        "visits_per_carer": 10,
        "review_due_days": 42,
        "time_critical_window_minutes": 30,
        "known_carer_days": 28,
    }


def test_a_package_without_a_contract_takes_its_providers_main_contract(package):
    set_thresholds(contract=package.contract, late_after_minutes=45, review_due_days=28)
    loose = CarePackageFactory(provider=package.provider, start_date=dt.date(2026, 9, 10))
    visit(loose, day(1), late=dt.timedelta(minutes=40))
    got = figures()
    assert got["late_visits"] == 0
    assert got["reviews_due"] == 1  # 10 September + 28 days


def test_set_thresholds_rejects_unknown_names_and_blank_scope(package):
    with pytest.raises(TypeError):
        set_thresholds(contract=package.contract, lateness=3)
    with pytest.raises(ValueError):
        set_thresholds(late_after_minutes=3)


def test_thresholds_form(package):
    from homecare.kpis.forms import KpiThresholdsForm
    from homecare.kpis.selectors import thresholds_for

    form = KpiThresholdsForm(
        {"late_after_minutes": "20", "missed_after_minutes": "10"},
        instance=thresholds_for(contract=package.contract),
    )
    assert not form.is_valid()
    form = KpiThresholdsForm(
        {"late_after_minutes": "20", "short_visit_ratio": "0.8"},
        instance=thresholds_for(contract=package.contract),
    )
    assert form.is_valid(), form.errors
    saved = form.save()
    assert saved.contract == package.contract and saved.missed_after_minutes is None


# --- the commands ---------------------------------------------------------------------


def export(month: str = OCT) -> dict:
    out = io.StringIO()
    call_command("export_kpis", "--month", month, stdout=out, stderr=io.StringIO())
    return json.loads(out.getvalue())


def test_the_worked_example_of_the_spec(package):
    package.person.lives_alone = True
    package.person.save()
    visit(package, day(1, 7), late=dt.timedelta(minutes=30), carers=("C1",))
    visit(package, day(1, 12), late=dt.timedelta(minutes=31), carers=("C2",))
    for n in range(2, 10):
        visit(package, day(n), carers=("C1",))
    call_command("compute_kpis", "--month", OCT, stdout=io.StringIO())
    exported = export()
    assert exported["month"] == OCT
    (p01,) = exported["providers"]
    assert p01["provider_ref"] == "P01"
    assert p01["delivered_visits"] == 10
    assert p01["late_visits"] == 1
    assert p01["people_late_over_10pct"] == 0
    assert p01["mean_carers_per_person"] == 2.0
    assert p01["people_over_carer_limit"] == 0
    assert list(p01) == ["provider_ref", *exported["market"]]
    assert exported["market"]["late_visit_rate"] == 0.1


def test_export_computes_a_month_never_computed(package):
    visit(package, day(1))
    assert export()["providers"][0]["scheduled_visits"] == 1


def test_compute_kpis_for_one_provider(package):
    from django.core.management.base import CommandError

    visit(package, day(1))
    call_command("compute_kpis", "--month", OCT, "--provider", "P01", stdout=io.StringIO())
    assert MonthlyKpi.objects.filter(scope=KpiScope.PROVIDER).count() == 1
    with pytest.raises(CommandError):
        call_command("compute_kpis", "--month", "2026-13", stdout=io.StringIO())
    with pytest.raises(CommandError):
        call_command("compute_kpis", "--month", OCT, "--provider", "NOPE")
