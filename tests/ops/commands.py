"""Running manage.py as an operator would, in its own process, against a
database of the test's own (so a test may drop it) and a folder of its own."""

from __future__ import annotations

import os
import subprocess
import sys
from pathlib import Path

import psycopg2
from django.conf import settings
from psycopg2 import sql

ROOT = Path(__file__).resolve().parents[2]


def scratch_database_url(suffix: str) -> tuple[str, str]:
    """A PostgreSQL database beside the suite's test database: (url, name)."""
    db = settings.DATABASES["default"]
    base = str(db["NAME"]).removeprefix("test_")
    name = f"test_{base}_{suffix}"
    auth = str(db["USER"]) + (f":{db['PASSWORD']}" if db["PASSWORD"] else "")
    url = f"postgres://{auth}@{db['HOST'] or '127.0.0.1'}:{db['PORT'] or 5432}/{name}"
    return url, name


def admin_connection():  # type: ignore[no-untyped-def]
    db = settings.DATABASES["default"]
    conn = psycopg2.connect(
        dbname="postgres",
        user=db["USER"] or None,
        password=db["PASSWORD"] or None,
        host=db["HOST"] or "127.0.0.1",
        port=db["PORT"] or 5432,
    )
    conn.autocommit = True
    return conn


def drop_database(name: str) -> None:
    conn = admin_connection()
    try:
        with conn.cursor() as cursor:
            cursor.execute(
                sql.SQL("DROP DATABASE IF EXISTS {} WITH (FORCE)").format(sql.Identifier(name))
            )
    finally:
        conn.close()


def create_database(name: str) -> None:
    drop_database(name)
    conn = admin_connection()
    try:
        with conn.cursor() as cursor:
            cursor.execute(sql.SQL("CREATE DATABASE {}").format(sql.Identifier(name)))
    finally:
        conn.close()


def manage(
    var_dir: Path,
    *args: str,
    database_url: str | None,
    check: bool = True,
    env: dict[str, str] | None = None,
) -> subprocess.CompletedProcess[str]:
    """`python manage.py ARGS` with DEBUG on, tasks in-process (no broker) and
    VAR_DIR (and so MEDIA_ROOT and BACKUP_DIR) in `var_dir`."""
    environment = {
        key: value
        for key, value in os.environ.items()
        if key not in {"DATABASE_URL", "CELERY_BROKER_URL", "CELERY_RESULT_BACKEND"}
    }
    environment.update(
        {"DEBUG": "1", "HOMECARE_VAR_DIR": str(var_dir), "CONN_MAX_AGE": "0", "LOG_FORMAT": "text"}
    )
    if database_url:
        environment["DATABASE_URL"] = database_url
    environment.update(env or {})
    done = subprocess.run(
        [sys.executable, "manage.py", *args],
        cwd=ROOT,
        env=environment,
        capture_output=True,
        text=True,
        timeout=600,
    )
    if check and done.returncode != 0:
        raise AssertionError(
            f"manage.py {' '.join(args)} failed ({done.returncode}):\n{done.stdout}\n{done.stderr}"
        )
    return done
