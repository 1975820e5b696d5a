"""The demo runs on SQLite: its backup is a consistent copy made with
sqlite3's online backup API, and restores the same way."""

from __future__ import annotations

import sqlite3
from pathlib import Path

from tests.ops.commands import manage

SEED = """
from providers.models import Provider
from homecare.demo.users import ensure_demo_users
Provider.objects.create(ref="P1", name="Alpha Home Care")
ensure_demo_users()
"""


def counts(path: Path) -> dict[str, int]:
    conn = sqlite3.connect(path)
    try:
        tables = [
            name
            for (name,) in conn.execute(
                "SELECT name FROM sqlite_master WHERE type='table' AND name NOT LIKE 'sqlite_%'"
            )
        ]
        return {t: conn.execute(f'SELECT count(*) FROM "{t}"').fetchone()[0] for t in tables}
    finally:
        conn.close()


def test_demo_backup_restores_after_the_database_file_is_lost(tmp_path: Path) -> None:
    manage(tmp_path, "migrate", "--noinput", database_url=None)
    manage(tmp_path, "shell", "-c", SEED, database_url=None)
    database = tmp_path / "homecare.sqlite3"
    before = counts(database)
    assert before["providers_provider"] == 1
    assert before["auth_user"] >= 4

    manage(tmp_path, "backup", database_url=None)
    (archive,) = (tmp_path / "backups").glob("homecare-backup-*.tar")
    for leftover in tmp_path.glob("homecare.sqlite3*"):
        leftover.unlink()

    done = manage(tmp_path, "restore", str(archive), database_url=None)

    assert "all counts as in the manifest" in done.stdout
    assert counts(database) == before
    refused = manage(tmp_path, "restore", str(archive), database_url=None, check=False)
    assert refused.returncode != 0
    assert "already holds data" in refused.stderr
