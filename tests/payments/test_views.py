"""The payments pages: who sees what, the finance CSV, bounded queries."""

from __future__ import annotations

import csv
import io

import pytest

from tests.conftest import login
from tests.factories import provider_user
from tests.payments.scenario import council, time_bank, visits

pytestmark = pytest.mark.django_db
PAGES = ["/payments/", "/payments/hours/", "/payments/flex/", "/payments/time-bank/"]


def main_of(response) -> str:
    """The page's main content: a negative check must not trip over a random
    CSRF token in the header."""
    return response.content.decode().split("<main", 1)[1].split("</main>", 1)[0]


@pytest.fixture
def market():
    council(
        """
        C1,P01,F,Lot 1,2024-04-01,,20.00,planned,,
        C2,P02,F,Lot 2,2024-04-01,,21.00,verified,,
        """,
        "K1,R1,P01,C1,2026-01-01,,10\nK2,R2,P02,C2,2026-01-01,,2",
    )
    visits(
        """
        V1,K1,W1,2026-10-05T09:00:00,2026-10-05T10:00:00,2026-10-05T09:00:00,2026-10-05T10:00:00,completed,ecm,
        V2,K2,W2,2026-10-05T09:00:00,2026-10-05T10:00:00,2026-10-05T09:00:00,2026-10-05T10:00:00,completed,manual,
        V3,K2,W2,2026-10-06T09:00:00,2026-10-06T09:30:00,2026-10-06T09:00:00,2026-10-06T09:30:00,completed,ecm,
        """
    )
    time_bank("K1,2026-10-01,30,deferred\nK2,2026-10-01,45,deferred")


def test_council_sees_every_provider(client, commissioner, market):
    page = login(client, commissioner).get("/payments/?month=2026-10").content.decode()
    assert "Alpha Home Care" in page and "Beta Care" in page
    assert "£20.00" in page and "£10.50" in page and "£30.50" in page


def test_provider_user_sees_only_its_own(client, market):
    from providers.models import Provider

    user = provider_user(Provider.objects.get(ref="P02"), username="beta")
    login(client, user)
    page = main_of(client.get("/payments/?month=2026-10"))
    assert "Beta Care" in page and "K2" in page and "V2" in page  # its exception listed
    assert "Alpha" not in page and "K1" not in page
    banked = main_of(client.get("/payments/time-bank/?month=2026-10"))
    assert "K2" in banked and "K1" not in banked
    for url in PAGES:
        assert client.get(f"{url}?month=2026-10&provider=P01").status_code == 404
    rows = list(csv.reader(io.StringIO(client.get("/payments/?format=csv&month=2026-10")
                                       .content.decode())))  # fmt: skip
    assert [r[3] for r in rows[1:]] == ["K2"]


def test_bad_month_is_a_400(client, commissioner):
    login(client, commissioner)
    for url in PAGES:
        assert client.get(f"{url}?month=2026-13").status_code == 400
        assert client.get(f"{url}?provider=NOPE").status_code == 404


def test_finance_csv_has_one_line_per_package(client, commissioner, market):
    login(client, commissioner)
    response = client.get("/payments/?month=2026-10&format=csv")
    assert response["Content-Disposition"] == (
        'attachment; filename="payment-schedule-2026-10.csv"'
    )
    rows = list(csv.DictReader(io.StringIO(response.content.decode())))
    assert [(r["package_ref"], r["payable_hours"], r["amount"], r["exceptions"]) for r in rows] == [
        ("K1", "1.00", "20.00", "0"),
        ("K2", "0.50", "10.50", "1"),
    ]


@pytest.mark.parametrize("url", PAGES)
def test_pages_run_a_bounded_number_of_queries(
    client, commissioner, market, url, django_assert_max_num_queries
):
    login(client, commissioner)
    for query in ("?month=2026-10", "?month=2026-10&provider=P02"):
        with django_assert_max_num_queries(14):
            assert client.get(url + query).status_code == 200


def test_anonymous_and_roleless_users_are_kept_out(client, market):
    from tests.factories import UserFactory

    assert client.get("/payments/").status_code == 302
    login(client, UserFactory(username="nobody"))
    assert client.get("/payments/").status_code == 403


def test_hours_by_lot(client, commissioner, market):
    from contracts.models import Lot

    login(client, commissioner)
    lot2 = Lot.objects.get(name="Lot 2")
    page = main_of(client.get(f"/payments/hours/?month=2026-10&lot={lot2.pk}"))
    assert "All providers in Lot 2" in page
    # Only K2 is in Lot 2: 2 hours a week over October's 31 days.
    assert "8.86" in page and "10.00" not in page
    assert client.get("/payments/hours/?lot=x").status_code == 400
    assert client.get("/payments/hours/?lot=999999").status_code == 404
