"""Visits by month on PostgreSQL: a month's query reads one partition, months
are made ahead and by the importer, and retention drops a month's partitions."""

from __future__ import annotations

import datetime as dt
import io
import re

import pytest
from django.db import connection
from django.db.models import Count

from common.months import Month
from tests.common.importing import HEADERS, csv_bytes, load_reference_data
from tests.factories import VisitCarerFactory, VisitFactory
from visits import partitions
from visits.imports import import_visits
from visits.models import Visit, VisitCarer
from visits.retention import apply_visit_retention, first_kept_day

pytestmark = pytest.mark.django_db

OCTOBER = Month.parse("2026-10")


def tables_in(plan: str) -> set[str]:
    """The tables a plan reads (every kind of scan names its table after 'on')."""
    return set(re.findall(r"Scan(?: using \w+)? on (\w+)", plan))


def test_both_tables_are_partitioned_on_postgresql() -> None:
    assert partitions.is_partitioned()
    with connection.cursor() as cursor:
        cursor.execute(
            "SELECT relname, relkind FROM pg_class WHERE relname IN %s",
            [tuple(partitions.TABLES)],
        )
        assert dict(cursor.fetchall()) == {"visits_visit": "p", "visits_visitcarer": "p"}


def test_a_month_query_reads_only_that_months_partition() -> None:
    partitions.ensure_months([OCTOBER, OCTOBER.previous()])
    VisitCarerFactory(visit=VisitFactory())
    month = Visit.objects.filter(planned_date__range=(OCTOBER.first, OCTOBER.last))
    plan = month.values("provider").annotate(n=Count("id")).explain()
    assert tables_in(plan) == {"visits_visit_p2026_10"}, plan
    carers = VisitCarer.objects.filter(planned_date__range=(OCTOBER.first, OCTOBER.last))
    plan = carers.explain()
    assert tables_in(plan) == {"visits_visitcarer_p2026_10"}, plan


def test_making_a_month_moves_its_rows_out_of_the_default_partition() -> None:
    far = dt.datetime(2031, 5, 6, 9, 0, tzinfo=dt.UTC)
    carer_row = VisitCarerFactory(visit=VisitFactory(planned_start=far))
    with connection.cursor() as cursor:
        cursor.execute("SELECT COUNT(*) FROM visits_visit_default")
        assert cursor.fetchone()[0] == 1
    assert partitions.ensure_months([Month.parse("2031-05")]) == ["2031-05"]
    assert partitions.ensure_months([Month.parse("2031-05")]) == []
    with connection.cursor() as cursor:
        cursor.execute("SELECT COUNT(*) FROM visits_visit_default")
        assert cursor.fetchone()[0] == 0
        cursor.execute("SELECT COUNT(*) FROM visits_visitcarer_p2031_05")
        assert cursor.fetchone()[0] == 1
    assert Visit.objects.get().pk == carer_row.visit_id
    assert VisitCarer.objects.get().planned_date == dt.date(2031, 5, 6)


VISIT = ["V1", "K1", "C1", "{day}T07:00:00", "{day}T07:30:00", "{day}T07:05:00",
         "{day}T07:35:00", "completed", "ecm"]  # fmt: skip


def visits_file(day: str, carers: tuple[str, ...] = ("C1",)) -> bytes:
    rows = []
    for carer in carers:
        row = [cell.format(day=day) for cell in VISIT]
        row[2] = carer
        rows.append(row)
    return csv_bytes(HEADERS["visits"], rows)


@pytest.mark.parametrize("path", ["sql", "python"])
def test_an_import_makes_its_months_and_a_visit_that_moves_month_moves_whole(path) -> None:
    load_reference_data(upto="reviews")
    import_visits(io.BytesIO(visits_file("2026-09-30", ("C1", "C2"))), path=path)
    assert "2026-09" in partitions.month_partitions()
    first_id = Visit.objects.get().pk
    result = import_visits(io.BytesIO(visits_file("2026-10-01", ("C2",))), path=path)
    assert result.months_touched == ["2026-09", "2026-10"]
    assert (result.created, result.updated) == (0, 1)
    visit = Visit.objects.get()
    assert (visit.pk, visit.planned_date) == (first_id, dt.date(2026, 10, 1))
    assert list(VisitCarer.objects.values_list("care_worker__ref", "planned_date")) == [
        ("C2", dt.date(2026, 10, 1))
    ]


def test_retention_drops_an_old_months_partitions(settings) -> None:
    settings.VISIT_RETENTION_MONTHS = 3
    old = Month.of(first_kept_day() - dt.timedelta(days=1))
    partitions.ensure_months([old])
    start = dt.datetime.combine(old.first, dt.time(9), tzinfo=dt.UTC)
    VisitCarerFactory(visit=VisitFactory(planned_start=start))
    kept = VisitCarerFactory(visit=VisitFactory(planned_start=dt.datetime.now(dt.UTC)))
    report = apply_visit_retention()
    assert (report.visits, report.carer_rows) == (1, 1)
    assert old.key not in partitions.month_partitions()
    assert old.key not in partitions.month_partitions("visits_visitcarer")
    assert list(Visit.objects.values_list("pk", flat=True)) == [kept.visit_id]
