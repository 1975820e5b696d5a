"""Months stored before ratings were kept get one when the database migrates:
rated with the limits in force at that moment, as the pages showed them."""

from __future__ import annotations

import datetime as dt

import pytest


@pytest.mark.django_db(transaction=True)
def test_months_stored_before_ratings_were_kept_are_rated_on_migrating(migrator) -> None:
    old = migrator.apply_initial_migration(("dashboards", "0002_tables_named_after_app"))
    Provider = old.apps.get_model("providers", "Provider")
    MonthlyKpi = old.apps.get_model("kpis", "MonthlyKpi")
    RagThreshold = old.apps.get_model("dashboards", "RagThreshold")
    provider = Provider.objects.create(ref="PA", name="Alpha Home Care")
    computed = dt.datetime(2026, 11, 2, 2, 0, tzinfo=dt.UTC)
    for month, late in ((dt.date(2026, 9, 1), 0.04), (dt.date(2026, 10, 1), 0.08)):
        MonthlyKpi.objects.create(
            scope="provider",
            provider=provider,
            month=month,
            figures={"late_visit_rate": late, "missed_visit_rate": 0.0},
            computed_at=computed,
        )
    MonthlyKpi.objects.create(scope="market", month=dt.date(2026, 10, 1), computed_at=computed)
    RagThreshold.objects.create(measure="late_visit_rate", green_limit=3, red_limit=7)

    new = migrator.apply_tested_migration(("dashboards", "0003_rag_result"))
    RagResult = new.apps.get_model("dashboards", "RagResult")
    assert RagResult.objects.count() == 3
    september, october = (
        RagResult.objects.get(kpi__scope="provider", kpi__month=month).measures["late_visit_rate"]
        for month in (dt.date(2026, 9, 1), dt.date(2026, 10, 1))
    )
    assert (september["status"], september["green"], september["red"]) == ("amber", 3.0, 7.0)
    assert october["status"] == "red"
    assert october["reason"] == "Red because 8.0% is more than the red limit of 7.0%."
    market = RagResult.objects.get(kpi__scope="market")
    assert market.overall == "none"
    migrator.reset()
