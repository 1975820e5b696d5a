"""The search box (issue 17): providers, care packages, people and visits by
reference or name, grouped by kind, within what the user may see."""

from __future__ import annotations

import datetime as dt
import re
from typing import Any

import pytest
from django.contrib.auth.models import User
from django.test import Client

from homecare.search.selectors import LIMIT
from tests.conftest import login
from tests.factories import (
    CarePackageFactory,
    PersonFactory,
    ProviderFactory,
    UserFactory,
    VisitFactory,
    provider_user,
)

pytestmark = pytest.mark.django_db


@pytest.fixture
def two_providers() -> dict[str, Any]:
    """Two providers whose names, refs and visit ids all match the same
    searches, and a person cared for by both."""
    alpha = ProviderFactory(ref="SHARED-A", name="Shared Care Alpha")
    beta = ProviderFactory(ref="SHARED-B", name="Shared Care Beta")
    both = PersonFactory(ref="PER-SHARED-1")
    only_beta = PersonFactory(ref="PER-SHARED-2")
    a_pkg = CarePackageFactory(ref="PKG-SHARED-A", provider=alpha, person=both)
    b_pkg = CarePackageFactory(ref="PKG-SHARED-B", provider=beta, person=both)
    b_other = CarePackageFactory(ref="PKG-SHARED-B2", provider=beta, person=only_beta)
    # ECM visit ids are unique per provider only: both use V0000001.
    VisitFactory(package=a_pkg, visit_id="V0000001")
    VisitFactory(package=b_pkg, visit_id="V0000001")
    VisitFactory(package=b_other, visit_id="V0000002")
    return {"alpha": alpha, "beta": beta, "user": provider_user(alpha, username="alpha-user")}


def found(client: Client, query: str) -> dict[str, list[str]]:
    response = client.get("/search/", {"q": query})
    assert response.status_code == 200
    results = response.context["results"]
    return {
        "providers": [p.ref for p in results.providers.items],
        "packages": [p.ref for p in results.packages.items],
        "people": [p.ref for p in results.people.items],
        "people's packages": [
            pkg.ref for person in results.people.items for pkg in person.visible_packages
        ],
        "visits": [f"{v.provider.ref}/{v.visit_id}" for v in results.visits.items],
        "html": [response.content.decode()],
    }


def test_council_staff_find_every_kind(client: Client, commissioner: User, two_providers) -> None:
    login(client, commissioner)
    assert found(client, "shared care")["providers"] == ["SHARED-A", "SHARED-B"]
    assert found(client, "pkg-shared")["packages"] == [
        "PKG-SHARED-A",
        "PKG-SHARED-B",
        "PKG-SHARED-B2",
    ]
    people = found(client, "per-shared")
    assert people["people"] == ["PER-SHARED-1", "PER-SHARED-2"]
    assert people["people's packages"] == ["PKG-SHARED-A", "PKG-SHARED-B", "PKG-SHARED-B2"]
    # A visit id as typed or in lower case; one at each provider.
    assert sorted(found(client, "v0000001")["visits"]) == ["SHARED-A/V0000001", "SHARED-B/V0000001"]


# Every name and reference of the other provider's objects, whole and in part.
BETA_QUERIES = [
    "Shared Care Beta", "Beta", "SHARED-B", "shared", "PKG-SHARED-B", "PKG-SHARED-B2",
    "PER-SHARED-2", "PER-SHARED", "V0000001", "V0000002", "B2", "-B",
]  # fmt: skip


@pytest.mark.parametrize("query", BETA_QUERIES)
def test_a_provider_user_never_finds_another_providers_objects(
    client: Client, two_providers, query: str
) -> None:
    login(client, two_providers["user"])
    result = found(client, query)
    html = result.pop("html")[0]
    every = [ref for refs in result.values() for ref in refs]
    assert not [ref for ref in every if "SHARED-B" in ref or ref.endswith("PER-SHARED-2")], every
    # The page repeats what was typed; nothing else of the other provider's is on it.
    text = re.sub(r"<[^>]+>", " ", html).replace(query, "")
    for beta_thing in ("Shared Care Beta", "SHARED-B", "PER-SHARED-2", "V0000002"):
        assert beta_thing not in text


def test_a_provider_user_finds_its_own(client: Client, two_providers) -> None:
    login(client, two_providers["user"])
    assert found(client, "shared")["providers"] == ["SHARED-A"]
    assert found(client, "PKG-SHARED")["packages"] == ["PKG-SHARED-A"]
    # The person cared for by both is theirs to find, with their package only.
    people = found(client, "PER-SHARED")
    assert people["people"] == ["PER-SHARED-1"]
    assert people["people's packages"] == ["PKG-SHARED-A"]
    assert found(client, "V0000001")["visits"] == ["SHARED-A/V0000001"]


