"""Submitting and reading the monthly return through the API."""

from __future__ import annotations

import pytest

from common.months import current_month
from homecare.returns.models import ProviderReturn, ReturnStatus
from homecare.returns.services import reopen_return
from tests.api.conftest import api
from tests.factories import ContractFactory, LotFactory

pytestmark = pytest.mark.django_db

ANSWERS = {
    "complaints_received": 4,
    "complaints_upheld": 1,
    "compliments": 9,
    "safeguarding_concerns": 2,
    "incidents": 3,
    "care_workers_headcount": 80,
    "care_workers_fte": "61.50",
    "starters": 5,
    "leavers": 4,
    "vacancies": 8,
    "agency_hours_share": "6.00",
    "lowest_hourly_pay": "12.80",
    "median_hourly_pay": "13.20",
    "zero_hours_share": "25.00",
    "travel_time_paid": True,
    "care_certificate_completions": 3,
}


def test_draft_then_submit_then_locked(provider_a, token_a, commissioner):
    lot = LotFactory(name="Lot 1")
    ContractFactory(provider=provider_a, lot=lot)
    month = current_month().previous().key
    client = api(token_a.secret)

    response = client.post("/api/v1/returns/", {"month": month, "compliments": 9}, format="json")
    assert response.status_code == 200
    assert response.json()["status"] == "draft" and response.json()["compliments"] == 9

    response = client.post("/api/v1/returns/", {"month": month, "submit": True}, format="json")
    assert response.status_code == 400
    assert "Complaints received" in response.json()["errors"]["submit"][0]

    bad = client.post(
        "/api/v1/returns/",
        {"month": month, "complaints_received": 1, "complaints_upheld": 2},
        format="json",
    )
    assert bad.status_code == 400
    assert bad.json()["errors"]["complaints_upheld"] == [
        "Complaints upheld cannot be more than complaints received"
    ]

    body = {
        "month": month,
        **ANSWERS,
        "capacity": [{"lot_id": lot.pk, "spare_hours_per_week": "40.0"}],
        "submit": True,
    }
    response = client.post("/api/v1/returns/", body, format="json")
    assert response.status_code == 200, response.json()
    data = response.json()
    assert data["status"] == "submitted"
    assert data["capacity"] == [{"lot_id": lot.pk, "lot": "Lot 1", "spare_hours_per_week": "40.0"}]
    assert client.get(f"/api/v1/returns/{data['id']}/").json()["lowest_hourly_pay"] == "12.80"

    assert (
        client.post(
            "/api/v1/returns/", {"month": month, "compliments": 1}, format="json"
        ).status_code
        == 409
    )
    ret = ProviderReturn.objects.get()
    assert ret.compliments == 9
    assert [e.via for e in ret.events.all()] == ["api"] * ret.events.count()

    reopen_return(provider_return=ret, user=commissioner, reason="Check pay")
    response = client.post(
        "/api/v1/returns/",
        {"month": month, "median_hourly_pay": "13.30", "submit": True},
        format="json",
    )
    assert response.status_code == 200
    ret.refresh_from_db()
    assert ret.status == ReturnStatus.SUBMITTED and str(ret.median_hourly_pay) == "13.30"


def test_a_lot_it_does_not_work_in_is_refused(token_a):
    other = LotFactory(name="Lot 9")
    response = api(token_a.secret).post(
        "/api/v1/returns/",
        {
            "month": current_month().previous().key,
            "capacity": [{"lot_id": other.pk, "spare_hours_per_week": 5}],
        },
        format="json",
    )
    assert response.status_code == 400
    assert not ProviderReturn.objects.exists()


def test_this_month_is_not_over(token_a):
    response = api(token_a.secret).post(
        "/api/v1/returns/", {"month": current_month().key}, format="json"
    )
    assert response.status_code == 400


def test_a_council_token_reads_but_cannot_submit(council_token):
    client = api(council_token.secret)
    assert client.get("/api/v1/returns/").status_code == 200
    month = current_month().previous().key
    assert client.post("/api/v1/returns/", {"month": month}, format="json").status_code == 403
