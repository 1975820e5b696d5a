"""The app as deployed: a subprocess with production settings (DEBUG off, a
real-looking secret key, allowed hosts), since the HTTPS settings are read
from the environment when settings load."""

from __future__ import annotations

import os
import secrets
import subprocess
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parents[2]
HOST = "homecare.example.gov.uk"


def production_env(var_dir: Path, **extra: str) -> dict[str, str]:
    env = {
        k: v
        for k, v in os.environ.items()
        if not k.startswith(("DEBUG", "SECURE_", "CELERY_", "DATABASE_URL"))
    }
    env.update(
        SECRET_KEY=secrets.token_urlsafe(50),
        ALLOWED_HOSTS=HOST,
        HOMECARE_VAR_DIR=str(var_dir),
        DATABASE_URL=f"sqlite:///{var_dir / 'production.sqlite3'}",
        LOG_FORMAT="text",
        DJANGO_SETTINGS_MODULE="homecare.settings",
        **extra,
    )
    return env


def run_python(code: str, env: dict[str, str]) -> subprocess.CompletedProcess[str]:
    return subprocess.run(
        [sys.executable, "-c", code], cwd=ROOT, env=env, capture_output=True, text=True, timeout=120
    )


def manage(args: list[str], env: dict[str, str]) -> subprocess.CompletedProcess[str]:
    return subprocess.run(
        [sys.executable, "manage.py", *args],
        cwd=ROOT,
        env=env,
        capture_output=True,
        text=True,
        timeout=120,
    )
