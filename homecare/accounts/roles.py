"""Role checks for views, built on `providers.access` (the one place that
decides visibility). Views declare who may open them; they never test groups
themselves."""

from __future__ import annotations

from collections.abc import Callable
from functools import wraps
from typing import Any

from django.core.exceptions import PermissionDenied
from django.http import HttpRequest, HttpResponse

from providers.access import (
    COMMISSIONER,
    CONTRACT_MANAGER,
    PROVIDER_USER,
    has_role,
    is_council_staff,
    user_provider,
)

View = Callable[..., HttpResponse]

# Who may upload: commissioners and contract managers any kind; a provider's
# user only their own visits file (enforced by the form and the importer).
UPLOADER_ROLES = (COMMISSIONER, CONTRACT_MANAGER)


def can_upload(user: Any) -> bool:
    return bool(user.is_superuser or has_role(user, *UPLOADER_ROLES) or is_provider_member(user))


def is_provider_member(user: Any) -> bool:
    """A provider's user who is actually tied to a provider; a provider role
    without a membership sees nothing."""
    return has_role(user, PROVIDER_USER) and user_provider(user) is not None


def has_any_access(user: Any) -> bool:
    return is_council_staff(user) or is_provider_member(user)


def _requires(test: Callable[[Any], bool]) -> Callable[[View], View]:
    def decorator(view: View) -> View:
        @wraps(view)
        def wrapped(request: HttpRequest, *args: Any, **kwargs: Any) -> HttpResponse:
            # LoginRequiredMiddleware has already sent anonymous users to log in,
            # so a failure here is a signed-in user without the role: 403.
            if not test(request.user):
                raise PermissionDenied
            return view(request, *args, **kwargs)

        return wrapped

    return decorator


# Council staff or a provider's user: the rows they see are narrowed by `scope`.
any_role_required = _requires(has_any_access)
council_staff_required = _requires(is_council_staff)
uploader_required = _requires(can_upload)


def is_commissioner(user: Any) -> bool:
    return bool(user.is_superuser or has_role(user, COMMISSIONER))


commissioner_required = _requires(is_commissioner)
