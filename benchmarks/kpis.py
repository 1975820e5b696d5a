"""Time the monthly KPI computation on the current database and measure its peak memory.

    python benchmarks/kpis.py 2026-10

`run(month)` runs compute_kpis in a fresh child process, so the peak resident
set size it reports is that of the computation alone (the child's peak RSS
minus its RSS once Django is loaded), not of whatever ran before.
"""

from __future__ import annotations

import json
import os
import subprocess
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent


def _current_rss_kib() -> int:
    with open("/proc/self/status") as status:
        for line in status:
            if line.startswith("VmRSS:"):
                return int(line.split()[1])
    return 0


def _child(month: str) -> None:
    import resource
    import time

    sys.path.insert(0, str(ROOT))
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "homecare.settings")
    import django

    django.setup()
    from django.db import connection

    from homecare.kpis.services import compute_month_kpis
    from visits.models import Visit

    visits = Visit.objects.filter(planned_date__startswith=month).count()
    connection.ensure_connection()
    baseline = _current_rss_kib()
    started = time.perf_counter()
    summary = compute_month_kpis(month)
    seconds = time.perf_counter() - started
    peak = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss  # KiB on Linux
    print(
        json.dumps(
            {
                "month": month,
                "database": connection.vendor,
                "visits": visits,
                "providers": len(summary.providers),
                "lots": summary.lots,
                "seconds": round(seconds, 3),
                "peak_rss_mib": round(peak / 1024, 1),
                "peak_rss_delta_mib": round(max(peak - baseline, 0) / 1024, 1),
            }
        )
    )


def run(month: str) -> dict:
    """Compute `month`'s KPIs on the database DATABASE_URL points at; returns
    seconds, peak RSS and the peak RSS above the loaded-Django baseline."""
    done = subprocess.run(
        [sys.executable, __file__, "--child", month],
        cwd=ROOT,
        capture_output=True,
        text=True,
        check=True,
    )
    return json.loads(done.stdout.strip().splitlines()[-1])


if __name__ == "__main__":
    if len(sys.argv) == 3 and sys.argv[1] == "--child":
        _child(sys.argv[2])
    elif len(sys.argv) == 2:
        print(json.dumps(run(sys.argv[1]), indent=2))
    else:
        sys.exit("usage: python benchmarks/kpis.py YYYY-MM")
