"""Backups that restore (issue 17): back up the demo market on PostgreSQL,
drop the database and lose the stored files, restore, and find every table's
row count, the stored monthly KPIs and the files as they were."""

from __future__ import annotations

import hashlib
import io
import json
import shutil
import tarfile
from dataclasses import dataclass
from pathlib import Path

import psycopg2
import pytest

from tests.ops.commands import create_database, drop_database, manage, scratch_database_url

# A pack built, an upload waiting for its import, a rejected upload past its
# 30 days and a file no record names.
SETUP = """
import datetime
from pathlib import Path
from django.conf import settings
from django.utils import timezone
from common.months import Month
from homecare.kpis.models import MonthlyKpi
from homecare.packs.services import build_market_pack
from visits.models import ImportKind, ImportOutcome, ImportRecord
build_market_pack(Month.of(MonthlyKpi.objects.latest("month").month))
uploads = Path(settings.MEDIA_ROOT) / "imports"
uploads.mkdir(parents=True, exist_ok=True)
(uploads / "waiting.csv").write_text("provider_ref,name\\n")
ImportRecord.objects.create(
    kind=ImportKind.PROVIDERS, file_name="waiting.csv", stored_file=str(uploads / "waiting.csv")
)
(uploads / "expired.csv").write_text("a rejected file\\n")
ImportRecord.objects.create(
    kind=ImportKind.PROVIDERS, file_name="expired.csv", stored_file=str(uploads / "expired.csv"),
    outcome=ImportOutcome.REJECTED, finished_at=timezone.now() - datetime.timedelta(days=40),
)
(uploads / "orphan.csv").write_text("no record names me\\n")
"""


@dataclass
class Seeded:
    var: Path
    url: str
    name: str
    archive: Path
    counts: dict[str, int]
    kpis: list[tuple]
    files: dict[str, str]


def table_counts(name: str) -> dict[str, int]:
    conn = psycopg2.connect(dbname=name, **_server())
    try:
        with conn.cursor() as cursor:
            # Partitions (visits by month) are counted in their parent table.
            cursor.execute(
                """SELECT tablename FROM pg_tables t
                   JOIN pg_class c ON c.oid = to_regclass(quote_ident(t.tablename))
                   WHERE t.schemaname = 'public' AND NOT c.relispartition
                   ORDER BY tablename"""
            )
            tables = [row[0] for row in cursor.fetchall()]
            counts = {}
            for table in tables:
                cursor.execute(f'SELECT count(*) FROM "{table}"')
                counts[table] = cursor.fetchone()[0]
        return counts
    finally:
        conn.close()


def stored_kpis(name: str) -> list[tuple]:
    conn = psycopg2.connect(dbname=name, **_server())
    try:
        with conn.cursor() as cursor:
            cursor.execute(
                "SELECT id, scope, provider_id, lot_id, month, figures::text, details::text,"
                " thresholds::text, computed_at FROM kpis_monthlykpi ORDER BY id"
            )
            return cursor.fetchall()
    finally:
        conn.close()


def expired_upload(name: str) -> tuple[str, bool]:
    conn = psycopg2.connect(dbname=name, **_server())
    try:
        with conn.cursor() as cursor:
            cursor.execute(
                "SELECT stored_file, file_deleted_at IS NOT NULL FROM visits_importrecord"
                " WHERE file_name = 'expired.csv'"
            )
            return cursor.fetchone()
    finally:
        conn.close()


def _server() -> dict:
    from django.conf import settings

    db = settings.DATABASES["default"]
    return {
        "user": db["USER"] or None,
        "password": db["PASSWORD"] or None,
        "host": db["HOST"] or "127.0.0.1",
        "port": db["PORT"] or 5432,
    }


def media_files(var: Path) -> dict[str, str]:
    media = var / "media"
    return {
        path.relative_to(media).as_posix(): hashlib.sha256(path.read_bytes()).hexdigest()
        for path in sorted(media.rglob("*"))
        if path.is_file()
    }


@pytest.fixture(scope="module")
def seeded(tmp_path_factory: pytest.TempPathFactory):
    var = tmp_path_factory.mktemp("ops-backup")
    url, name = scratch_database_url("backup")
    create_database(name)
    manage(var, "migrate", "--noinput", database_url=url)
    # The last three months, so retention (run after the restore) keeps every visit.
    manage(var, "seed_demo", "--people", "200", database_url=url)
    manage(var, "shell", "-c", SETUP, database_url=url)
    counts, kpis, files = table_counts(name), stored_kpis(name), media_files(var)
    done = manage(var, "backup", database_url=url)
    archive = next((var / "backups").glob("homecare-backup-*.tar"))
    assert f"Backup written to {archive}" in done.stdout
    yield Seeded(var, url, name, archive, counts, kpis, files)
    drop_database(name)


