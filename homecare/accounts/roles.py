"""Permission checks for views, over the rules of `providers.permissions` (the
one place that says who may do what) and `providers.access` (the one place
that decides what a user sees). Views declare what a user must be allowed to
do to open them; they never test groups themselves."""

from __future__ import annotations

from collections.abc import Callable
from functools import wraps
from typing import Any, TypeVar

from django.core.exceptions import PermissionDenied
from django.http import HttpRequest
from django.http.response import HttpResponseBase

from providers.permissions import may

__all__ = ["may", "require", "permission_required"]

# Any response: a page (HttpResponse), a redirect or a streamed file (FileResponse).
R = TypeVar("R", bound=HttpResponseBase)
View = Callable[..., R]


def require(user: Any, perm: str, obj: Any = None) -> None:
    """403 unless the user has the permission. Views call it after the scoped
    lookup, so a provider's user asking for another's record gets 404 first."""
    if not may(user, perm, obj):
        raise PermissionDenied


def permission_required(perm: str) -> Callable[[View[R]], View[R]]:
    """A view decorator: 403 for a signed-in user without the permission
    (LoginRequiredMiddleware has already sent anonymous users to log in)."""

    def decorator(view: View[R]) -> View[R]:
        @wraps(view)
        def wrapped(request: HttpRequest, *args: Any, **kwargs: Any) -> R:
            require(request.user, perm)
            return view(request, *args, **kwargs)

        return wrapped

    return decorator


# The gates most pages use, by name. Council staff or a provider's user: the
# rows they see are narrowed by `providers.access.scope`.
any_role_required = permission_required("homecare.use_service")
council_staff_required = permission_required("providers.see_all_providers")
uploader_required = permission_required("imports.upload_file")
commissioner_required = permission_required("kpis.change_thresholds")


# Kept for callers that ask in Python rather than through a permission name.
def can_upload(user: Any) -> bool:
    return may(user, "imports.upload_file")


def is_commissioner(user: Any) -> bool:
    return may(user, "kpis.change_thresholds")
