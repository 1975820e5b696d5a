"""Who looked at which person's visits, and when: written when a page shows
one person's visits, readable by admins only (UK GDPR accountability)."""

from __future__ import annotations

import pytest
from auditlog.models import LogEntry
from django.test import Client

from contracts.models import Person
from homecare.audit import selectors
from tests.conftest import login
from tests.dashboards.market_data import OCTOBER, build_market
from tests.factories import UserFactory

pytestmark = pytest.mark.django_db

URL = "/providers/PA/dashboard/"


def test_a_commissioner_opening_a_persons_visits_is_logged(
    client: Client, commissioner, settings
) -> None:
    build_market()
    login(client, commissioner)
    assert not LogEntry.objects.filter(action=LogEntry.Action.ACCESS).exists()
    response = client.get(URL, {"month": OCTOBER, "person": "R-ALONE"})
    assert response.status_code == 200
    assert response.context["visit_table"].paginator.count > 0
    person = Person.objects.get(ref="R-ALONE")
    [entry] = selectors.person_views(person)
    assert entry.actor == commissioner
    assert entry.object_repr == "R-ALONE"
    assert entry.remote_addr == "127.0.0.1"
    # Opened again (the visits now come from the cache): logged again.
    client.get(URL, {"month": OCTOBER, "person": "R-ALONE"})
    assert len(selectors.person_views(person)) == 2


def test_pages_without_one_person_log_nobody(client: Client, commissioner) -> None:
    build_market()
    login(client, commissioner)
    client.get(URL, {"month": OCTOBER})
    client.get(URL, {"month": OCTOBER, "person": "NOT-A-PERSON"})
    assert not LogEntry.objects.filter(action=LogEntry.Action.ACCESS).exists()


def test_admins_read_the_access_log_and_others_do_not(client: Client, commissioner) -> None:
    build_market()
    login(Client(), commissioner).get(URL, {"month": OCTOBER, "person": "R-ALONE"})
    entry = LogEntry.objects.get(action=LogEntry.Action.ACCESS)
    admin = UserFactory(username="root", is_superuser=True, is_staff=True)
    login(client, admin)
    listing = client.get("/admin/auditlog/logentry/", {"action__exact": LogEntry.Action.ACCESS})
    assert listing.status_code == 200
    assert "R-ALONE" in listing.content.decode()
    assert client.get(f"/admin/auditlog/logentry/{entry.pk}/change/").status_code == 200
    login(client, commissioner)
    assert client.get("/admin/auditlog/logentry/").status_code in (302, 403)


def test_an_audit_row_carries_the_requests_id(client: Client, commissioner) -> None:
    build_market()
    login(client, commissioner)
    response = client.get(URL, {"month": OCTOBER, "person": "R-ALONE"})
    entry = LogEntry.objects.get(action=LogEntry.Action.ACCESS)
    assert entry.cid and entry.cid == response["X-Request-ID"]
