"""Packs through a real Celery worker: computing a month's KPIs on the worker
queues its packs, which the worker builds into the media folder."""

from __future__ import annotations

import datetime as dt
import io

import pytest
from pypdf import PdfReader

from common.months import Month
from homecare.kpis.selectors import export_month
from homecare.packs.models import Pack, PackKind
from tests.factories import CarePackageFactory, ContractFactory, ProviderFactory
from tests.kpi_factories import london, visit
from tests.worker import celery_worker


@pytest.mark.django_db(transaction=True)
def test_worker_builds_the_packs_after_computing_kpis(tmp_path, settings, monkeypatch):
    # The worker is another process: its media folder comes from HOMECARE_VAR_DIR.
    monkeypatch.setenv("HOMECARE_VAR_DIR", str(tmp_path / "var"))
    settings.MEDIA_ROOT = tmp_path / "var" / "media"
    provider = ProviderFactory(ref="P01", name="Worker Test Care")
    package = CarePackageFactory(provider=provider, contract=ContractFactory(provider=provider))
    visit(package, london(2026, 10, 5, 7, 0), late=dt.timedelta(minutes=40))
    visit(package, london(2026, 10, 6, 7, 0))

    with celery_worker(tmp_path / "worker.log") as client:
        client.send_task("kpis.compute_month", args=["2026-10"]).get(timeout=60)
        # The solo worker runs tasks in order: compute_month's own build_packs runs
        # first, so this one finds every pack up to date.
        outcome = client.send_task("packs.build_packs", args=["2026-10"]).get(timeout=120)
    assert outcome["built"] == []
    assert sorted(outcome["unchanged"]) == ["P01", "market"]
    pack = Pack.objects.get(kind=PackKind.PROVIDER, provider=provider)
    assert pack.month == dt.date(2026, 10, 1)
    assert pack.sources["monthly_kpis"]  # the results it was built from
    with pack.file.open("rb") as handle:
        text = " ".join(p.extract_text() for p in PdfReader(io.BytesIO(handle.read())).pages)
    figures = export_month(Month.parse("2026-10"))["providers"][0]
    assert f"late_visit_rate {figures['late_visit_rate']}" in " ".join(text.split())
    assert Pack.objects.filter(kind=PackKind.MARKET).exists()
