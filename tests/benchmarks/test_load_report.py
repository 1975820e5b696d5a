"""The load step's report (benchmarks/load.py): its section of
docs/benchmarks.md, and the figures it works out from locust's request log."""

from __future__ import annotations

import csv
from pathlib import Path

from benchmarks import load


def stats_row(name: str, requests: int, failures: int, p95: float) -> dict:
    return {
        "name": name,
        "method": "GET",
        "requests": requests,
        "failures": failures,
        "p50": p95 / 3,
        "p95": p95,
        "p99": p95 * 1.5,
        "max": p95 * 2,
    }


def results(*, failures: int = 0, p95: float = 180.0) -> dict:
    kinds = [kind for kind, _ in load.KINDS]
    stats = [stats_row(kind, 40, 0, 120.0) for kind in kinds]
    stats.append(stats_row("Aggregated", 40 * len(kinds), failures, p95))
    slice_ = {"requests": 500, "failures": 0, "p50": 40, "p95": 150, "p99": 300, "max": 900}
    return {
        "stats": stats,
        "failures": [{"name": "market overview", "error": "HTTP 500", "count": failures}]
        if failures
        else [],
        "slices": {"pages": slice_, "after_logins": slice_, "logins_seconds": 14.0},
        "imports": {"succeeded": 15},
        "worker_errors": 0,
        "drain_seconds": 42.0,
        "load_average": (0.4, 1.9),
        "load_seconds": 121.0,
        "cpu": {
            "web": 60.0,
            "database": 20.0,
            "worker": 50.0,
            "locust": 10.0,
            "machine": 150.0,
            "worker_in_all": 120.0,
        },
        "packs": {"built": 75, "up_to_date": 74},
        "packs_seconds": 61.0,
    }


def test_running_the_load_step_alone_keeps_the_other_sections(tmp_path: Path) -> None:
    doc = tmp_path / "benchmarks.md"
    doc.write_text(
        "# Benchmarks\n\n## Importing a file\n\nimport figures\n\n"
        f"{load.SECTION}\n\nlast run's figures\n\n## Monthly PDF packs\n\npack figures\n"
    )
    load.write_section(results(), doc)
    text = doc.read_text()
    assert "import figures" in text and "pack figures" in text
    assert "last run's figures" not in text
    assert text.count(load.SECTION) == 1
    # Where it was: between the sections around it.
    assert text.index("## Importing") < text.index(load.SECTION) < text.index("## Monthly")


def test_a_first_run_adds_the_section_at_the_end(tmp_path: Path) -> None:
    doc = tmp_path / "benchmarks.md"
    doc.write_text("# Benchmarks\n\n## Importing a file\n\nimport figures\n")
    load.write_section(results(), doc)
    text = doc.read_text()
    assert text.index("import figures") < text.index(load.SECTION)
    assert "| **all requests** | 520 | 0 | 60 ms | 180 ms | 270 ms | 360 ms |" in text
    # 150 core-seconds busy on the machine, 140 of them the stack's own.
    assert "gunicorn 60 s (115 ms a request" in text and "machine's other work 10 s" in text
    assert "cost the worker 120 s of CPU in all, during the load and after (8.0 s each)" in text


def test_the_verdict_follows_errors_and_the_95th_percentile() -> None:
    assert "under 500 ms over all requests: met" in "\n".join(load.section(results()))
    slow = "\n".join(load.section(results(p95=640.0)))
    assert "**missed**" in slow and "95th percentile 640 ms" in slow
    failing = "\n".join(load.section(results(failures=3)))
    assert "**missed**" in failing and "3 failed of 520" in failing
    assert "| market overview | HTTP 500 | 3 |" in failing


def test_a_page_kind_never_reached_is_named() -> None:
    figures = results()
    figures["stats"] = [row for row in figures["stats"] if row["name"] != "lot page"]
    assert "**Not reached** (no link found to them): lot page." in "\n".join(load.section(figures))


def test_slices_leave_out_the_log_in_and_start_after_the_last_one(tmp_path: Path) -> None:
    log = tmp_path / "requests.csv"
    rows = [
        (100.0, "log in: submit", 2000.0, 0),  # done at 102.0
        (100.5, "market overview", 900.0, 0),  # during the log-ins
        (101.0, "log in: submit", 3000.0, 0),  # the last, done at 104.0
        (104.5, "market overview", 50.0, 0),
        (105.0, "provider dashboard", 70.0, 1),
        (106.0, "packs list", 30.0, 0),
    ]
    with log.open("w", newline="") as handle:
        csv.writer(handle).writerows(rows)
    slices = load._slices(log)
    assert slices["logins_seconds"] == 4.0
    assert slices["pages"]["requests"] == 4
    assert slices["pages"]["max"] == 900.0
    assert slices["after_logins"]["requests"] == 3
    assert slices["after_logins"]["failures"] == 1
    assert slices["after_logins"]["p50"] == 50.0
    assert slices["after_logins"]["max"] == 70.0
