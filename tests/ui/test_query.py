"""Query values are read through forms (issue 10): a value a page cannot use
is a 400 page in the service's frame saying what is wrong; good values work."""

from __future__ import annotations

import pytest
from django.contrib.auth.models import User
from django.test import Client

from tests.conftest import login
from tests.factories import ProviderFactory


@pytest.fixture
def providers(db) -> None:
    for n in range(30):
        ProviderFactory(ref=f"P{n:02d}", name=f"Provider {n:02d} Care")


@pytest.mark.parametrize(
    ("query", "message"),
    [
        ("month=0001-01", "Month must be between January 1900 and December 2100"),
        ("month=9999-12", "Month must be between January 1900 and December 2100"),
        ("month=abc", "Month must be a month written as year and month, like 2026-10"),
        ("month=2026-13", "Month must be a month written as year and month, like 2026-10"),
    ],
)
@pytest.mark.parametrize("path", ["/market/", "/packs/", "/providers/PA/dashboard/"])
def test_a_bad_month_is_a_400_page_that_says_why(
    client: Client, commissioner: User, provider_a, path: str, query: str, message: str
) -> None:
    response = login(client, commissioner).get(f"{path}?{query}")
    assert response.status_code == 400
    html = response.content.decode()
    assert "govuk-error-summary" in html
    assert message in html
    assert "There is a problem with the web address" in html
    assert "Home care commissioning" in html  # the service's frame, with its navigation


@pytest.mark.parametrize(
    ("query", "message"),
    [
        ("page=abc", "Page must be a whole number, like 2"),
        ("page=0", "Page must be 1 or more"),
        ("per_page=0", "Rows per page must be 1 or more"),
        ("per_page=100000", "Rows per page must be 100 or fewer"),
        ("sort=no_such_column", "Sort the table by one of its column headings"),
        ("cqc_rating=Brilliant", "Select a valid choice"),
        ("status=gone", "Select a valid choice"),
    ],
)
def test_bad_table_and_filter_values_are_400_pages(
    client: Client, commissioner: User, providers: None, query: str, message: str
) -> None:
    response = login(client, commissioner).get(f"/providers/?{query}")
    assert response.status_code == 400
    assert message in response.content.decode()


def test_good_table_values_still_sort_and_page(
    client: Client, commissioner: User, providers: None
) -> None:
    client = login(client, commissioner)
    response = client.get("/providers/?sort=-name&page=2")
    assert response.status_code == 200
    html = response.content.decode()
    # 30 providers, 25 a page, newest name first: page 2 holds the last five.
    assert "Provider 04 Care" in html and "Provider 05 Care" not in html
    # A page past the end shows the last page, as the table's links never ask for one.
    assert client.get("/providers/?page=99").status_code == 200


def test_a_provider_user_gets_the_same_400_page(
    client: Client, provider_a_user: User, provider_a
) -> None:
    response = login(client, provider_a_user).get("/market/?month=0001-01")
    assert response.status_code == 400
    assert "Month must be between January 1900 and December 2100" in response.content.decode()
