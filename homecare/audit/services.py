"""Writes of the audit trail beyond what django-auditlog records by itself:
who looked at a person's visits (UK GDPR accountability)."""

from __future__ import annotations

import datetime as dt

from auditlog.models import LogEntry
from auditlog.signals import accessed
from django.conf import settings

from common.months import LONDON
from contracts.models import Person
from homecare.ui import formats
from visits.retention import first_kept_day


def person_viewed(person: Person) -> None:
    """Record that the signed-in user (AuditlogMiddleware's actor) looked at
    this person's visits now: an "access" row in the audit trail, the same
    row django-auditlog's LogAccessMixin writes for a detail view."""
    accessed.send(sender=Person, instance=person)


def person_visits_viewed(ref: str) -> Person | None:
    """A page listing one person's visits (a provider's dashboard filtered to
    the person) records who looked; an unknown reference records nothing."""
    person = Person.objects.filter(ref=ref.strip()).first() if ref.strip() else None
    if person is not None:
        person_viewed(person)
    return person


def remove_entries_older_than(months: int | None = None, *, dry_run: bool = False) -> str:
    """The only deletion of audit rows: those older than AUDIT_RETENTION_MONTHS
    (default 84, seven years, as long as the visits they may concern), by the
    nightly retention task. Returns what was (or would be) done."""
    months = settings.AUDIT_RETENTION_MONTHS if months is None else months
    if months < 1:
        raise ValueError("Audit rows are kept at least a month.")
    # Whole months, counted as the visits' are: kept from the first day of a month.
    cutoff = first_kept_day(months)
    start = dt.datetime.combine(cutoff, dt.time(), tzinfo=LONDON)
    old = LogEntry.objects.filter(timestamp__lt=start)
    if dry_run:
        return f"Would delete {old.count():,} audit rows from before {formats.date(cutoff)}."
    count, _ = old.delete()
    return f"Deleted {count:,} audit rows from before {formats.date(cutoff)}."
