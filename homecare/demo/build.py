"""The demo market: a made-up home care market the size of a large English city's.

It is written as the six data-exchange CSV files (shared/specs/data-exchange.md)
and then loaded through the same importer users use, so the demo exercises the
real path and its files can be opened, edited and re-imported by hand.

Everything is drawn from one `random.Random(seed)` in a fixed order, so the same
seed and reference month give byte-identical files. Nothing in it is real: the
providers, CQC IDs and people are invented, and people appear only as
pseudonymous refs with an outward postcode, as the service holds them.

This module runs the build; each part of the market is made by its own module:
market.py (framework, lots, providers, contracts), people.py (people, care
packages, care teams), quality.py (package reviews, an assessment), ecm.py
(visits), users.py (the demo log-ins), returns.py (monthly returns).
"""

from __future__ import annotations

import logging
import random
import time
from pathlib import Path

from django.db import transaction

from homecare.demo import alerts as demo_alerts
from homecare.demo import ecm, improvement, market, market_oversight, quality, ranking
from homecare.demo import payments as demo_payments
from homecare.demo.files import FILE_ORDER, DemoCounts
from homecare.demo.people import (
    DEFAULT_PEOPLE,
    plan_people,
    staff_providers,
    write_packages,
    write_people,
)
from homecare.demo.period import MONTHS_OF_VISITS, default_end_month, demo_now, visit_period
from homecare.demo.returns import seed_demo_returns
from homecare.demo.users import ensure_demo_users
from homecare.imports import services as imports
from homecare.kpis.tasks import compute_month
from visits.models import ImportOutcome, ImportRecord

logger = logging.getLogger(__name__)

DEFAULT_SEED = 2026


class DemoImportRejected(Exception):
    """A demo file failed to import: the generator and importer disagree."""

    def __init__(self, record: ImportRecord):
        super().__init__(
            f"The demo {record.kind} file was rejected ({record.summary}):\n{record.error_report}"
        )
        self.record = record


def generate(
    directory: Path,
    *,
    people: int = DEFAULT_PEOPLE,
    seed: int = DEFAULT_SEED,
    end_month: tuple[int, int] | None = None,
    months: int = MONTHS_OF_VISITS,
) -> DemoCounts:
    """Write the six CSV files of the demo market into `directory`."""
    if people < 1:
        raise ValueError("the demo market needs at least one person")
    began = time.monotonic()
    first_day, last_day = visit_period(end_month or default_end_month(), months)
    directory.mkdir(parents=True, exist_ok=True)
    # The order of these calls is the order of the draws: changing it changes the market.
    rng = random.Random(seed)
    framework, spot = market.plan_providers(rng, people, first_day)
    providers = framework + spot
    persons = plan_people(rng, people, framework, spot, first_day, last_day)
    staff_providers(rng, providers, persons)
    counts = DemoCounts(first_day=first_day, last_day=last_day)
    market.write_providers(directory, providers, counts)
    market.write_contracts(directory, rng, providers, first_day, counts)
    write_people(directory, persons, counts)
    write_packages(directory, persons, counts)
    quality.write_reviews(directory, rng, persons, first_day, last_day, counts)
    ecm.write_visits(directory, rng, persons, first_day, last_day, counts)
    counts.care_workers = sum(len(p.carers) for p in providers)
    counts.generate_seconds = time.monotonic() - began
    return counts


def load(directory: Path) -> list[ImportRecord]:
    """Import the demo files in dependency order through the users' importer;
    DemoImportRejected (with the error report) if any file is refused."""
    records = []
    for kind in FILE_ORDER:
        record = imports.import_path(kind, directory / f"{kind}.csv", recompute_kpis=False)
        if record.outcome != ImportOutcome.SUCCEEDED:
            raise DemoImportRejected(record)
        records.append(record)
    return records


def build(
    directory: Path,
    *,
    people: int = DEFAULT_PEOPLE,
    seed: int = DEFAULT_SEED,
    end_month: tuple[int, int] | None = None,
    months: int = MONTHS_OF_VISITS,
) -> DemoCounts:
    """Generate the demo market, load it and compute its monthly KPIs. The load
    is one transaction, so a failure leaves an empty database that
    `seed_demo --if-empty` will fill next time."""
    counts = generate(directory, people=people, seed=seed, end_month=end_month, months=months)
    began = time.monotonic()
    # Each month is computed once after the load, not once per file.
    with transaction.atomic():
        records = load(directory)
        demo_payments.add_payments(directory, counts.first_day, counts.last_day, seed)
        ensure_demo_users()
        quality.seed_quality(end_month or default_end_month())
        seed_demo_returns(end_month or default_end_month())
        market_oversight.seed(directory, now=demo_now(end_month))
        improvement.seed_improvement(end_month or default_end_month())
    counts.import_seconds = time.monotonic() - began
    began = time.monotonic()
    counts.kpi_months = _compute_kpis(records)
    counts.kpi_seconds = time.monotonic() - began
    ranking.seed(demo_now(end_month))
    demo_alerts.raise_demo_alerts(end_month)
    return counts


def _compute_kpis(records: list[ImportRecord]) -> list[str]:
    """Compute each month the demo's visits fall in."""
    months = {month for record in records for month in record.months_touched}
    for month in sorted(months):
        try:
            compute_month.delay(month, None)
        except Exception:
            # The market is loaded; `compute_kpis --month` can bring a month up to date.
            logger.exception("Could not compute the demo KPIs of %s", month)
    return sorted(months)
