"""Audit rows are kept AUDIT_RETENTION_MONTHS (default 84), then removed by
the nightly retention; nothing younger goes, and a dry run removes nothing."""

from __future__ import annotations

import datetime as dt

import pytest
from auditlog.models import LogEntry
from django.utils import timezone

from homecare.audit.services import remove_entries_older_than
from homecare.kpis.services import set_thresholds
from homecare.retention.services import apply_retention
from tests.factories import LotFactory

pytestmark = pytest.mark.django_db


def test_audit_rows_past_their_period_go_with_the_nightly_retention(settings) -> None:
    settings.AUDIT_RETENTION_MONTHS = 84
    set_thresholds(lot=LotFactory(name="Old"), late_after_minutes=20)
    set_thresholds(lot=LotFactory(name="New"), late_after_minutes=25)
    old = LogEntry.objects.get(object_repr__startswith="KPI thresholds for Old")
    LogEntry.objects.filter(pk=old.pk).update(timestamp=timezone.now() - dt.timedelta(days=86 * 31))
    assert remove_entries_older_than(dry_run=True).startswith("Would delete 1 audit rows")
    assert LogEntry.objects.filter(pk=old.pk).exists()
    lines = apply_retention()
    assert any(line.startswith("Deleted 1 audit rows from before") for line in lines)
    assert not LogEntry.objects.filter(pk=old.pk).exists()
    assert LogEntry.objects.filter(object_repr__startswith="KPI thresholds for New").exists()


def test_audit_rows_are_kept_at_least_a_month() -> None:
    with pytest.raises(ValueError):
        remove_entries_older_than(0)
