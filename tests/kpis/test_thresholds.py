"""Commissioners set KPI thresholds per lot and per contract in the app."""

from __future__ import annotations

import pytest
from django.urls import reverse

from homecare.kpis.models import KpiThresholds
from tests.factories import ContractFactory, LotFactory

pytestmark = pytest.mark.django_db


def test_a_commissioner_sets_a_lots_late_threshold(client, commissioner, settings):
    settings.CELERY_TASK_ALWAYS_EAGER = True
    lot = LotFactory(name="Lot 1 - North")
    client.force_login(commissioner)
    url = reverse("lot-thresholds", args=[lot.pk])
    page = client.get(url)
    assert "Leave blank to use the default: 30." in page.content.decode()
    response = client.post(url, {"late_after_minutes": "20", "missed_after_minutes": "45"})
    assert response.status_code == 302
    row = KpiThresholds.objects.get(lot=lot)
    assert (row.late_after_minutes, row.missed_after_minutes, row.review_due_days) == (20, 45, None)
    listing = client.get(reverse("kpi-thresholds")).content.decode()
    assert "Lot 1 - North" in listing
    assert "<strong>20</strong>" in listing


def test_a_contract_inherits_its_lots_values_and_says_so(client, commissioner):
    contract = ContractFactory(ref="C-9")
    KpiThresholds.objects.create(lot=contract.lot, late_after_minutes=20)
    client.force_login(commissioner)
    page = client.get(reverse("contract-thresholds", args=["C-9"])).content.decode()
    assert "Leave blank to use the lot&#x27;s value or the default: 20." in page


def test_bad_values_are_named_next_to_their_fields_and_nothing_is_saved(client, commissioner):
    lot = LotFactory()
    client.force_login(commissioner)
    response = client.post(
        reverse("lot-thresholds", args=[lot.pk]),
        {"late_after_minutes": "40", "missed_after_minutes": "30", "person_late_share": "2"},
    )
    page = response.content.decode()
    assert response.status_code == 200
    assert "There is a problem" in page
    assert "Missed after must be at least the late threshold (40 minutes)" in page
    assert 'id="id_person_late_share-error"' in page
    assert not KpiThresholds.objects.exists()


def test_only_commissioners_change_thresholds(client, quality_officer, provider_a_user):
    lot = LotFactory()
    client.force_login(quality_officer)
    assert client.get(reverse("kpi-thresholds")).status_code == 200
    assert client.get(reverse("lot-thresholds", args=[lot.pk])).status_code == 403
    client.force_login(provider_a_user)
    assert client.get(reverse("kpi-thresholds")).status_code == 403


def test_the_thresholds_page_runs_a_bounded_number_of_queries(
    client, commissioner, django_assert_max_num_queries
):
    for _ in range(10):
        contract = ContractFactory()
        KpiThresholds.objects.create(contract=contract, late_after_minutes=25)
    client.force_login(commissioner)
    with django_assert_max_num_queries(10):
        client.get(reverse("kpi-thresholds"))
