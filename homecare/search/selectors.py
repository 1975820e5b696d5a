"""Finding providers, care packages, people and visits by reference or name.

Everything found is narrowed by `providers.access` first: a provider's user
finds only its own provider, its own packages, the people it cares for (and of
those only its own packages) and its own visits, exactly as its pages do.

Every kind is one query with a LIMIT (one more to know there are more), and
people's packages one more, so a search is a fixed handful of queries however
many rows match. Matching is plain Django lookups (`icontains`, `in`), which
run on SQLite and PostgreSQL alike:

- providers by name or council ref, anywhere in it (a few hundred rows);
- care packages and people by their ref, anywhere in it (tens of thousands);
- visits by their ECM visit id, whole, as typed or in capitals: millions of
  rows, so only a lookup the (provider, visit id) index answers. A visit id is
  unique per provider only, so one id can find a visit at several providers.

A ref typed in full comes first in its group.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from typing import Any, Generic, TypeVar

from django.db.models import (
    Case,
    Exists,
    IntegerField,
    OuterRef,
    Prefetch,
    Q,
    QuerySet,
    Value,
    When,
)

from contracts.models import CarePackage, Person
from providers.access import User, is_council_staff, scope, user_provider, visible_providers
from providers.models import Provider
from visits.models import Visit

# How many of each kind a page lists: enough to pick from, few enough to read.
LIMIT = 20
MIN_LENGTH = 2
MAX_LENGTH = 64  # the longest reference the service holds

T = TypeVar("T")


@dataclass(frozen=True)
class Found(Generic[T]):
    items: Sequence[T]
    more: bool  # more matched than are listed

    def __len__(self) -> int:
        return len(self.items)


@dataclass(frozen=True)
class Results:
    query: str
    providers: Found[Provider]
    packages: Found[CarePackage]
    people: Found[Person]
    visits: Found[Visit]

    @property
    def total(self) -> int:
        return len(self.providers) + len(self.packages) + len(self.people) + len(self.visits)


def _first(queryset: QuerySet[Any], limit: int) -> Found[Any]:
    rows = list(queryset[: limit + 1])
    return Found(rows[:limit], len(rows) > limit)


def _exact_first(field: str, query: str) -> Case:
    return Case(
        When(**{f"{field}__iexact": query}, then=Value(0)),
        default=Value(1),
        output_field=IntegerField(),
    )


def find_providers(user: User, query: str, limit: int = LIMIT) -> Found[Provider]:
    providers = visible_providers(user).filter(Q(name__icontains=query) | Q(ref__icontains=query))
    return _first(
        providers.annotate(exact=_exact_first("ref", query)).order_by("exact", "name"), limit
    )


def find_packages(user: User, query: str, limit: int = LIMIT) -> Found[CarePackage]:
    packages = scope(CarePackage.objects.all(), user).filter(ref__icontains=query)
    packages = packages.select_related("provider", "person")
    return _first(
        packages.annotate(exact=_exact_first("ref", query)).order_by("exact", "ref"), limit
    )


def _people_of(user: User) -> QuerySet[Person]:
    if is_council_staff(user):
        return Person.objects.all()
    provider = user_provider(user)
    if provider is None:
        return Person.objects.none()
    # A person is the provider's to see while it has a package of theirs.
    return Person.objects.filter(
        Exists(CarePackage.objects.filter(person=OuterRef("pk"), provider=provider))
    )


def find_people(user: User, query: str, limit: int = LIMIT) -> Found[Person]:
    people = _people_of(user).filter(ref__icontains=query)
    # Each person's packages that the user may see, in one more query.
    packages = scope(CarePackage.objects.select_related("provider"), user).order_by("ref")
    people = people.prefetch_related(
        Prefetch("packages", queryset=packages, to_attr="visible_packages")
    )
    return _first(people.annotate(exact=_exact_first("ref", query)).order_by("exact", "ref"), limit)


def find_visits(user: User, query: str, limit: int = LIMIT) -> Found[Visit]:
    visits = scope(Visit.objects.all(), user)
    if is_council_staff(user):
        # Naming every provider lets the (provider, visit id) index answer
        # one probe per provider instead of reading every visit.
        visits = visits.filter(provider__in=Provider.objects.values("pk"))
    visits = visits.filter(visit_id__in=sorted({query, query.upper()}))
    visits = visits.select_related("provider", "person", "package").order_by("-planned_start")
    return _first(visits, limit)


def search(user: User, query: str, limit: int = LIMIT) -> Results:
    return Results(
        query=query,
        providers=find_providers(user, query, limit),
        packages=find_packages(user, query, limit),
        people=find_people(user, query, limit),
        visits=find_visits(user, query, limit),
    )
