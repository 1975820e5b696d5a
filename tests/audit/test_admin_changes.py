"""Contracts and care packages edited in the admin, and users' roles, leave
audit rows naming the administrator and the values before and after."""

from __future__ import annotations

import pytest
from auditlog.models import LogEntry
from django.contrib.auth.models import Group
from django.test import Client

from homecare.audit import presenters
from providers.access import COMMISSIONER
from tests.conftest import login
from tests.factories import ContractFactory, UserFactory

pytestmark = pytest.mark.django_db


@pytest.fixture
def admin_client(client: Client) -> Client:
    root = UserFactory(username="root", first_name="Ada", last_name="Admin")
    root.is_superuser = root.is_staff = True
    root.save()
    return login(client, root)


def test_a_contract_edited_in_the_admin_is_recorded(admin_client: Client) -> None:
    contract = ContractFactory(ref="CT-1", hourly_rate="21.50")
    response = admin_client.post(
        f"/admin/contracts/contract/{contract.pk}/change/",
        {
            "ref": "CT-1",
            "provider": contract.provider.pk,
            "lot": contract.lot.pk,
            "start_date": contract.start_date.isoformat(),
            "end_date": "",
            "hourly_rate": "22.75",
        },
    )
    assert response.status_code == 302, response.content.decode()[:2000]
    entry = LogEntry.objects.get_for_object(contract).filter(action=LogEntry.Action.UPDATE).get()
    assert entry.actor.username == "root"
    text = str(presenters.line(entry))
    assert text.startswith("Changed by Ada Admin on ")
    assert "Hourly rate (GBP) 21.50 → 22.75" in text


def test_a_role_given_in_the_admin_is_recorded(admin_client: Client) -> None:
    someone = UserFactory(username="newcomer")
    group, _ = Group.objects.get_or_create(name=COMMISSIONER)
    response = admin_client.post(
        f"/admin/auth/user/{someone.pk}/change/",
        {
            "username": "newcomer",
            "is_active": "on",
            "groups": [group.pk],
            "date_joined_0": "2026-01-01",
            "date_joined_1": "09:00:00",
        },
    )
    assert response.status_code == 302, response.content.decode()[:3000]
    lines = [str(presenters.line(e)) for e in LogEntry.objects.get_for_object(someone)]
    assert any(f"Groups: added {COMMISSIONER}" in line and "Ada Admin" in line for line in lines)


def test_a_password_change_is_recorded_without_the_hash() -> None:
    someone = UserFactory(username="changer")
    someone.set_password("a-new-long-password-2026")
    someone.save()
    entry = LogEntry.objects.get_for_object(someone).filter(action=LogEntry.Action.UPDATE).get()
    assert entry.changes_dict["password"] == ["(not shown)", "(not shown)"]
    assert "pbkdf2" not in str(entry.changes)
    assert str(presenters.line(entry)).endswith(": Password changed")
