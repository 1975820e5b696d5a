"""The frame's models moved to the feature apps that own them (kpis,
dashboards, packs). Their tables stay where they are: this migration only
removes them from the frame's record, and moves their content types so the
permissions granted on them are kept."""

from django.db import migrations

MOVED = {
    "kpithresholds": "kpis",
    "monthlykpi": "kpis",
    "ragthreshold": "dashboards",
    "pack": "packs",
}


def move_content_types(apps, schema_editor):
    ContentType = apps.get_model("contenttypes", "ContentType")
    for model, app_label in MOVED.items():
        # A fresh database has no content types yet; post_migrate makes them.
        ContentType.objects.filter(app_label="homecare", model=model).update(app_label=app_label)


def move_content_types_back(apps, schema_editor):
    ContentType = apps.get_model("contenttypes", "ContentType")
    for model, app_label in MOVED.items():
        ContentType.objects.filter(app_label=app_label, model=model).update(app_label="homecare")


class Migration(migrations.Migration):
    dependencies = [
        ("homecare", "0003_pack"),
        ("contenttypes", "0002_remove_content_type_name"),
        ("kpis", "0001_initial"),
        ("dashboards", "0001_initial"),
        ("packs", "0001_initial"),
    ]

    operations = [
        migrations.SeparateDatabaseAndState(
            state_operations=[
                migrations.DeleteModel(name="Pack"),
                migrations.DeleteModel(name="RagThreshold"),
                migrations.DeleteModel(name="MonthlyKpi"),
                migrations.DeleteModel(name="KpiThresholds"),
            ],
            database_operations=[],
        ),
        migrations.RunPython(move_content_types, move_content_types_back),
    ]
