"""Time the dashboard pages on the current database and count their queries.

    DEBUG=1 DATABASE_URL=... python benchmarks/dashboards.py [2026-10]

Renders each page as a superuser through Django's test client (no server
needed) and prints, per page, the median time of a few runs and the number
of queries, which should not grow with the number of providers or visits.
"""

from __future__ import annotations

import json
import os
import statistics
import sys
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
RUNS = 5


def main(month: str | None) -> list[dict]:
    sys.path.insert(0, str(ROOT))
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "homecare.settings")
    import django

    django.setup()
    from django.contrib.auth.models import User
    from django.db import connection
    from django.test import Client
    from django.test.utils import CaptureQueriesContext

    from homecare.dashboards.selectors import computed_months
    from homecare.models import KpiScope, MonthlyKpi

    months = computed_months()
    if not months:
        raise SystemExit("No stored KPI results: run `manage.py compute_kpis --month YYYY-MM`.")
    key = month or f"{months[0]:%Y-%m}"
    user, _ = User.objects.get_or_create(
        username="dashboard-benchmark", defaults={"is_superuser": True, "is_staff": True}
    )
    client = Client(SERVER_NAME="localhost")
    client.force_login(user)
    provider_row = (
        MonthlyKpi.objects.filter(scope=KpiScope.PROVIDER, month=f"{key}-01")
        .select_related("provider")
        .order_by("-figures__scheduled_visits")
        .first()
    )
    lot_row = MonthlyKpi.objects.filter(scope=KpiScope.LOT, month=f"{key}-01").first()
    pages = [f"/market/?month={key}", f"/market/?month={key}&_export=csv"]
    if provider_row:
        base = f"/providers/{provider_row.provider.ref}/dashboard/?month={key}"
        pages += [base, base + "&kind=late"]
    if lot_row:
        pages.append(f"/lots/{lot_row.lot_id}/?month={key}")
    results = []
    for path in pages:
        timings = []
        queries = 0
        for _ in range(RUNS):
            with CaptureQueriesContext(connection) as captured:
                started = time.perf_counter()
                response = client.get(path)
                timings.append(time.perf_counter() - started)
            queries = len(captured)
            assert response.status_code == 200, (path, response.status_code)
        results.append(
            {
                "page": path,
                "median_seconds": round(statistics.median(timings), 4),
                "queries": queries,
            }
        )
    user.delete()
    return results


if __name__ == "__main__":
    for row in main(sys.argv[1] if len(sys.argv) > 1 else None):
        print(json.dumps(row))
