"""The database half of a backup: PostgreSQL through pg_dump and pg_restore,
SQLite (the demo) through sqlite3's online backup API. Both give a consistent
copy while the service keeps running."""

from __future__ import annotations

import os
import re
import shutil
import sqlite3
import subprocess
from pathlib import Path
from typing import Any

import psycopg2
from django.conf import settings
from django.db import connection
from psycopg2 import sql

from homecare.ops.archive import ArchiveError

VERSION = re.compile(r"\(PostgreSQL\)\s+(\d+)")


class DatabaseToolError(ArchiveError):
    """pg_dump or pg_restore is missing, too old, or failed."""


# PostgreSQL ------------------------------------------------------------------


def _settings() -> dict[str, Any]:
    return dict(settings.DATABASES["default"])


def pg_tool(name: str) -> str:
    folder = getattr(settings, "PG_BIN_DIR", "")
    found = str(Path(folder) / name) if folder else shutil.which(name)
    if not found or not Path(found).exists():
        raise DatabaseToolError(
            f"{name} was not found. Install the PostgreSQL client tools of the server's "
            "version, or set PG_BIN_DIR to the folder that holds them."
        )
    return found


def tool_major(path: str) -> int:
    output = subprocess.run([path, "--version"], capture_output=True, text=True, check=True).stdout
    match = VERSION.search(output)
    if not match:
        raise DatabaseToolError(f"Could not read the version of {path}: {output.strip()}")
    return int(match.group(1))


def server_major() -> int:
    connection.ensure_connection()
    version = connection.cursor().connection.server_version
    return int(version) // 10000


def tool_version_text(path: str) -> str:
    return subprocess.run([path, "--version"], capture_output=True, text=True).stdout.strip()


def _pg_env() -> dict[str, str]:
    """Connection settings for the client tools, in their own variables so
    the password never appears on a command line."""
    db = _settings()
    env = {**os.environ, "PGDATABASE": str(db["NAME"]), "PGAPPNAME": "homecare-backup"}
    for key, variable in (("HOST", "PGHOST"), ("PORT", "PGPORT"), ("USER", "PGUSER")):
        if db.get(key):
            env[variable] = str(db[key])
    if db.get("PASSWORD"):
        env["PGPASSWORD"] = str(db["PASSWORD"])
    sslmode = (db.get("OPTIONS") or {}).get("sslmode")
    if sslmode:
        env["PGSSLMODE"] = str(sslmode)
    return env


def _run(command: list[str]) -> None:
    done = subprocess.run(command, env=_pg_env(), capture_output=True, text=True)
    if done.returncode != 0:
        name = Path(command[0]).name
        raise DatabaseToolError(f"{name} failed ({done.returncode}):\n{done.stderr.strip()}")


def check_tool(name: str) -> str:
    """The tool, if it is at least the server's version (an older pg_dump
    cannot read a newer server, and says so less plainly)."""
    path = pg_tool(name)
    tool, server = tool_major(path), server_major()
    if tool < server:
        raise DatabaseToolError(
            f"{name} is version {tool} but the server is PostgreSQL {server}: install the "
            f"version {server} client tools, or set PG_BIN_DIR to where they are."
        )
    return path


def pg_dump(target: Path, snapshot: str) -> str:
    """Dump in the custom format from the exported snapshot, so the dump
    holds exactly the rows the manifest counted."""
    tool = check_tool("pg_dump")
    _run([tool, "--format=custom", f"--snapshot={snapshot}", f"--file={target}"])
    return tool_version_text(tool)


def pg_restore(dump: Path) -> None:
    """Restore in one transaction, stopping at the first error: all or
    nothing. Owners and grants are left out, so the archive restores under
    whichever role the service uses here."""
    tool = check_tool("pg_restore")
    _run([tool, "--list", str(dump)])  # readable at all, before anything changes
    _run(
        [
            tool,
            "--no-owner",
            "--no-privileges",
            "--exit-on-error",
            "--single-transaction",
            f"--dbname={_settings()['NAME']}",
            str(dump),
        ]
    )


def _maintenance_connection() -> Any:
    db = _settings()
    conn = psycopg2.connect(
        dbname="postgres",
        user=db.get("USER") or None,
        password=db.get("PASSWORD") or None,
        host=db.get("HOST") or None,
        port=db.get("PORT") or None,
    )
    conn.autocommit = True
    return conn


def ensure_postgres_database() -> bool:
    """Create the configured database when it does not exist (the server was
    rebuilt, or it was dropped). True if it was created."""
    name = str(_settings()["NAME"])
    conn = _maintenance_connection()
    try:
        with conn.cursor() as cursor:
            cursor.execute("SELECT 1 FROM pg_database WHERE datname = %s", [name])
            if cursor.fetchone():
                return False
            cursor.execute(sql.SQL("CREATE DATABASE {}").format(sql.Identifier(name)))
            return True
    finally:
        conn.close()


def drop_postgres_tables() -> None:
    """Empty the database for --replace: everything in the public schema goes."""
    with connection.cursor() as cursor:
        cursor.execute("DROP SCHEMA public CASCADE")
        cursor.execute("CREATE SCHEMA public")


# SQLite ----------------------------------------------------------------------


def sqlite_path() -> Path:
    return Path(str(_settings()["NAME"]))


def sqlite_copy(source: Path, target: Path) -> None:
    """sqlite3's online backup: a consistent copy even while the demo writes."""
    src = sqlite3.connect(source)
    dst = sqlite3.connect(target)
    try:
        src.backup(dst)
    finally:
        dst.close()
        src.close()


def sqlite_tables(path: Path) -> list[str]:
    conn = sqlite3.connect(path)
    try:
        rows = conn.execute(
            "SELECT name FROM sqlite_master WHERE type = 'table' AND name NOT LIKE 'sqlite_%'"
        ).fetchall()
    finally:
        conn.close()
    return sorted(str(name) for (name,) in rows)


def sqlite_facts(path: Path) -> tuple[dict[str, int], dict[str, list[str]]]:
    """Row counts and applied migrations of a SQLite file."""
    conn = sqlite3.connect(path)
    try:
        counts = {
            table: int(conn.execute(f'SELECT count(*) FROM "{table}"').fetchone()[0])
            for table in sqlite_tables(path)
        }
        migrations: dict[str, list[str]] = {}
        if "django_migrations" in counts:
            for app, name in conn.execute("SELECT app, name FROM django_migrations ORDER BY id"):
                migrations.setdefault(app, []).append(name)
    finally:
        conn.close()
    return counts, migrations


def sqlite_restore(copy: Path, *, replace: bool) -> None:
    target = sqlite_path()
    connection.close()
    if target.exists() and sqlite_tables(target) and not replace:
        raise ArchiveError(
            f"{target} already holds data: restore into an empty database, "
            "or pass --replace to overwrite it."
        )
    for suffix in ("", "-wal", "-shm", "-journal"):
        Path(f"{target}{suffix}").unlink(missing_ok=True)
    target.parent.mkdir(parents=True, exist_ok=True)
    sqlite_copy(copy, target)
