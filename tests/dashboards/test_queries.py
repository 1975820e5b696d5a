"""Every dashboard page runs a bounded number of queries, whatever the number
of providers."""

from __future__ import annotations

from typing import Any

import pytest
from django.core.cache import cache
from django.test import Client

from homecare.kpis.models import MonthlyKpi
from providers.access import COMMISSIONER
from tests.conftest import login
from tests.dashboards.market_data import (
    OCTOBER,
    stored_market,
)
from tests.factories import UserFactory, provider_user

pytestmark = pytest.mark.django_db


@pytest.mark.parametrize("count", [3, 12])
def test_pages_run_a_bounded_number_of_queries(
    client: Client, django_assert_max_num_queries: Any, count: int
) -> None:
    data = stored_market(count)
    user = UserFactory(username="commissioner", role=COMMISSIONER)
    login(client, user)
    first = data["providers"][0]
    pages = [
        ("/market/", {"month": OCTOBER}),
        ("/market/", {"month": OCTOBER, "lot": data["lot"].pk, "rag": "amber"}),
        ("/market/", {"month": OCTOBER, "_export": "csv"}),
        ("/market/", {"month": OCTOBER, "_export": "xlsx"}),
        (f"/providers/{first.ref}/dashboard/", {"month": OCTOBER}),
        (f"/providers/{first.ref}/dashboard/", {"month": OCTOBER, "kind": "late", "carer": "A"}),
        (f"/lots/{data['lot'].pk}/", {"month": OCTOBER}),
        ("/rag-thresholds/", {}),
    ]
    for path, query in pages:
        # 16, one for the improvement tracker's slipped items, one as the market
        # page also says what changed since last month; the first page counts the
        # unread alerts for the navigation (kept after).
        with django_assert_max_num_queries(18):
            response = client.get(path, query)
        assert response.status_code == 200, path


def test_provider_user_market_page_queries(
    client: Client, django_assert_max_num_queries: Any
) -> None:
    data = stored_market(5)
    login(client, provider_user(data["providers"][0], username="q-user"))
    with django_assert_max_num_queries(10):
        html = client.get("/market/", {"month": OCTOBER}).content.decode()
    assert "Quota 1 Care" not in html


def test_query_counts_do_not_grow_with_providers(client: Client) -> None:
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    login(client, UserFactory(username="commissioner", role=COMMISSIONER))

    def counts(lot_pk: int, ref: str) -> list[int]:
        cache.clear()  # each run as a first visit: nothing kept from the last
        out = []
        for path in ("/market/", f"/providers/{ref}/dashboard/", f"/lots/{lot_pk}/"):
            with CaptureQueriesContext(connection) as captured:
                assert client.get(path, {"month": OCTOBER}).status_code == 200
            out.append(len(captured))
        return out

    small = stored_market(3)
    few = counts(small["lot"].pk, small["providers"][0].ref)
    MonthlyKpi.objects.all().delete()
    large = stored_market(12)
    assert counts(large["lot"].pk, large["providers"][0].ref) == few
