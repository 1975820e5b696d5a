"""The monthly KPIs, each definition of kpi-definitions.md at its boundaries."""

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
    PackageReviewFactory,
    PersonFactory,
    ProviderFactory,
)
from tests.kpi_factories import import_visits_csv, london, visit

pytestmark = pytest.mark.django_db

OCT = "2026-10"
MORNING = london(2026, 10, 5, 7, 0)


def day(n: int, hour: int = 7) -> dt.datetime:
    return london(2026, 10, n, hour, 0)


def figures(provider_ref: str = "P01", month: str = OCT) -> dict:
    compute_month_kpis(month)
    kpi = MonthlyKpi.objects.get(
        scope=KpiScope.PROVIDER, provider__ref=provider_ref, month=f"{month}-01"
    )
    return kpi.figures


def market(month: str = OCT) -> dict:
    return MonthlyKpi.objects.get(scope=KpiScope.MARKET, month=f"{month}-01").figures


@pytest.fixture
def package():
    provider = ProviderFactory(ref="P01")
    contract = ContractFactory(provider=provider)
    return CarePackageFactory(provider=provider, contract=contract)


# --- timeliness ---------------------------------------------------------------------


def test_exactly_30_minutes_late_is_on_time_and_a_second_more_is_late(package):
    visit(package, day(1), late=dt.timedelta(minutes=30))
    visit(package, day(2), late=dt.timedelta(minutes=30, seconds=1))
    got = figures()
    assert got["delivered_visits"] == 2
    assert got["late_visits"] == 1
    assert got["late_visit_rate"] == 0.5
    assert got["missed_visits"] == 0


def test_over_an_hour_late_is_both_late_and_missed(package):
    visit(package, day(1), late=dt.timedelta(minutes=60))
    visit(package, day(2), late=dt.timedelta(minutes=60, seconds=1))
    got = figures()
    assert got["late_visits"] == 2
    assert got["missed_visits"] == 1
    assert got["missed_visit_rate"] == 0.5


def test_cancelled_counts_nowhere_and_missed_counts_as_scheduled(package):
    visit(package, day(1))
    visit(package, day(2), status="missed")
    visit(package, day(3), status="cancelled", minutes=120)
    got = figures()
    assert got["scheduled_visits"] == 2
    assert got["delivered_visits"] == 1
    assert got["missed_visits"] == 1
    assert got["missed_visit_rate"] == 0.5
    assert got["late_visit_rate"] == 0.0
    assert got["planned_hours"] == 1.0
    assert got["delivered_hours"] == 0.5
    assert got["people_supported"] == 1


def test_rates_round_to_four_places(package):
    for n in range(1, 4):
        visit(package, day(n), late=dt.timedelta(minutes=45) if n == 1 else dt.timedelta(0))
    got = figures()
    assert got["late_visit_rate"] == 0.3333
    assert got["ecm_verified_rate"] == 1.0


def test_exactly_ten_percent_late_is_not_over_and_just_over_is(package):
    for n in range(1, 11):  # 1 late of 10
        visit(package, day(n), late=dt.timedelta(minutes=31) if n == 1 else dt.timedelta(0))
    other = CarePackageFactory(
        provider=package.provider,
        contract=package.contract,
        person=PersonFactory(lives_alone=True, lacks_capacity=True),
    )
    for n in range(1, 10):  # 1 late of 9
        visit(other, day(n, 9), late=dt.timedelta(minutes=31) if n == 1 else dt.timedelta(0))
    got = figures()
    assert got["people_late_over_10pct"] == 1
    assert got["people_late_over_10pct_living_alone"] == 1
    assert got["people_late_over_10pct_lacking_capacity"] == 1
    details = MonthlyKpi.objects.get(provider=package.provider).details
    assert details["people_late_over_10pct"] == [
        {
            "person_id": other.person_id,
            "person_ref": other.person.ref,
            "late_visits": 1,
            "delivered_visits": 9,
            "late_share": 0.1111,
            "lives_alone": True,
            "lacks_capacity": True,
        }
    ]


def test_missed_visits_do_not_count_towards_a_persons_late_share(package):
    visit(package, day(1), late=dt.timedelta(minutes=31))
    for n in range(2, 11):
        visit(package, day(n))
    visit(package, day(11), status="missed")
    assert figures()["people_late_over_10pct"] == 0


def test_a_visit_at_2330_on_the_last_day_belongs_to_that_month(package):
    visit(package, london(2026, 10, 31, 23, 30), minutes=60)  # ends in November
    visit(package, london(2026, 11, 1, 0, 15))
    assert figures()["scheduled_visits"] == 1
    assert figures(month="2026-11")["scheduled_visits"] == 1