def test_backup_drop_restore_gives_back_every_row_kpi_and_file(seeded: Seeded) -> None:
    assert seeded.counts["visits_visit"] > 10_000
    assert len(seeded.kpis) > 50
    drop_database(seeded.name)
    shutil.rmtree(seeded.var / "media")

    done = manage(seeded.var, "restore", str(seeded.archive), database_url=seeded.url)

    assert "Created the database, which did not exist." in done.stdout
    assert "all counts as in the manifest" in done.stdout
    assert table_counts(seeded.name) == seeded.counts
    assert stored_kpis(seeded.name) == seeded.kpis
    # Retention ran after the restore: the expired upload's record no longer
    # names a file (its counts and outcome stay).
    assert "Retention: Deleted the files of 1 rejected or failed imports" in done.stdout
    assert expired_upload(seeded.name) == ("", True)
    restored = media_files(seeded.var)
    # The pack and the waiting upload come back byte for byte; the expired
    # upload and the file nobody named do not.
    pack = [name for name in seeded.files if name.startswith("packs/")]
    assert len(pack) == 1
    assert restored == {
        name: digest
        for name, digest in seeded.files.items()
        if name not in {"imports/expired.csv", "imports/orphan.csv"}
    }


def test_the_archive_lists_what_it_left_out(seeded: Seeded) -> None:
    with tarfile.open(seeded.archive) as tar:
        names = tar.getnames()
        manifest = json.loads(tar.extractfile("manifest.json").read())  # type: ignore[union-attr]
    assert names[0] == "manifest.json"
    assert "database.dump" in names
    assert "media/imports/waiting.csv" in names
    assert "media/imports/expired.csv" not in names
    assert "media/imports/orphan.csv" not in names
    assert any("imports/expired.csv" in reason for reason in manifest["left_out"])
    assert manifest["row_counts"] == seeded.counts
    assert "0001_initial" in manifest["migrations"]["kpis"]
    assert oct(seeded.archive.stat().st_mode & 0o777) == "0o600"


def test_restore_refuses_a_database_that_holds_data(seeded: Seeded) -> None:
    done = manage(seeded.var, "restore", str(seeded.archive), database_url=seeded.url, check=False)
    assert done.returncode != 0
    assert "restore into an empty database, or pass --replace" in done.stderr


def _rewrite(archive: Path, target: Path, change) -> Path:  # type: ignore[no-untyped-def]
    """A copy of the archive with its manifest (or a member) altered."""
    with tarfile.open(archive) as source, tarfile.open(target, "w") as out:
        for member in source.getmembers():
            data = source.extractfile(member).read()  # type: ignore[union-attr]
            data = change(member.name, data)
            member.size = len(data)
            out.addfile(member, io.BytesIO(data))
    return target


def test_restore_refuses_a_backup_from_newer_code(seeded: Seeded, tmp_path: Path) -> None:
    def future(name: str, data: bytes) -> bytes:
        if name != "manifest.json":
            return data
        manifest = json.loads(data)
        manifest["migrations"]["kpis"].append("0099_from_the_future")
        return json.dumps(manifest).encode()

    newer = _rewrite(seeded.archive, tmp_path / "newer.tar", future)
    done = manage(
        seeded.var, "restore", "--replace", str(newer), database_url=seeded.url, check=False
    )
    assert done.returncode != 0
    assert "made by a newer version" in done.stderr
    assert "kpis.0099_from_the_future" in done.stderr
    assert table_counts(seeded.name) == seeded.counts  # nothing was touched


def test_restore_refuses_a_damaged_archive(seeded: Seeded, tmp_path: Path) -> None:
    def damage(name: str, data: bytes) -> bytes:
        return (
            data.replace(b"provider_ref", b"PROVIDER_REF") if name.endswith("waiting.csv") else data
        )

    damaged = _rewrite(seeded.archive, tmp_path / "damaged.tar", damage)
    done = manage(
        seeded.var, "restore", "--replace", str(damaged), database_url=seeded.url, check=False
    )
    assert done.returncode != 0
    assert "media/imports/waiting.csv does not match its checksum" in done.stderr
    assert table_counts(seeded.name) == seeded.counts


def test_restore_with_replace_overwrites_the_current_database(seeded: Seeded) -> None:
    manage(
        seeded.var,
        "shell",
        "-c",
        "from homecare.kpis.models import MonthlyKpi; MonthlyKpi.objects.all().delete()",
        database_url=seeded.url,
    )
    assert table_counts(seeded.name)["kpis_monthlykpi"] == 0

    done = manage(seeded.var, "restore", "--replace", str(seeded.archive), database_url=seeded.url)

    assert "all counts as in the manifest" in done.stdout
    assert table_counts(seeded.name) == seeded.counts
    assert stored_kpis(seeded.name) == seeded.kpis
