"""What every benchmark step shares: where things are, running a child process
and measuring it, a fresh database, the environment Django runs in, and
gunicorn serving the app as in production."""

from __future__ import annotations

import os
import socket
import subprocess
import sys
import tempfile
import time
import urllib.request
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass
from pathlib import Path
from urllib.parse import urlparse

import psycopg2

ROOT = Path(__file__).resolve().parent.parent
PY = sys.executable
BIN = Path(PY).parent
WORK = ROOT / "var" / "bench"
MONTH = "2026-10"
# One key for every step, so a session made in one process is valid on gunicorn.
SECRET_KEY = "benchmark-only-not-secret"


@dataclass
class Measured:
    seconds: float
    peak_mb: float
    output: str
    cpu_seconds: float = 0.0


def measure(args: list[str], env: dict[str, str]) -> Measured:
    """Run a child process; its wall time and peak RSS."""
    with tempfile.TemporaryFile() as out:
        started = time.perf_counter()
        child = subprocess.Popen(args, cwd=ROOT, env=env, stdout=out, stderr=subprocess.STDOUT)
        _, status, usage = os.wait4(child.pid, 0)
        seconds = time.perf_counter() - started
        out.seek(0)
        text = out.read().decode(errors="replace")
    if os.waitstatus_to_exitcode(status) != 0:
        raise SystemExit(f"{' '.join(args)} failed:\n{text}")
    return Measured(seconds, usage.ru_maxrss / 1024, text, usage.ru_utime + usage.ru_stime)


def manage(*args: str) -> list[str]:
    return [PY, "manage.py", *args]


def connect(url: str, dbname: str | None = None):
    parts = urlparse(url)
    return psycopg2.connect(
        dbname=dbname or parts.path.lstrip("/"),
        user=parts.username or "postgres",
        password=parts.password,
        host=parts.hostname or "127.0.0.1",
        port=parts.port or 5432,
    )


def database(url: str) -> str:
    return urlparse(url).path.lstrip("/")


def reset_database(url: str) -> None:
    name = database(url)
    admin = connect(url, "postgres")
    admin.autocommit = True
    with admin.cursor() as cursor:
        cursor.execute(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)')
        cursor.execute(f'CREATE DATABASE "{name}"')
    admin.close()


def env_for(url: str) -> dict[str, str]:
    env = {**os.environ, "DEBUG": "1", "DATABASE_URL": url, "PYTHONPATH": str(ROOT)}
    env["DJANGO_SETTINGS_MODULE"] = "homecare.settings"
    env["SECRET_KEY"] = SECRET_KEY
    # Imports would queue KPI recomputes; the benchmark measures each step alone.
    env["CELERY_BROKER_URL"] = os.environ.get("CELERY_BROKER_URL") or "redis://127.0.0.1:6379/15"
    return env


def production_env(url: str) -> dict[str, str]:
    """DEBUG off, as deployed, but over plain http on the loopback."""
    return {
        **env_for(url),
        "DEBUG": "0",
        "ALLOWED_HOSTS": "127.0.0.1",
        "SECURE_COOKIES": "false",
        "SECURE_SSL_REDIRECT": "false",
        "LOG_LEVEL": "WARNING",
    }


def seed_demo(url: str) -> Measured:
    """A fresh database holding the demo market, its KPIs computed, static
    files collected for gunicorn (whitenoise)."""
    env = env_for(url)
    reset_database(url)
    measure(manage("migrate", "--noinput", "-v0"), env)
    # Tasks inline: the seed computes each month once, and queues no packs.
    seed = measure(
        manage("seed_demo", "--end-month", MONTH, "--out", str(WORK / "demo")),
        {**env, "CELERY_BROKER_URL": ""},
    )
    measure(manage("collectstatic", "--noinput", "-v0"), env)
    return seed


def free_port() -> int:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return probe.getsockname()[1]


def wait_for(url: str) -> None:
    for _ in range(60):
        try:
            urllib.request.urlopen(url, timeout=2)
            return
        except Exception:
            time.sleep(0.5)
    raise SystemExit(f"{url} did not answer")


def stop(process: subprocess.Popen, timeout: float = 60) -> None:
    """SIGTERM (a graceful stop for gunicorn and Celery alike), then SIGKILL."""
    if process.poll() is not None:
        return
    process.terminate()
    try:
        process.wait(timeout=timeout)
    except subprocess.TimeoutExpired:
        process.kill()
        process.wait()


@dataclass
class Served:
    url: str
    pid: int


@contextmanager
def gunicorn(
    env: dict[str, str], *, workers: int, threads: int = 1, log: Path | None = None
) -> Iterator[Served]:
    """The app under gunicorn on a free loopback port: its base URL and the
    master's process id (its workers are the master's children)."""
    port = free_port()
    server = subprocess.Popen(
        [
            str(BIN / "gunicorn"),
            "homecare.wsgi:application",
            "--bind",
            f"127.0.0.1:{port}",
            "--workers",
            str(workers),
            "--threads",
            str(threads),
            "--log-level",
            "warning",
            *(["--error-logfile", str(log)] if log else []),
        ],
        cwd=ROOT,
        env=env,
    )
    base = f"http://127.0.0.1:{port}"
    try:
        wait_for(f"{base}/login/")
        yield Served(base, server.pid)
    finally:
        stop(server, timeout=30)