def test_a_visit_just_after_midnight_bst_belongs_to_the_local_month(package):
    # 00:30 BST on 1 October is 23:30 UTC on 30 September.
    visit(package, london(2026, 10, 1, 0, 30))
    assert figures()["scheduled_visits"] == 1
    assert figures(month="2026-09")["scheduled_visits"] == 0


# --- the nights the clocks change, through the real import -----------------------------

VISITS_HEADER = (
    "visit_id,package_ref,carer_ref,planned_start,planned_end,actual_start,actual_end,"
    "status,verification\n"
)


def test_the_repeated_hour_when_the_clocks_go_back(package):
    ref = package.ref
    import_visits_csv(
        VISITS_HEADER
        # 01:30 naive is the first (BST) 01:30, 00:30 UTC; the carer arrived at
        # 01:10 GMT, 40 real minutes later: late, though the wall clock says early.
        + f"A1,{ref},C1,2026-10-25T01:30:00,2026-10-25T01:50:00,"
        "2026-10-25T01:10:00+00:00,2026-10-25T01:30:00+00:00,completed,ecm\n"
        # 00:45 BST to 02:15 GMT spans the change: 2.5 hours really, 1.5 on the clock.
         + f"A2,{ref},C1,2026-10-25T00:45:00,2026-10-25T02:15:00,"
        "2026-10-25T00:45:00,2026-10-25T02:15:00,completed,ecm\n"
    )
    got = figures()
    assert got["late_visits"] == 1
    assert got["missed_visits"] == 0
    assert got["planned_hours"] == round((20 + 150) / 60, 2)
    assert got["delivered_hours"] == round((20 + 150) / 60, 2)
    assert got["short_visits"] == 0


def test_the_night_the_clocks_go_forward(package):
    ref = package.ref
    import_visits_csv(
        VISITS_HEADER
        # 00:30 GMT to 03:30 BST is two real hours.
        + f"F1,{ref},C1,2026-03-29T00:30:00,2026-03-29T03:30:00,"
        "2026-03-29T00:30:00,2026-03-29T03:00:00,completed,ecm\n"
    )
    got = figures(month="2026-03")
    assert got["planned_hours"] == 2.0
    assert got["delivered_hours"] == 1.5
    assert got["short_visits"] == 0  # 1.5 of 2 hours is exactly 0.75


def test_a_double_handed_visit_starts_when_the_last_carer_arrives(package):
    ref = package.ref
    import_visits_csv(
        VISITS_HEADER + f"D1,{ref},C1,2026-10-05T07:00:00,2026-10-05T08:00:00,"
        "2026-10-05T07:00:00,2026-10-05T08:00:00,completed,ecm\n"
        + f"D1,{ref},C2,2026-10-05T07:00:00,2026-10-05T08:00:00,"
        "2026-10-05T07:31:00,2026-10-05T08:01:00,completed,manual\n"
    )
    got = figures()
    assert got["delivered_visits"] == 1
    assert got["late_visits"] == 1
    assert got["mean_carers_per_person"] == 2.0
    assert got["ecm_verified_rate"] == 0.0
    assert got["delivered_hours"] == 0.5  # 07:31 to 08:01


# --- duration -------------------------------------------------------------------------


def test_short_visit_boundary(package):
    visit(package, day(1), minutes=40, actual_minutes=30)  # exactly 0.75: not short
    visit(package, day(2), minutes=40, actual_minutes=29.99)
    visit(package, day(3), status="missed", minutes=40)
    assert figures()["short_visits"] == 1


def test_visits_under_30_and_of_15_minutes_or_less(package):
    visit(package, day(1), minutes=30)
    visit(package, day(2), minutes=29)
    visit(package, day(3), minutes=15)
    visit(package, day(4), minutes=14, status="missed")
    visit(package, day(5), minutes=10, status="cancelled")
    got = figures()
    assert got["visits_under_30_min"] == 3
    assert got["visits_15_min_or_less"] == 2


def test_ecm_verified_rate_is_of_delivered_visits(package):
    visit(package, day(1))
    visit(package, day(2), ecm=False)
    visit(package, day(3), ecm=False)
    visit(package, day(4), status="missed")
    assert figures()["ecm_verified_rate"] == 0.3333


# --- continuity -----------------------------------------------------------------------


