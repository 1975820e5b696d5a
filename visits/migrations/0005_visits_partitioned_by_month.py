"""Visits and their care-worker rows partitioned by month on PostgreSQL (issue 16).

Care-worker rows gain their visit's planned_date (filled from the visits), the
partition key of both tables. Then, on PostgreSQL only, each table is rebuilt
as a range-partitioned table holding the same rows: a partition for every
month that has visits, this month and the next three, and a default partition
(see visits/partitions.py). SQLite keeps its plain tables. Care-worker rows
whose visit no longer exists (none should: deletes cascade) cannot be given a
month and are removed.
"""

import django.utils.timezone
from django.db import migrations, models

from visits.partitions import months_to_create, partition_table, unpartition_table

AHEAD = 3


def fill_planned_date(apps, schema_editor) -> None:
    schema_editor.execute(
        "DELETE FROM visits_visitcarer WHERE NOT EXISTS ("
        " SELECT 1 FROM visits_visit v WHERE v.id = visits_visitcarer.visit_id)"
    )
    schema_editor.execute(
        "UPDATE visits_visitcarer SET planned_date = ("
        " SELECT v.planned_date FROM visits_visit v WHERE v.id = visits_visitcarer.visit_id)"
    )


def partition(apps, schema_editor) -> None:
    if schema_editor.connection.vendor != "postgresql":
        return
    with schema_editor.connection.cursor() as cursor:
        today = django.utils.timezone.now().date()
        months = months_to_create(cursor, "visits_visit", today, AHEAD)
        partition_table(cursor, "visits_visit", months)
        partition_table(cursor, "visits_visitcarer", months)


def unpartition(apps, schema_editor) -> None:
    if schema_editor.connection.vendor != "postgresql":
        return
    with schema_editor.connection.cursor() as cursor:
        unpartition_table(cursor, "visits_visitcarer")
        unpartition_table(cursor, "visits_visit")


class Migration(migrations.Migration):
    dependencies = [("visits", "0004_visit_cancelled_at_payment_import_kinds")]

    operations = [
        migrations.AddField(
            model_name="visitcarer",
            name="planned_date",
            field=models.DateField(null=True),
        ),
        migrations.RunPython(fill_planned_date, migrations.RunPython.noop),
        migrations.AlterField(
            model_name="visitcarer",
            name="planned_date",
            field=models.DateField(),
        ),
        migrations.RunPython(partition, unpartition),
    ]
