"""The ranking's beat job: scheduled, and run by a real Celery worker."""

from __future__ import annotations

from decimal import Decimal

import pytest
from celery.schedules import crontab

from homecare.celery import app
from homecare.ranking.models import ProviderRank, RankingCycle
from tests.ranking.lot import AS_OF, three_provider_lot
from tests.worker import celery_worker


def test_beat_looks_every_night():
    entry = app.conf.beat_schedule["ranking-cycle"]
    assert entry["task"] == "ranking.run_if_due"
    assert entry["schedule"] == crontab(minute=0, hour=3)


@pytest.mark.django_db(transaction=True)
def test_the_cycle_job_through_a_real_worker(tmp_path):
    three_provider_lot()
    with celery_worker(tmp_path / "worker.log") as client:
        first = client.send_task("ranking.run_if_due", args=[AS_OF.isoformat()]).get(timeout=60)
        # The next night: not due, nothing computed.
        again = client.send_task("ranking.run_if_due", args=["2026-12-03"]).get(timeout=60)
    assert again is None
    cycle = RankingCycle.objects.get()
    assert first == cycle.pk and cycle.computed_by is None
    assert list(
        ProviderRank.objects.filter(cycle=cycle)
        .order_by("position")
        .values_list("provider__ref", "score")
    ) == [("RA", Decimal("81.50")), ("RC", Decimal("80.00")), ("RB", Decimal("80.00"))]
