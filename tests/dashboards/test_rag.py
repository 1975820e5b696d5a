"""RAG rules at their limits, and commissioners changing the limits."""

from __future__ import annotations

import pytest
from django.contrib.auth.models import User
from django.test import Client

from homecare.dashboards import rag
from homecare.dashboards.models import RagThreshold
from providers.access import COMMISSIONER
from tests.conftest import login
from tests.factories import UserFactory

pytestmark = pytest.mark.django_db


@pytest.mark.parametrize(
    ("value", "status"),
    [(5.0, rag.GREEN), (5.01, rag.AMBER), (10.0, rag.AMBER), (10.01, rag.RED), (None, rag.NO_DATA)],
)
def test_lower_is_better_at_its_limits(value: float | None, status: str) -> None:
    measure = rag.MEASURES["late_visit_rate"]
    assert rag.status_for(measure, value, rag.Limits(5, 10)) == status


@pytest.mark.parametrize(
    ("value", "status"),
    [(95.0, rag.GREEN), (94.99, rag.AMBER), (90.0, rag.AMBER), (89.99, rag.RED)],
)
def test_higher_is_better_at_its_limits(value: float, status: str) -> None:
    measure = rag.MEASURES["delivered_hours_share"]
    assert rag.status_for(measure, value, rag.Limits(95, 90)) == status


def test_stored_fractions_meet_limits_exactly() -> None:
    # 0.1 stored must compare as exactly 10%, not 10.000000000000002%.
    ratings = rag.rate({"late_visit_rate": 0.1}, rag.default_limits())
    assert ratings["late_visit_rate"].status == rag.AMBER
    ratings = rag.rate({"late_visit_rate": 0.05}, rag.default_limits())
    assert ratings["late_visit_rate"].status == rag.GREEN


def test_overall_is_the_worst_measure() -> None:
    ratings = rag.rate({"late_visit_rate": 0.0, "missed_visit_rate": 0.5}, rag.default_limits())
    assert rag.overall(ratings) == rag.RED


def test_commissioner_changes_limits(commissioner_client: Client) -> None:
    response = commissioner_client.post(
        "/rag-thresholds/late_visit_rate/", {"green_limit": "3", "red_limit": "8"}
    )
    assert response.status_code == 302
    assert rag.current_limits()["late_visit_rate"] == rag.Limits(3.0, 8.0)
    assert RagThreshold.objects.get().updated_by.username == "commissioner"


def test_limit_errors_are_shown_next_to_the_field(commissioner_client: Client) -> None:
    response = commissioner_client.post(
        "/rag-thresholds/late_visit_rate/", {"green_limit": "12", "red_limit": "8"}
    )
    html = response.content.decode()
    assert response.status_code == 200
    assert 'id="id_red_limit-error"' in html
    assert "Red limit must be the same as or more than the green limit" in html
    assert "govuk-error-summary" in html
    blank = commissioner_client.post("/rag-thresholds/late_visit_rate/", {"green_limit": "x"})
    assert "Green limit must be a number" in blank.content.decode()
    assert "Enter the red limit" in blank.content.decode()


def test_only_commissioners_change_limits(client: Client, quality_officer: User) -> None:
    login(client, quality_officer)
    assert client.get("/rag-thresholds/").status_code == 200
    assert client.get("/rag-thresholds/late_visit_rate/").status_code == 403
    assert client.post("/rag-thresholds/late_visit_rate/", {}).status_code == 403


def test_a_stale_change_of_limits_names_who_saved_first(commissioner_client: Client) -> None:
    url = "/rag-thresholds/late_visit_rate/"
    page = commissioner_client.get(url).content.decode()
    assert 'type="hidden" name="version" id="id_version" value="0"' in page
    other = Client()
    other.force_login(
        UserFactory(username="deputy", first_name="Dee", last_name="Puty", role=COMMISSIONER)
    )
    first = other.post(url, {"green_limit": "4", "red_limit": "9", "version": "0"})
    assert first.status_code == 302
    response = commissioner_client.post(url, {"green_limit": "3", "red_limit": "8", "version": "0"})
    text = response.content.decode()
    assert response.status_code == 200
    assert "This was changed by Dee Puty at " in text and "review and save again" in text
    assert 'value="3"' in text  # what this commissioner typed is still there
    saved = RagThreshold.objects.get(measure="late_visit_rate")
    assert (saved.green_limit, saved.red_limit, saved.version) == (4, 9, 1)
