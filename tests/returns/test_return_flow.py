"""A return through its pages: saved as a draft, submitted, locked, reopened
by a commissioner with a reason, corrected and submitted again; its history
says each step."""

from __future__ import annotations

import pytest
from django.test import Client

from common.months import current_month
from homecare.returns.models import ProviderReturn, ReturnStatus
from tests.conftest import login
from tests.factories import ContractFactory, LotFactory, provider_user
from tests.returns.factories import PAGES

pytestmark = pytest.mark.django_db


@pytest.fixture
def month():
    return current_month().previous()


def url(provider, month, tail=""):
    return f"/returns/{provider.ref}/{month.key}/{tail}"


def test_draft_submit_lock_reopen_resubmit(client: Client, provider_a, commissioner, month):
    lot = LotFactory(name="Lot 1 North")
    ContractFactory(provider=provider_a, lot=lot)
    user = provider_user(provider_a, username="alpha-manager")
    login(client, user)

    # The first page, saved as a draft part-done.
    response = client.post(
        url(provider_a, month, "complaints/"), {"complaints_received": "4", "draft": ""}
    )
    assert response.status_code == 302
    ret = ProviderReturn.objects.get(provider=provider_a)
    assert ret.status == ReturnStatus.DRAFT
    assert ret.complaints_received == 4 and ret.compliments is None
    page = client.get(url(provider_a, month)).content.decode()
    assert "Your answers so far are saved as a draft" in page
    assert "In progress" in page

    # Submitting a half-done return is refused, naming what is missing.
    response = client.post(url(provider_a, month, "check/"))
    assert response.status_code == 400
    assert "Answer “Compliments received”" in response.content.decode()
    ret.refresh_from_db()
    assert ret.status == ReturnStatus.DRAFT

    # Every page, with "Save and continue" leading to the next.
    for slug, answers in PAGES.items():
        response = client.post(url(provider_a, month, f"{slug}/"), answers)
        assert response.status_code == 302
    response = client.post(url(provider_a, month, "capacity/"), {f"lot_{lot.pk}": "35"})
    assert response["Location"].endswith("/comment/")
    check = client.get(url(provider_a, month, "check/")).content.decode()
    assert "£12.80" in check and "35 hours a week" in check and "Not answered" not in check

    response = client.post(url(provider_a, month, "check/"))
    assert response.status_code == 302
    ret.refresh_from_db()
    assert ret.status == ReturnStatus.SUBMITTED
    first_submitted = ret.first_submitted_at
    assert first_submitted is not None

    # Locked: a change is not taken, and the page says so.
    response = client.post(url(provider_a, month, "complaints/"), {"complaints_received": "40"})
    assert response.status_code == 302
    ret.refresh_from_db()
    assert ret.complaints_received == 4
    assert "locked" in client.get(url(provider_a, month)).content.decode()

    # The provider cannot reopen it; a commissioner can, with a reason.
    assert client.post(url(provider_a, month, "reopen/"), {"reason": "x"}).status_code == 403
    council = login(Client(), commissioner)
    response = council.post(url(provider_a, month, "reopen/"), {"reason": ""})
    assert "Enter the reason for reopening the return" in response.content.decode()
    response = council.post(
        url(provider_a, month, "reopen/"), {"reason": "Upheld complaints look too low"}
    )
    assert response.status_code == 302
    ret.refresh_from_db()
    assert ret.status == ReturnStatus.REOPENED
    assert "Upheld complaints look too low" in client.get(url(provider_a, month)).content.decode()

    # Corrected and submitted again; it keeps its first submission date.
    response = client.post(
        url(provider_a, month, "complaints/"), {**PAGES["complaints"], "complaints_upheld": "2"}
    )
    assert client.post(url(provider_a, month, "check/")).status_code == 302
    ret.refresh_from_db()
    assert ret.status == ReturnStatus.SUBMITTED
    assert ret.complaints_upheld == 2
    assert ret.first_submitted_at == first_submitted

    history = [(e.action, e.reason) for e in ret.events.all()]
    actions = [a for a, _ in history]
    assert actions[0] == "started"
    assert actions.index("submitted") < actions.index("reopened") < actions.index("resubmitted")
    assert ("reopened", "Upheld complaints look too low") in history
    page = council.get(url(provider_a, month)).content.decode()
    assert "Upheld complaints look too low" in page and "Submitted again" in page


def test_bad_answers_are_named_next_to_the_field(
    client: Client, provider_a_user, provider_a, month
):
    login(client, provider_a_user)
    response = client.post(
        url(provider_a, month, "complaints/"),
        {"complaints_received": "2", "complaints_upheld": "3", "compliments": "lots"},
    )
    page = response.content.decode()
    assert response.status_code == 200
    assert "Complaints upheld cannot be more than complaints received" in page
    assert "Compliments received must be a whole number, like 3" in page
    assert not ProviderReturn.objects.exists()


def test_another_providers_return_is_not_found(client: Client, provider_a, provider_b, month):
    login(client, provider_user(provider_b, username="beta"))
    assert client.get(url(provider_a, month)).status_code == 404
    assert client.get(url(provider_a, month, "complaints/")).status_code == 404
    assert client.post(url(provider_a, month, "check/")).status_code == 404


def test_council_staff_read_but_do_not_fill_in(client: Client, commissioner, provider_a, month):
    login(client, commissioner)
    assert client.get(url(provider_a, month)).status_code == 200
    assert client.get(url(provider_a, month, "complaints/")).status_code == 404


def test_a_month_not_over_is_not_found(client: Client, provider_a_user, provider_a):
    login(client, provider_a_user)
    assert client.get(url(provider_a, current_month())).status_code == 404
    assert client.get(f"/returns/{provider_a.ref}/2026-13/").status_code == 404


def test_return_pages_run_a_bounded_number_of_queries(
    client: Client, provider_a, month, django_assert_max_num_queries
):
    from homecare.returns.models import ReturnCapacity

    user = provider_user(provider_a, username="counted")
    ret = ProviderReturn.objects.create(provider=provider_a, month=month.first, compliments=1)
    for n in range(6):
        lot = LotFactory(name=f"Lot {n}")
        ContractFactory(provider=provider_a, lot=lot)
        ReturnCapacity.objects.create(provider_return=ret, lot=lot, spare_hours_per_week=n)
    login(client, user)
    for tail in ("", "check/", "capacity/", "complaints/"):
        with django_assert_max_num_queries(16):
            assert client.get(url(provider_a, month, tail)).status_code == 200