def test_results_link_to_the_pages_that_show_them(
    client: Client, commissioner: User, two_providers
) -> None:
    login(client, commissioner)
    html = found(client, "SHARED-A")["html"][0]
    assert 'href="/providers/SHARED-A/"' in html
    assert 'href="/providers/SHARED-A/dashboard/?person=PER-SHARED-1"' in html
    visit_html = found(client, "V0000001")["html"][0]
    assert (
        "/providers/SHARED-A/dashboard/?month=2026-10&amp;day=2026-10-05&amp;person=PER-SHARED-1"
        in visit_html
    )
    # Grouped by kind, each under its heading.
    assert re.search(r"<h2[^>]*>Providers</h2>", html)
    assert re.search(r"<h2[^>]*>Care packages</h2>", html)


def test_a_ref_typed_in_full_comes_first(client: Client, commissioner: User) -> None:
    provider = ProviderFactory(ref="P1")
    for ref in ("K10", "K1", "XK1"):
        CarePackageFactory(ref=ref, provider=provider)
    login(client, commissioner)
    assert found(client, "k1")["packages"] == ["K1", "K10", "XK1"]


def test_many_matches_are_listed_up_to_the_limit_in_a_fixed_number_of_queries(
    client: Client, commissioner: User, django_assert_max_num_queries: Any
) -> None:
    provider = ProviderFactory(ref="P1", name="Many Packages Ltd")
    for n in range(LIMIT + 5):
        person = PersonFactory(ref=f"MANY-{n:03d}")
        package = CarePackageFactory(ref=f"MANY-PKG-{n:03d}", provider=provider, person=person)
        VisitFactory(package=package, visit_id="MANY-001", provider=ProviderFactory())
    login(client, commissioner)
    with django_assert_max_num_queries(12):
        response = client.get("/search/", {"q": "many"})
    results = response.context["results"]
    assert len(results.packages) == LIMIT and results.packages.more
    assert len(results.people) == LIMIT and results.people.more
    assert f"Only the first {LIMIT} care packages are listed" in response.content.decode()
    with django_assert_max_num_queries(12):
        visits = client.get("/search/", {"q": "MANY-001"}).context["results"].visits
    assert len(visits) == LIMIT and visits.more


@pytest.mark.parametrize(
    "query, message",
    [
        ("", "Enter a name or a reference to search for"),
        ("a", "Enter at least 2 characters to search for"),
        ("x" * 65, "Enter no more than 64 characters to search for"),
        ("ab\x00", "Enter letters, numbers and spaces only"),
    ],
)
def test_a_bad_query_says_what_to_fix(
    client: Client, commissioner: User, query: str, message: str
) -> None:
    login(client, commissioner)
    response = client.get("/search/", {"q": query})
    assert response.status_code == 200
    html = response.content.decode()
    assert "govuk-error-summary" in html and message in html
    assert response.context["results"] is None


def test_nothing_found_says_so(client: Client, commissioner: User) -> None:
    login(client, commissioner)
    html = client.get("/search/", {"q": "no-such-thing"}).content.decode()
    assert "Nothing matches ‘no-such-thing’" in html


def test_the_search_page_without_a_query_is_just_the_box(
    client: Client, commissioner: User
) -> None:
    login(client, commissioner)
    response = client.get("/search/")
    assert response.status_code == 200
    assert "govuk-error-summary" not in response.content.decode()


def test_the_header_has_the_search_box_for_signed_in_users(
    client: Client, commissioner: User
) -> None:
    assert 'role="search"' not in client.get("/login/").content.decode()
    login(client, commissioner)
    html = client.get("/").content.decode()
    assert 'action="/search/"' in html and 'role="search"' in html


def test_who_may_search(client: Client) -> None:
    assert client.get("/search/", {"q": "ab"}).status_code == 302  # to sign in
    login(client, UserFactory(username="nobody"))
    assert client.get("/search/", {"q": "ab"}).status_code == 403
    # A provider role with no provider finds nothing, rather than everything.
    orphan = UserFactory(username="orphan", role="Provider user")
    login(client, orphan)
    ProviderFactory(ref="ORPHAN-TEST", name="Orphan test")
    response = client.get("/search/", {"q": "orphan"})
    assert response.status_code == 403


def test_visits_match_an_id_whole(client: Client, commissioner: User) -> None:
    package = CarePackageFactory(ref="K1")
    VisitFactory(
        package=package, visit_id="V0001234", planned_start=dt.datetime(2026, 10, 1, tzinfo=dt.UTC)
    )
    login(client, commissioner)
    assert found(client, "V0001234")["visits"] == [f"{package.provider.ref}/V0001234"]
    assert found(client, "V00012")["visits"] == []
