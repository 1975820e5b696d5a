"""A BRIN index on visits' planned_date, on PostgreSQL only (SQLite, the demo's
database, has no BRIN and its few hundred thousand visits need no index)."""

from django.db import migrations

INDEX = "visits_visit_planned_date_brin"


def create(apps, schema_editor) -> None:
    if schema_editor.connection.vendor == "postgresql":
        schema_editor.execute(
            f"CREATE INDEX IF NOT EXISTS {INDEX} ON visits_visit USING brin (planned_date)"
        )


def drop(apps, schema_editor) -> None:
    if schema_editor.connection.vendor == "postgresql":
        schema_editor.execute(f"DROP INDEX IF EXISTS {INDEX}")


class Migration(migrations.Migration):
    dependencies = [("visits", "0001_initial")]
    operations = [migrations.RunPython(create, drop)]
