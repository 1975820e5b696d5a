"""A role map naming a role this service does not have is refused at start,
not discovered when a commissioner cannot sign in."""

from __future__ import annotations

from typing import Any

from django.core import checks

from homecare.sso import config
from providers.access import COUNCIL_ROLES


@checks.register()
def role_map_names_council_roles(
    app_configs: Any = None, **kwargs: Any
) -> list[checks.CheckMessage]:
    errors: list[checks.CheckMessage] = []
    for group, role in config.role_map().items():
        if role not in COUNCIL_ROLES:
            errors.append(
                checks.Error(
                    f"OIDC_ROLE_MAP maps {group!r} to {role!r}, which is not a council role.",
                    hint=f"Use one of: {', '.join(COUNCIL_ROLES)}. Provider users keep "
                    "local accounts.",
                    id="sso.E001",
                )
            )
    if config.enabled() and not config.role_map():
        errors.append(
            checks.Warning(
                "Single sign-on is on but OIDC_ROLE_MAP is empty: nobody signing in "
                "with it will have a role.",
                id="sso.W001",
            )
        )
    return errors
