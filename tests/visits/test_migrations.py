"""Partitioning an existing database's visits by month keeps every row: the
same count and the same checksum of every value before and after migration
visits 0004, and the rows sit in their months' partitions."""

from __future__ import annotations

import datetime as dt

import pytest
from django.db import connection

BEFORE = [("visits", "0004_visit_cancelled_at_payment_import_kinds")]
AFTER = [("visits", "0005_visits_partitioned_by_month")]
VISIT_COLUMNS = (
    "id, provider_id, visit_id, package_id, person_id, planned_start, planned_end, "
    "planned_date, actual_start, actual_end, status, ecm_verified, carer_count"
)
CARER_COLUMNS = "visit_id, care_worker_id, actual_start, actual_end, verification"


def fingerprint() -> dict[str, tuple[int, str]]:
    """Each table's row count and an md5 of all its rows, in key order."""
    found = {}
    with connection.cursor() as cursor:
        for table, columns, order in (
            ("visits_visit", VISIT_COLUMNS, "id"),
            ("visits_visitcarer", CARER_COLUMNS, "visit_id, care_worker_id"),
        ):
            cursor.execute(
                f"""SELECT COUNT(*), md5(COALESCE(string_agg(t::text, '|' ORDER BY {order}), ''))
                    FROM (SELECT {columns} FROM {table}) t"""
            )
            found[table] = cursor.fetchone()
    return found


@pytest.mark.django_db(transaction=True)
def test_partitioning_keeps_every_visit_and_care_worker_row(migrator) -> None:
    old = migrator.apply_initial_migration(BEFORE)
    Visit = old.apps.get_model("visits", "Visit")
    VisitCarer = old.apps.get_model("visits", "VisitCarer")
    CareWorker = old.apps.get_model("visits", "CareWorker")
    Provider = old.apps.get_model("providers", "Provider")
    provider = Provider.objects.create(ref="PA", name="Alpha Home Care")
    workers = [CareWorker.objects.create(provider=provider, ref=f"C{n}") for n in range(3)]
    # Fourteen months, some days on a month's edges, some double-handed.
    n = 0
    for month in range(14):
        year, index = 2025 + (month + 8) // 12, (month + 8) % 12 + 1
        for day in (1, 15, 28):
            n += 1
            start = dt.datetime(year, index, day, 7, n % 60, tzinfo=dt.UTC)
            visit = Visit.objects.create(
                provider_id=provider.pk, package_id=n, person_id=n % 7 + 1,
                visit_id=f"V{n:05d}", planned_start=start,
                planned_end=start + dt.timedelta(minutes=30), planned_date=start.date(),
                actual_start=None if n % 5 == 0 else start,
                actual_end=None if n % 5 == 0 else start + dt.timedelta(minutes=31),
                status="missed" if n % 5 == 0 else "completed", ecm_verified=n % 2 == 0,
                carer_count=0 if n % 5 == 0 else 1 + n % 2,
            )  # fmt: skip
            for worker in workers[: visit.carer_count]:
                VisitCarer.objects.create(
                    visit=visit, care_worker=worker, actual_start=visit.actual_start,
                    actual_end=visit.actual_end, verification="ecm" if n % 3 else "manual",
                )  # fmt: skip
    before = fingerprint()
    assert before["visits_visit"][0] == 42 and before["visits_visitcarer"][0] > 42

    new = migrator.apply_tested_migration(AFTER)
    assert fingerprint() == before
    with connection.cursor() as cursor:
        cursor.execute("SELECT COUNT(*) FROM visits_visit_p2026_01")
        assert cursor.fetchone()[0] == 3
        cursor.execute("SELECT COUNT(*) FROM visits_visit_default")
        assert cursor.fetchone()[0] == 0
    # Each care-worker row carries its visit's date, and new visits get new ids.
    NewVisit = new.apps.get_model("visits", "Visit")
    NewVisitCarer = new.apps.get_model("visits", "VisitCarer")
    for row in NewVisitCarer.objects.select_related("visit"):
        assert row.planned_date == row.visit.planned_date
    added = NewVisit.objects.create(
        provider_id=provider.pk, package_id=1, person_id=1, visit_id="NEW",
        planned_start=dt.datetime(2026, 10, 1, 7, tzinfo=dt.UTC),
        planned_end=dt.datetime(2026, 10, 1, 8, tzinfo=dt.UTC), planned_date=dt.date(2026, 10, 1),
        status="missed",
    )  # fmt: skip
    assert added.pk > max(NewVisit.objects.exclude(pk=added.pk).values_list("pk", flat=True))
    migrator.reset()
