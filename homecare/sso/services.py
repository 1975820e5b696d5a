"""What a sign-in by single sign-on changes: the account, made the first
time; its roles, set to exactly what the identity provider's groups map to;
and whether it is active."""

from __future__ import annotations

import logging
from collections.abc import Iterable, Mapping
from dataclasses import dataclass
from typing import Any

from django.contrib.auth.models import Group, User
from django.db import transaction
from django.utils import timezone

from homecare.sso import config
from homecare.sso.models import SsoAccount
from providers.access import COUNCIL_ROLES

logger = logging.getLogger("homecare.sso")


class NameTaken(Exception):
    """A local account already has the name this person would get."""


@dataclass(frozen=True)
class SignIn:
    user: User
    account: SsoAccount
    roles: frozenset[str]
    added: frozenset[str]
    removed: frozenset[str]

    @property
    def allowed(self) -> bool:
        return self.user.is_active and bool(self.roles)


def groups_of(claims: Mapping[str, Any]) -> list[str]:
    """The groups claim as a list of strings (a provider may send one group
    as a bare string)."""
    value = claims.get(config.groups_claim()) or []
    if isinstance(value, str):
        value = [value]
    return sorted({str(group) for group in value})


def roles_for(groups: Iterable[str], role_map: Mapping[str, str]) -> frozenset[str]:
    """The council roles the groups map to; unmapped groups give nothing."""
    return frozenset(role_map[g] for g in groups if g in role_map and role_map[g] in COUNCIL_ROLES)


def username_for(claims: Mapping[str, Any]) -> str:
    name = claims.get(config.username_claim()) or claims.get("email") or claims["sub"]
    return str(name)[:150]


def find_account(issuer: str, subject: str) -> SsoAccount | None:
    return SsoAccount.objects.select_related("user").filter(issuer=issuer, subject=subject).first()


def _set_roles(user: User, roles: frozenset[str]) -> tuple[frozenset[str], frozenset[str]]:
    """Council roles become exactly `roles`; other groups are left alone."""
    current = frozenset(user.groups.filter(name__in=COUNCIL_ROLES).values_list("name", flat=True))
    added, removed = roles - current, current - roles
    if removed:
        user.groups.remove(*Group.objects.filter(name__in=removed))
    for name in sorted(added):
        user.groups.add(Group.objects.get_or_create(name=name)[0])
    user.__dict__.pop("_homecare_roles", None)  # providers.access caches roles per user
    return added, removed


@transaction.atomic
def sign_in(issuer: str, claims: Mapping[str, Any]) -> SignIn:
    """Make or update the account for these (verified) claims."""
    subject = str(claims["sub"])
    account = find_account(issuer, subject)
    if account is None:
        username = username_for(claims)
        if User.objects.filter(username=username).exists():
            # Never take over a local account by name: an administrator links
            # or renames it (docs/operations.md).
            raise NameTaken(username)
        user = User(username=username)
        user.set_unusable_password()
        user.save()
        account = SsoAccount.objects.create(user=user, issuer=issuer, subject=subject)
        logger.info("sso: account %s made for user %s", account.pk, user.pk)
    user = account.user
    groups = groups_of(claims)
    roles = roles_for(groups, config.role_map())
    added, removed = _set_roles(user, roles)
    user.email = str(claims.get("email") or user.email)[:254]
    user.first_name = str(claims.get("given_name") or user.first_name)[:150]
    user.last_name = str(claims.get("family_name") or user.last_name)[:150]
    if not roles:
        # The identity provider no longer puts them in any council group: a
        # leaver, or moved to work this service is not for.
        if user.is_active:
            account.deactivated_by_provider = True
        user.is_active = False
    elif account.deactivated_by_provider:
        user.is_active = True
        account.deactivated_by_provider = False
    user.save()
    account.last_sign_in = timezone.now()
    account.last_groups = groups
    account.save()
    if added or removed or not roles:
        logger.info(
            "sso: user %s roles now %s (added %s, removed %s)%s",
            user.pk,
            sorted(roles),
            sorted(added),
            sorted(removed),
            "; deactivated" if not user.is_active else "",
        )
    return SignIn(user, account, roles, added, removed)
