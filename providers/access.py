"""Who may see what: the one place that decides it.

Council staff (commissioners, quality officers, contract managers) see every
provider. A provider's user sees only their own provider; anything else is, to
them, not there at all (404), so a provider cannot learn another's refs.
"""

from __future__ import annotations

from typing import TypeVar

from django.contrib.auth.models import AnonymousUser
from django.contrib.auth.models import User as AuthUser
from django.db.models import Model, QuerySet
from django.http import Http404

from providers.models import Provider

COMMISSIONER = "Commissioner"
QUALITY_OFFICER = "Quality officer"
CONTRACT_MANAGER = "Contract manager"
PROVIDER_USER = "Provider user"
COUNCIL_ROLES = (COMMISSIONER, QUALITY_OFFICER, CONTRACT_MANAGER)
ROLES = (*COUNCIL_ROLES, PROVIDER_USER)

M = TypeVar("M", bound=Model)
User = AuthUser | AnonymousUser


def roles_of(user: User) -> set[str]:
    if not user.is_authenticated:
        return set()
    # Cached on the user object for the rest of the request, as cached_property does.
    cached: set[str] | None = user.__dict__.get("_homecare_roles")
    if cached is None:
        cached = set(user.groups.values_list("name", flat=True))
        user.__dict__["_homecare_roles"] = cached
    return cached


def has_role(user: User, *roles: str) -> bool:
    return bool(roles_of(user) & set(roles))


def user_provider(user: User) -> Provider | None:
    """The provider a provider's user belongs to, or None for council staff."""
    if not user.is_authenticated:
        return None
    if "_homecare_provider" not in user.__dict__:
        membership = (
            Provider.objects.filter(users__user=user).first()
            if isinstance(user, AuthUser) and has_role(user, PROVIDER_USER)
            else None
        )
        user.__dict__["_homecare_provider"] = membership
    provider: Provider | None = user.__dict__["_homecare_provider"]
    return provider


def is_council_staff(user: User) -> bool:
    return bool(user.is_authenticated and (user.is_superuser or has_role(user, *COUNCIL_ROLES)))


def scope(queryset: QuerySet[M], user: User, provider_field: str = "provider") -> QuerySet[M]:
    """Narrow any queryset to the rows the user may see, by its provider field.
    A user who is neither council staff nor a provider's user sees nothing."""
    if is_council_staff(user):
        return queryset
    provider = user_provider(user)
    if provider is None:
        return queryset.none()
    lookup = "pk" if provider_field == "" else provider_field
    return queryset.filter(**{lookup: provider.pk})


def visible_providers(user: User) -> QuerySet[Provider]:
    return scope(Provider.objects.all(), user, provider_field="")


def get_visible_provider(user: User, ref: str) -> Provider:
    """The provider with that ref if the user may see it; otherwise 404."""
    try:
        return visible_providers(user).get(ref=ref)
    except Provider.DoesNotExist:
        raise Http404("No such provider") from None
