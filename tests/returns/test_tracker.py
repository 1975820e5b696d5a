"""What is due and who is late: the tracker and the provider's home page."""

from __future__ import annotations

import datetime as dt

import pytest
from django.test import Client

from common.months import Month
from homecare.returns.models import ProviderReturn, ReturnStatus
from tests.conftest import login
from tests.factories import ProviderFactory, provider_user
from visits.models import ImportKind, ImportOutcome, ImportRecord

pytestmark = pytest.mark.django_db
SEPTEMBER = Month.parse("2026-09")  # ECM file due 10 October, return 15 October


def at(day: int, month: int = 10) -> dt.datetime:
    return dt.datetime(2026, month, day, 12, 0, tzinfo=dt.UTC)


def ecm_file(provider, finished: dt.datetime, months=("2026-09",)) -> ImportRecord:
    return ImportRecord.objects.create(
        kind=ImportKind.VISITS,
        file_name="visits.csv",
        provider=provider,
        outcome=ImportOutcome.SUCCEEDED,
        finished_at=finished,
        months_touched=list(months),
    )


def submitted(provider, when: dt.datetime) -> ProviderReturn:
    return ProviderReturn.objects.create(
        provider=provider,
        month=SEPTEMBER.first,
        status=ReturnStatus.SUBMITTED,
        first_submitted_at=when,
        submitted_at=when,
    )


def row_of(page: str, name: str) -> str:
    start = page.index(name)
    return page[start : page.index("</tr>", start)]


def test_late_return_and_missing_ecm_file_on_the_tracker(
    client: Client, commissioner, django_assert_max_num_queries
):
    prompt = ProviderFactory(ref="P1", name="Prompt Care")
    tardy = ProviderFactory(ref="P2", name="Tardy Care")
    silent = ProviderFactory(ref="P3", name="Silent Care")
    ecm_file(prompt, at(9))
    submitted(prompt, at(15))
    ecm_file(tardy, at(12))  # two days late
    submitted(tardy, at(20))  # five days late
    ecm_file(tardy, at(1, 9), months=("2026-08",))  # another month's file counts for nothing
    ProviderReturn.objects.create(provider=silent, month=SEPTEMBER.first)  # a draft only

    login(client, commissioner)
    with django_assert_max_num_queries(12):
        page = client.get("/returns/tracker/?month=2026-09").content.decode()
    prompt_row, tardy_row, silent_row = (row_of(page, p.name) for p in (prompt, tardy, silent))
    assert prompt_row.count("Received on time") == 2
    assert "Received late" in tardy_row and "2 days late" in tardy_row
    assert "5 days late" in tardy_row
    assert silent_row.count("Missing") == 2
    # Counted per kind: ECM files, then returns.
    assert page.count("1 on time, 1 late, 1 missing") == 2

    outstanding = client.get("/returns/tracker/?month=2026-09&show=outstanding").content.decode()
    assert "Tardy Care" in outstanding and "Silent Care" in outstanding
    assert "Prompt Care" not in outstanding


def test_a_council_upload_counts_for_the_providers_in_it(client: Client, commissioner):
    from tests.factories import CarePackageFactory, VisitFactory

    provider = ProviderFactory(ref="P1", name="Council Loaded Care")
    package = CarePackageFactory(provider=provider)
    VisitFactory(package=package, planned_start=dt.datetime(2026, 9, 3, 8, 0, tzinfo=dt.UTC))
    ecm_file(None, at(5))
    login(client, commissioner)
    page = client.get("/returns/tracker/?month=2026-09").content.decode()
    assert "Received on time" in row_of(page, provider.name)


def test_bad_or_future_month_is_a_400_page(client: Client, commissioner):
    login(client, commissioner)
    assert client.get("/returns/tracker/?month=2026-99").status_code == 400
    assert client.get("/returns/tracker/?month=2999-01").status_code == 400


def test_only_council_staff_see_the_tracker(client: Client, provider_a_user):
    login(client, provider_a_user)
    assert client.get("/returns/tracker/").status_code == 403


def test_provider_home_shows_what_is_due(client: Client, provider_a):
    login(client, provider_user(provider_a, username="home-user"))
    page = client.get("/").content.decode()
    assert "What is due" in page
    assert "ECM visits file for" in page and "Monthly return for" in page
