"""Concurrent edits (issue 17): a record two officers may change at once carries
a version. Its form sends back the version it showed; the service locks the
row (`select_for_update`), and if someone saved in between, refuses with who
and when, so the second officer reviews the change rather than losing it."""

from __future__ import annotations

import datetime as dt
from typing import Any, TypeVar

from django.conf import settings
from django.db import models
from django.utils import timezone

STAMP_FIELDS = ["version", "changed_by", "changed_at"]


class Versioned(models.Model):
    version = models.PositiveIntegerField(
        default=0, help_text="Goes up by one with every saved change; forms send it back."
    )
    changed_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
        help_text="Who saved the last change.",
    )
    changed_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        abstract = True


V = TypeVar("V", bound=Versioned)


def when(moment: dt.datetime) -> str:
    """'9:05pm on 1 December 2026', as GOV.UK writes a time."""
    local = timezone.localtime(moment)
    hour = local.hour % 12 or 12
    return f"{hour}:{local:%M}{'am' if local.hour < 12 else 'pm'} on {local.day} {local:%B %Y}"


class EditConflict(Exception):
    """Someone saved the record after this form was shown."""

    def __init__(self, record: Versioned) -> None:
        by = record.changed_by
        name = (by.get_full_name() or by.get_username()) if by is not None else "someone else"
        at = f" at {when(record.changed_at)}" if record.changed_at else ""
        self.version = record.version
        super().__init__(f"This was changed by {name}{at}; review and save again")


def lock(record: V, version: int | None = None) -> V:
    """Lock the record's row until the transaction ends, read it afresh, and
    refuse if its version is not the one the form showed. Call inside
    transaction.atomic(). A version of None (no form) skips the check."""
    list(type(record)._default_manager.select_for_update().filter(pk=record.pk).values_list("pk"))
    record.refresh_from_db()
    if version is not None and record.version != version:
        raise EditConflict(record)
    return record


def stamp(record: Versioned, user: Any) -> list[str]:
    """Mark a change about to be saved; returns the fields to add to update_fields."""
    record.version += 1
    record.changed_by = user if getattr(user, "is_authenticated", False) else None
    record.changed_at = timezone.now()
    return list(STAMP_FIELDS)