def test_carer_limit_grows_with_visits(package):
    # 10 visits, 5 carers: limit max(4, 1) = 4, over.
    for n in range(1, 11):
        visit(package, day(n), carers=(f"C{n % 5}",))
    # 41 visits, 5 carers: limit max(4, ceil(4.1)) = 5, not over.
    second = CarePackageFactory(provider=package.provider, contract=package.contract)
    for n in range(41):
        visit(second, london(2026, 10, 1 + n % 28, 8 + n // 28), carers=(f"C{n % 5}",))
    # 41 visits, 6 carers: over.
    third = CarePackageFactory(provider=package.provider, contract=package.contract)
    for n in range(41):
        visit(third, london(2026, 10, 1 + n % 28, 12 + n // 28), carers=(f"C{n % 6}",))
    got = figures()
    assert got["people_over_carer_limit"] == 2
    assert got["mean_carers_per_person"] == round((5 + 5 + 6) / 3, 2)
    listed = MonthlyKpi.objects.get(provider=package.provider).details["people_over_carer_limit"]
    assert sorted((p["carers"], p["limit"]) for p in listed) == [(5, 4), (6, 5)]


def test_carers_of_missed_visits_do_not_count(package):
    visit(package, day(1), carers=("C1",))
    visit(package, day(2), status="missed")
    assert figures()["mean_carers_per_person"] == 1.0


# --- reviews --------------------------------------------------------------------------


@pytest.fixture
def provider():
    provider = ProviderFactory(ref="P01")
    ContractFactory(provider=provider)
    return provider


def reviewed(provider, start: dt.date, *reviews: dt.date, end: dt.date | None = None):
    made = CarePackageFactory(provider=provider, start_date=start, end_date=end)
    for when in reviews:
        PackageReviewFactory(package=made, review_date=when)
    return made


def test_six_week_review_on_the_due_date_is_on_time_a_day_late_is_not(provider):
    start = dt.date(2026, 9, 1)  # due 13 October
    reviewed(provider, start, dt.date(2026, 10, 13))
    reviewed(provider, start, dt.date(2026, 10, 14))
    reviewed(provider, start, dt.date(2026, 8, 31))  # before the package: does not count
    reviewed(provider, start)
    reviewed(provider, start, end=dt.date(2026, 10, 12))  # ended before it was due
    got = figures()
    assert got["reviews_due"] == 4
    assert got["reviews_on_time"] == 1
    # At month end: the one reviewed on the 14th is no longer overdue.
    assert got["six_week_reviews_overdue"] == 2
    details = MonthlyKpi.objects.get(provider=provider).details
    assert [row["reviewed_on_time"] for row in details["reviews_due"]] == [
        True,
        False,
        False,
        False,
    ]
    assert {row["due_date"] for row in details["reviews_due"]} == {"2026-10-13"}


def test_review_due_on_the_first_and_last_day_of_the_month(provider):
    reviewed(provider, dt.date(2026, 10, 1) - dt.timedelta(days=42))
    reviewed(provider, dt.date(2026, 10, 31) - dt.timedelta(days=42))
    reviewed(provider, dt.date(2026, 11, 1) - dt.timedelta(days=42))
    got = figures()
    assert got["reviews_due"] == 2
    assert got["six_week_reviews_overdue"] == 2  # due on or before 31 October


def test_six_week_overdue_only_for_packages_active_at_month_end(provider):
    reviewed(provider, dt.date(2026, 6, 1), end=dt.date(2026, 10, 31))  # ends that day
    reviewed(provider, dt.date(2026, 6, 1), end=dt.date(2026, 11, 1))
    reviewed(provider, dt.date(2026, 11, 1))  # not started
    assert figures()["six_week_reviews_overdue"] == 1


def test_annual_review_365_days_is_not_overdue_366_is(provider):
    month_end = dt.date(2026, 10, 31)
    start = dt.date(2025, 1, 1)
    reviewed(provider, start, month_end - dt.timedelta(days=365))
    late = reviewed(provider, start, month_end - dt.timedelta(days=366))
    reviewed(provider, start, month_end - dt.timedelta(days=400), dt.date(2026, 3, 1))
    reviewed(provider, start, dt.date(2026, 11, 2))  # after month end: not counted
    got = figures()
    assert got["annual_reviews_overdue"] == 1
    listed = MonthlyKpi.objects.get(provider=provider).details["annual_reviews_overdue"]
    assert listed == [
        {
            "package_id": late.pk,
            "package_ref": late.ref,
            "person_ref": late.person.ref,
            "last_review_date": (month_end - dt.timedelta(days=366)).isoformat(),
        }
    ]
    assert got["six_week_reviews_overdue"] == 1  # the one whose only review is after it


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
