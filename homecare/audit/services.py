"""Writes of the audit trail beyond what django-auditlog records by itself:
who looked at a person's visits (UK GDPR accountability)."""

from __future__ import annotations

from auditlog.signals import accessed

from contracts.models import Person


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
