"""No one edits or deletes an audit row in the app, and an assessment's
events are never deleted (issue 10)."""

from __future__ import annotations

import pytest
from auditlog.models import LogEntry
from django.db.models import ProtectedError
from django.test import Client

from homecare.kpis.services import set_thresholds
from reviews.models import AssessmentEvent, EventsAreKept
from reviews.services import start_assessment
from tests.conftest import login
from tests.factories import LotFactory, UserFactory

pytestmark = pytest.mark.django_db


@pytest.fixture
def admin_client(client: Client) -> Client:
    return login(client, UserFactory(username="root", is_superuser=True, is_staff=True))


def test_the_audit_admin_is_read_only_even_for_a_superuser(admin_client: Client) -> None:
    set_thresholds(lot=LotFactory(), late_after_minutes=20)
    entry = LogEntry.objects.latest()
    change_url = f"/admin/auditlog/logentry/{entry.pk}/change/"
    page = admin_client.get(change_url)
    assert page.status_code == 200  # to read
    html = page.content.decode()
    assert 'name="_save"' not in html and "deletelink" not in html
    assert admin_client.get("/admin/auditlog/logentry/add/").status_code == 403
    assert admin_client.post(change_url, {"action": "0"}).status_code == 403
    assert admin_client.get(f"/admin/auditlog/logentry/{entry.pk}/delete/").status_code == 403
    # No bulk "delete selected" either.
    listing = admin_client.get("/admin/auditlog/logentry/").content.decode()
    assert "delete_selected" not in listing
    response = admin_client.post(
        "/admin/auditlog/logentry/",
        {"action": "delete_selected", "_selected_action": [entry.pk], "post": "yes"},
    )
    assert response.status_code in (200, 302, 403)
    assert LogEntry.objects.filter(pk=entry.pk).exists()


def test_an_assessments_events_cannot_be_deleted(
    admin_client: Client, quality_officer, provider_a, framework
) -> None:
    assessment = start_assessment(provider_a, framework, quality_officer, "routine")
    event = assessment.events.get()
    with pytest.raises(EventsAreKept):
        event.delete()
    with pytest.raises(EventsAreKept):
        AssessmentEvent.objects.filter(assessment=assessment).delete()
    with pytest.raises(ProtectedError):
        assessment.delete()  # its events would go with it
    # Nor in the admin: the assessment and its events have no delete.
    assert admin_client.get(f"/admin/reviews/assessment/{assessment.pk}/delete/").status_code == 403
    event_url = f"/admin/reviews/assessmentevent/{event.pk}/"
    assert admin_client.get(event_url + "change/").status_code == 200
    assert admin_client.get(event_url + "delete/").status_code == 403
    assert admin_client.post(event_url + "change/", {"action": "x"}).status_code == 403
    assert AssessmentEvent.objects.filter(pk=event.pk).exists()
