"""A month's KPIs fanned out per provider, then rolled up from the providers'
stored shares, store exactly what the single-process path stores: every
figure, list and threshold of every provider, lot and the market."""

from __future__ import annotations

import datetime as dt
import json
from io import StringIO
from pathlib import Path
from unittest import mock

import pytest
from django.core.management import call_command

from common.months import Month
from contracts.models import Lot
from homecare.dashboards import tasks as dashboard_tasks
from homecare.kpis.engine import ThresholdPlan
from homecare.kpis.models import KpiScope, MonthlyKpi
from homecare.kpis.services import compute_month_kpis, set_thresholds
from homecare.scale import tasks
from homecare.scale.models import ProviderMonthPart
from homecare.scale.services import compute_month_spread_here
from tests.factories import (
    CarePackageFactory,
    ContractFactory,
    LotFactory,
    PackageReviewFactory,
    PersonFactory,
    ProviderFactory,
)
from tests.kpi_factories import london, visit
from tests.worker import celery_worker

OCT = "2026-10"


def stored(month: str) -> list[tuple]:
    """Every stored result of the month, as plain values."""
    return sorted(
        (
            kpi.scope,
            kpi.provider.ref if kpi.provider else "",
            kpi.lot.name if kpi.lot else "",
            json.dumps(kpi.figures, sort_keys=True),
            json.dumps(kpi.details, sort_keys=True),
            json.dumps(kpi.thresholds, sort_keys=True),
        )
        for kpi in MonthlyKpi.objects.filter(month=f"{month}-01").select_related("provider", "lot")
    )


def a_market() -> None:
    """Three providers over two lots: a person served by two providers, and by
    one provider under two lots (its care workers counted once), late, missed,
    short, cancelled and double-handed visits, thresholds set on a lot and on a
    contract, reviews due and overdue, a provider with nothing this month."""
    north, south = LotFactory(name="Lot 1 - North"), LotFactory(name="Lot 2 - South")
    alpha, beta = ProviderFactory(ref="PA"), ProviderFactory(ref="PB")
    ContractFactory(provider=ProviderFactory(ref="PC"), lot=south)  # no visits
    alpha_north = ContractFactory(provider=alpha, lot=north)
    alpha_south = ContractFactory(provider=alpha, lot=south)
    beta_north = ContractFactory(provider=beta, lot=north)
    set_thresholds(lot=north, late_after_minutes=10)
    set_thresholds(contract=alpha_south, late_after_minutes=20, short_visit_ratio="0.9")
    # Care standards (issue 15): a window and a look-back of their own.
    set_thresholds(contract=beta_north, time_critical_window_minutes=15, known_carer_days=2)
    shared = PersonFactory(lives_alone=True)
    alone = PersonFactory(lacks_capacity=True, lives_alone=True)
    packages = [
        CarePackageFactory(provider=alpha, contract=alpha_north, person=shared,
                           start_date=dt.date(2026, 9, 1)),
        CarePackageFactory(provider=alpha, contract=alpha_south, person=shared),
        CarePackageFactory(provider=beta, contract=beta_north, person=shared),
        CarePackageFactory(provider=beta, contract=beta_north, person=alone,
                           start_date=dt.date(2026, 9, 10), time_critical=True),
        CarePackageFactory(provider=alpha, contract=None, person=alone),
    ]  # fmt: skip
    PackageReviewFactory(package=packages[0], review_date=dt.date(2026, 10, 9))
    for n, package in enumerate(packages):
        for day in range(1, 29, 3):
            start = london(2026, 10, day, 7 + n, 0)
            visit(package, start, late=dt.timedelta(minutes=(day * 7 + n * 5) % 45),
                  actual_minutes=30 - day % 9, carers=("C1", f"C{day % 4 + 2}")[: 1 + day % 2],
                  ecm=day % 5 != 0, minutes=20 if day % 2 else 30,
                  time_critical=day % 4 == 1)  # fmt: skip
        # Time-critical and early, and short: C1 is known from September (the
        # look-back reads the month before) but for beta's 2-day look-back.
        visit(package, london(2026, 10, 2, 6, 0), late=dt.timedelta(minutes=-20), minutes=20,
              time_critical=True, carers=("C1",))  # fmt: skip
        visit(package, london(2026, 9, 25, 6, 0), carers=("C1",))
        visit(package, london(2026, 10, 29, 9, 0), status="missed")
        visit(package, london(2026, 10, 30, 9, 0), status="cancelled")
        visit(package, london(2026, 10, 31, 21, 0), minutes=15, carers=("C9",))


