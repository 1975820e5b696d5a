"""Pages that show people receiving care (their refs, visits, packages and
reviews) or import reports that may quote them: a browser must not keep them
on disk and no shared cache may hold them (`Cache-Control: no-store`, with
`private` and `max-age=0`), so a shared computer's back button or a proxy
shows nobody's data after sign-out."""

from __future__ import annotations

from collections.abc import Callable
from typing import TypeVar

from django.views.decorators.cache import never_cache

ViewT = TypeVar("ViewT", bound=Callable)


def person_level_data(view: ViewT) -> ViewT:
    return never_cache(view)
