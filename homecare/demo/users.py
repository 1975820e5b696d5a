"""The demo log-ins: one user per role, and the provider whose user `provider` is."""

from __future__ import annotations

from dataclasses import dataclass

from django.contrib.auth.models import Group, User

from homecare.demo.market import FRAMEWORK
from providers.access import COMMISSIONER, CONTRACT_MANAGER, PROVIDER_USER, QUALITY_OFFICER
from providers.models import Provider, ProviderUser

# Demo-only credentials: printed on the console by `demo_logins` so anyone trying
# the app can sign in. Never use them (or seed_demo) on a real deployment.
DEMO_PASSWORD = "demo-password-2026"


@dataclass(frozen=True)
class DemoLogin:
    username: str
    role: str
    description: str


DEMO_LOGINS: tuple[DemoLogin, ...] = (
    DemoLogin("commissioner", COMMISSIONER, "sees the whole market"),
    DemoLogin("quality", QUALITY_OFFICER, "sees the whole market"),
    DemoLogin("manager", CONTRACT_MANAGER, "sees the whole market"),
    DemoLogin("provider", PROVIDER_USER, "sees one framework provider only"),
    DemoLogin("admin", "Superuser", "Django admin"),
)


def demo_provider() -> Provider | None:
    """The framework provider whose user the `provider` login is: the first by ref."""
    return (
        Provider.objects.filter(contracts__lot__framework__name=FRAMEWORK)
        .order_by("ref")
        .distinct()
        .first()
    )


def ensure_demo_users() -> list[User]:
    """Create (or reset) one login per role, all with DEMO_PASSWORD. Idempotent."""
    users = []
    provider = demo_provider()
    for login in DEMO_LOGINS:
        user, _ = User.objects.get_or_create(username=login.username)
        user.set_password(DEMO_PASSWORD)
        user.is_active = True
        if login.role == "Superuser":
            user.is_staff = user.is_superuser = True
            user.save()
        else:
            user.save()
            user.groups.set([Group.objects.get_or_create(name=login.role)[0]])
        if login.role == PROVIDER_USER and provider is not None:
            ProviderUser.objects.update_or_create(user=user, defaults={"provider": provider})
        users.append(user)
    return users
