"""A small but complete market for the page walk: the demo market (its own
importer, so imports have records), a few people only, every month's KPIs
computed, a published assessment with an action plan, package reviews,
monthly packs, a rejected import with its line-numbered report and an import
still queued, so every kind of page has something to show."""

from __future__ import annotations

from pathlib import Path

from django.db import transaction

from common.months import Month
from homecare.alerts.services import raise_alerts
from homecare.demo import build as demo
from homecare.demo import improvement, quality
from homecare.demo import ranking as demo_ranking
from homecare.demo.period import demo_now
from homecare.demo.users import demo_provider, ensure_demo_users
from homecare.imports.services import import_path
from homecare.kpis.services import compute_month_kpis
from homecare.packs.services import build_market_pack, build_provider_pack
from visits.models import ImportKind, ImportOutcome, ImportRecord

END_MONTH = (2026, 10)
PEOPLE = 24
SEED = 7


def build_market(directory: Path) -> None:
    demo.generate(directory, people=PEOPLE, seed=SEED, end_month=END_MONTH)
    with transaction.atomic():
        records = demo.load(directory)
        ensure_demo_users()
        quality.seed_quality(END_MONTH)
        improvement.seed_improvement(END_MONTH)
    months = sorted({month for record in records for month in record.months_touched})
    for month in months:
        compute_month_kpis(month)
    demo_ranking.seed(demo_now(END_MONTH))
    last = Month.parse(months[-1])
    build_market_pack(last)
    provider = demo_provider()
    assert provider is not None
    build_provider_pack(provider, last)
    # A rejected file: its page lists the problems by line, with a download.
    bad = directory / "bad-providers.csv"
    bad.write_text("provider_ref,name,cqc_rating\n,No ref,Good\nPZ,Zed,Brilliant\n")
    rejected = import_path(ImportKind.PROVIDERS, bad, recompute_kpis=False)
    assert rejected.outcome == ImportOutcome.REJECTED, rejected.summary
    ImportRecord.objects.create(kind=ImportKind.VISITS, file_name="waiting.csv")
    raise_alerts()  # the alerts page and its filter have alerts to show
