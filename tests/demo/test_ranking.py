"""The demo shows a ranking: two cycles, every framework lot ranked."""

from __future__ import annotations

from io import StringIO
from pathlib import Path

import pytest
from django.core.management import call_command

from contracts.models import Lot
from homecare.demo.market import FRAMEWORK
from homecare.ranking.models import ProviderRank, RankingCycle


@pytest.mark.django_db
def test_the_demo_ranks_every_lot_twice(settings, tmp_path: Path) -> None:
    settings.CELERY_TASK_ALWAYS_EAGER = True  # the KPIs computed in-process, as `make run`
    out = StringIO()
    call_command(
        "seed_demo",
        *["--people", "40", "--seed", "7", "--end-month", "2026-10"],
        "--out",
        str(tmp_path / "demo"),
        stdout=out,
    )
    older, latest = RankingCycle.objects.order_by("as_of")
    assert (older.as_of.year, older.as_of.month) == (2026, 5)
    assert (latest.as_of.year, latest.as_of.month) == (2026, 11)
    lots = set(Lot.objects.filter(framework__name=FRAMEWORK).values_list("pk", flat=True))
    assert lots <= set(latest.ranks.values_list("lot_id", flat=True))
    ranks = ProviderRank.objects.filter(cycle=latest)
    # The KPI part has the demo's rated months to read, and each part is explained.
    assert ranks.filter(kpi__isnull=False).exists()
    assert all(set(r.notes) == {"kpi", "assessment", "cqc", "price"} for r in ranks)
