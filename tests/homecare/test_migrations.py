"""Moving the frame's models to the feature apps keeps every row: a database
built before the move (the frame's migrations up to 0003) migrates forward to
the new layout with the same rows, the same values and the same content types,
so permissions granted on them are kept."""

from __future__ import annotations

import datetime as dt

import pytest

BEFORE = [
    ("homecare", "0003_pack"),
    ("contracts", "0001_initial"),
    ("providers", "0002_roles"),
    ("contenttypes", "0002_remove_content_type_name"),
    ("auth", "0012_alter_user_first_name_max_length"),
]
AFTER = [
    ("homecare", "0004_models_move_to_feature_apps"),
    ("kpis", "0002_tables_named_after_app"),
    ("dashboards", "0002_tables_named_after_app"),
    ("packs", "0002_tables_named_after_app"),
]
MOVED = {
    "kpithresholds": "kpis",
    "monthlykpi": "kpis",
    "ragthreshold": "dashboards",
    "pack": "packs",
}


@pytest.mark.django_db(transaction=True)
def test_a_database_built_before_the_move_keeps_every_row(migrator) -> None:
    old = migrator.apply_initial_migration(BEFORE)
    ContentType = old.apps.get_model("contenttypes", "ContentType")
    Permission = old.apps.get_model("auth", "Permission")
    Provider = old.apps.get_model("providers", "Provider")
    Framework = old.apps.get_model("contracts", "Framework")
    Lot = old.apps.get_model("contracts", "Lot")
    MonthlyKpi = old.apps.get_model("homecare", "MonthlyKpi")
    KpiThresholds = old.apps.get_model("homecare", "KpiThresholds")
    RagThreshold = old.apps.get_model("homecare", "RagThreshold")
    Pack = old.apps.get_model("homecare", "Pack")

    # As an existing database has them: a content type and a permission per model.
    for model in MOVED:
        content_type = ContentType.objects.create(app_label="homecare", model=model)
        Permission.objects.create(
            content_type=content_type, codename=f"view_{model}", name=f"Can view {model}"
        )
    provider = Provider.objects.create(ref="PA", name="Alpha Home Care")
    framework = Framework.objects.create(name="Care 2024")
    lot = Lot.objects.create(framework=framework, name="Lot 1 - North")
    computed = dt.datetime(2026, 11, 2, 2, 0, tzinfo=dt.UTC)
    october = dt.date(2026, 10, 1)
    MonthlyKpi.objects.create(
        scope="provider",
        provider=provider,
        month=october,
        figures={"late_visits": 12},
        computed_at=computed,
    )
    MonthlyKpi.objects.create(scope="lot", lot=lot, month=october, computed_at=computed)
    MonthlyKpi.objects.create(scope="market", month=october, computed_at=computed)
    KpiThresholds.objects.create(lot=lot, late_after_minutes=20)
    RagThreshold.objects.create(measure="late_visits", green_limit=5, red_limit=12)
    Pack.objects.create(
        kind="provider",
        provider=provider,
        month=october,
        file="packs/2026-10/PA-2026-10.pdf",
        built_at=computed,
        source_stamp="abc",
    )
    before = {
        "monthlykpi": MonthlyKpi.objects.count(),
        "kpithresholds": KpiThresholds.objects.count(),
        "ragthreshold": RagThreshold.objects.count(),
        "pack": Pack.objects.count(),
    }
    permissions = Permission.objects.count()

    new = migrator.apply_tested_migration(AFTER)
    after = {
        model: new.apps.get_model(app_label, model).objects.count()
        for model, app_label in MOVED.items()
    }
    assert after == before == {"monthlykpi": 3, "kpithresholds": 1, "ragthreshold": 1, "pack": 1}
    moved_kpi = new.apps.get_model("kpis", "MonthlyKpi").objects.get(scope="provider")
    assert moved_kpi.figures == {"late_visits": 12}
    assert moved_kpi.provider.ref == "PA"
    assert new.apps.get_model("kpis", "KpiThresholds").objects.get().late_after_minutes == 20
    assert new.apps.get_model("packs", "Pack").objects.get().file == "packs/2026-10/PA-2026-10.pdf"
    NewContentType = new.apps.get_model("contenttypes", "ContentType")
    assert {(ct.app_label, ct.model) for ct in NewContentType.objects.filter(model__in=MOVED)} == {
        (app_label, model) for model, app_label in MOVED.items()
    }
    # Permissions stay attached to the moved content types: none lost, none new.
    assert new.apps.get_model("auth", "Permission").objects.count() == permissions
    migrator.reset()
