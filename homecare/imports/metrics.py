"""Imports counted for Prometheus and logged in one line each: how many ran,
how many rows they read and how long they took, by kind and outcome.
`run_import` calls `record_import` once an import has its outcome."""

from __future__ import annotations

import logging

from prometheus_client import Counter, Histogram

from visits.models import ImportRecord

logger = logging.getLogger("homecare.imports")

IMPORTS = Counter("homecare_imports", "Imports finished, by kind and outcome.", ["kind", "outcome"])
IMPORT_ROWS = Counter(
    "homecare_import_rows",
    "Rows read by imports that finished, by kind and outcome.",
    ["kind", "outcome"],
)
IMPORT_SECONDS = Histogram(
    "homecare_import_duration_seconds",
    "How long imports took, by kind and outcome.",
    ["kind", "outcome"],
    buckets=(0.5, 1, 5, 15, 60, 300, 900, 1800, 3600, float("inf")),
)


def record_import(record: ImportRecord) -> None:
    labels = {"kind": record.kind, "outcome": record.outcome}
    IMPORTS.labels(**labels).inc()
    IMPORT_ROWS.labels(**labels).inc(record.rows)
    seconds = None
    if record.started_at and record.finished_at:
        seconds = (record.finished_at - record.started_at).total_seconds()
        IMPORT_SECONDS.labels(**labels).observe(seconds)
    logger.info(
        "Import %s (%s) %s: %s rows",
        record.pk,
        record.kind,
        record.outcome,
        f"{record.rows:,}",
        extra={
            "import_id": record.pk,
            "kind": record.kind,
            "outcome": record.outcome,
            "rows": record.rows,
            "errors": record.error_count,
            "duration_ms": None if seconds is None else round(seconds * 1000, 1),
        },
    )