def compare_paths(month: str) -> list[tuple]:
    compute_month_kpis(month)
    single = stored(month)
    MonthlyKpi.objects.filter(month=f"{month}-01").delete()
    compute_month_spread_here(month)
    assert stored(month) == single
    return single


@pytest.mark.django_db
def test_fanned_out_and_single_process_paths_store_the_same_figures() -> None:
    a_market()
    single = compare_paths(OCT)
    scopes = [row[0] for row in single]
    assert scopes.count(KpiScope.PROVIDER) == 3 and scopes.count(KpiScope.LOT) == 2
    market = MonthlyKpi.objects.get(scope=KpiScope.MARKET).figures
    # Ten visits in the month, one missed, one cancelled (not scheduled), one short.
    assert market["scheduled_visits"] == 5 * 13
    assert 0 < market["time_critical_outside_window"] < market["time_critical_visits"]
    assert 0 < market["visits_under_30_min_known_carer"] < market["visits_under_30_min_delivered"]
    assert market["missed_visits_living_alone_lacking_capacity"] == 2
    assert market["late_visits"] > 0 and market["people_supported"] == 2
    # Each provider's share is stored once, and the roll-up reads only those.
    assert ProviderMonthPart.objects.count() == 3


@pytest.mark.django_db
def test_the_demo_market_gives_the_same_figures_on_both_paths(tmp_path: Path) -> None:
    call_command(
        "seed_demo", "--people", "40", "--seed", "7", "--end-month", OCT,
        "--out", str(tmp_path / "demo"), stdout=StringIO(),
    )  # fmt: skip
    for month in ("2026-08", "2026-09", OCT):
        single = compare_paths(month)
        assert len(single) > 3


@pytest.mark.django_db(transaction=True)
def test_the_month_fans_out_through_a_real_worker(tmp_path: Path) -> None:
    a_market()
    compute_month_kpis(OCT)
    single = stored(OCT)
    MonthlyKpi.objects.all().delete()
    with celery_worker(tmp_path / "worker.log") as client:
        queued = client.send_task("scale.compute_month", args=[OCT]).get(timeout=60)
        assert queued["providers"] == ["PA", "PB", "PC"]
        client.AsyncResult(queued["roll_up"]).get(timeout=120)
    assert stored(OCT) == single


@pytest.mark.django_db
def test_the_month_plan_travels_to_the_tasks_unchanged() -> None:
    """The fan-out reads the thresholds once and sends them with each task as
    JSON: what a task rebuilds applies the same thresholds everywhere."""
    a_market()
    month = Month.parse(OCT)
    plan = ThresholdPlan.for_month(month)
    sent = ThresholdPlan.from_data(json.loads(json.dumps(plan.as_data())))
    assert sent.by_contract == plan.by_contract and sent.main_contract == plan.main_contract
    assert sent.contract_refs == plan.contract_refs
    for lot in Lot.objects.all():
        assert sent.for_lot(lot.pk) == plan.for_lot(lot.pk)
    north = Lot.objects.get(name="Lot 1 - North")
    assert sent.for_lot(north.pk).late_after_minutes == 10
    assert {t.short_visit_ratio for t in sent.by_contract.values()} == {0.75, 0.9}


def test_the_fan_out_queues_one_task_per_provider_then_the_roll_up() -> None:
    assert tasks.provider_part.name == "scale.provider_part"
    assert tasks.roll_up.max_retries == 5


def test_a_fanned_out_month_queues_its_money_figures_with_its_packs(settings) -> None:
    # The roll-up queues the packs itself rather than send month_computed, so
    # it must queue the market's money figures itself too.
    settings.PACKS_BUILD_AFTER_KPIS = True
    settings.MONEY_WARM_AFTER_KPIS = True
    with (
        mock.patch.object(tasks, "chord") as chord,
        mock.patch.object(dashboard_tasks.warm_money, "delay") as warm,
    ):
        tasks.queue_packs("2026-10", ["PA", "PB"])
    chord.assert_called_once()
    warm.assert_called_once_with("2026-10")
