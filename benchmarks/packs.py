"""Time building a month's PDF packs on the current database and measure peak memory.

    python benchmarks/packs.py 2026-10

`run(month)` renders, each in a fresh child process so each peak resident set
size is its own: one provider's pack (the provider with the most visits, the
slowest), then every pack of the month (the market pack and each provider's).
Packs are rendered, not stored: nothing is written to the database or media.
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


def _child(month: str, which: str) -> None:
    import resource
    import time

    sys.path.insert(0, str(ROOT))
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "homecare.settings")
    import django

    django.setup()
    import weasyprint  # noqa: F401 - loaded before the baseline: a worker has it loaded
    from django.db import connection
    from django.db.models import Count, Q

    from common.months import Month
    from homecare.packs import builder, selectors

    parsed = Month.parse(month)
    providers = list(
        selectors.providers_with_results(parsed)
        .annotate(
            n=Count(
                "visits",
                filter=Q(
                    visits__planned_date__gte=parsed.first, visits__planned_date__lte=parsed.last
                ),
            )
        )
        .order_by("-n", "ref")
    )
    connection.ensure_connection()
    baseline = _current_rss_kib()
    started = time.perf_counter()
    pages = 0
    size = 0
    if which == "one":
        built = [builder.render_provider_pack(providers[0], parsed)]
    else:
        built = [builder.render_market_pack(parsed)]
        built += [builder.render_provider_pack(provider, parsed) for provider in providers]
    seconds = time.perf_counter() - started
    pages = sum(b.pages for b in built)
    size = sum(len(b.pdf) for b in built)
    peak = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss  # KiB on Linux
    print(
        json.dumps(
            {
                "packs": len(built),
                "provider": providers[0].ref if which == "one" else None,
                "pages": pages,
                "bytes": size,
                "seconds": round(seconds, 3),
                "peak_rss_mib": round(peak / 1024, 1),
                "peak_rss_delta_mib": round(max(peak - baseline, 0) / 1024, 1),
            }
        )
    )


def _in_child(month: str, which: str) -> dict:
    done = subprocess.run(
        [sys.executable, __file__, "--child", month, which],
        cwd=ROOT,
        capture_output=True,
        text=True,
        check=True,
    )
    return json.loads(done.stdout.strip().splitlines()[-1])


def run(month: str) -> dict:
    """Render one provider's pack and then every pack of `month` on the database
    DATABASE_URL points at; seconds, pages and peak RSS (and above the
    loaded-Django-and-WeasyPrint baseline) for each."""
    one = _in_child(month, "one")
    every = _in_child(month, "all")
    return {
        "month": month,
        "one_provider_pack": one,
        "all_packs": every,
        "seconds_per_pack": round(every["seconds"] / max(every["packs"], 1), 3),
    }


if __name__ == "__main__":
    if len(sys.argv) == 4 and sys.argv[1] == "--child":
        _child(sys.argv[2], sys.argv[3])
    else:
        print(json.dumps(run(sys.argv[1] if len(sys.argv) > 1 else "2026-10"), indent=2))
