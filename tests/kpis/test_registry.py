"""One registry names every KPI: the export's keys, the RAG measures, the
thresholds, and the labels the pages and packs print."""

from __future__ import annotations

import pytest
from django.test import Client

from common.months import Month
from homecare.dashboards import rag
from homecare.kpis.registry import EXPORTED, FIGURE_KEYS, KPIS, THRESHOLDS
from homecare.kpis.selectors import export_month
from homecare.kpis.services import compute_month_kpis
from homecare.kpis.thresholds import FIELDS
from tests.conftest import login
from tests.factories import CarePackageFactory, ContractFactory
from tests.kpi_factories import london, visit

SPEC_KEYS = [
    "scheduled_visits",
    "delivered_visits",
    "late_visits",
    "missed_visits",
    "late_visit_rate",
    "missed_visit_rate",
    "short_visits",
    "visits_under_30_min",
    "visits_15_min_or_less",
    "planned_hours",
    "delivered_hours",
    "ecm_verified_rate",
    "people_supported",
    "people_late_over_10pct",
    "people_late_over_10pct_living_alone",
    "people_late_over_10pct_lacking_capacity",
    "mean_carers_per_person",
    "people_over_carer_limit",
    "reviews_due",
    "reviews_on_time",
    "six_week_reviews_overdue",
    "annual_reviews_overdue",
    # Care standards (second edition), issue 15.
    "time_critical_visits",
    "time_critical_outside_window",
    "time_critical_outside_rate",
    "visits_under_30_min_delivered",
    "visits_under_30_min_known_carer",
    "visits_under_30_min_known_carer_rate",
    "missed_visits_living_alone",
    "missed_visits_lacking_capacity",
    "missed_visits_living_alone_lacking_capacity",
]


def test_every_export_key_has_a_label_unit_and_help() -> None:
    assert list(FIGURE_KEYS) == SPEC_KEYS
    for kpi in KPIS.values():
        assert kpi.label and kpi.help and kpi.unit, kpi.key
    labels = [kpi.label for kpi in KPIS.values()]
    assert len(set(labels)) == len(labels), "two KPIs share a label"
    assert all(kpi.exported for kpi in EXPORTED)


def test_rag_measures_and_thresholds_read_the_registry() -> None:
    for measure in rag.MEASURE_LIST:
        assert measure.kpi is KPIS[measure.key]
        assert measure.label == KPIS[measure.key].label
        assert measure.lower_is_better is KPIS[measure.key].lower_is_better
    assert tuple(THRESHOLDS) == FIELDS


def test_shares_are_worked_out_from_the_stored_figures() -> None:
    figures = {"people_late_over_10pct": 1, "people_supported": 8, "late_visit_rate": 0.1}
    assert KPIS["people_late_share"].value(figures) == 12.5
    assert KPIS["late_visit_rate"].value(figures) == 10.0
    assert KPIS["people_late_share"].value({"people_supported": 0}) is None


@pytest.mark.django_db
def test_export_and_pages_use_the_registrys_keys_and_labels(
    client: Client, commissioner, provider_a
) -> None:
    package = CarePackageFactory(provider=provider_a, contract=ContractFactory(provider=provider_a))
    visit(package, london(2026, 10, 5, 7, 0))
    compute_month_kpis("2026-10")
    exported = export_month(Month.parse("2026-10"))
    assert list(exported["market"]) == list(FIGURE_KEYS)
    login(client, commissioner)
    page = client.get("/providers/PA/dashboard/", {"month": "2026-10"}).content.decode()
    for key in FIGURE_KEYS:
        assert f'data-part="label">{KPIS[key].label}</dt>' in page, key
    thresholds = client.get("/kpi-thresholds/").content.decode()
    for threshold in THRESHOLDS.values():
        assert threshold.heading in thresholds
