"""Applying every retention period at once: the nightly task and the command.

The periods themselves live with the data: visits in `visits.retention`,
uploaded files in `homecare.imports.uploads`. docs/security.md lists them.
"""

from __future__ import annotations

import logging

from homecare.audit.services import remove_entries_older_than
from homecare.imports.uploads import delete_expired_uploads
from homecare.kpis.services import forget_people_before
from visits.retention import apply_visit_retention

logger = logging.getLogger(__name__)


def apply_retention(
    *, months: int | None = None, days: int | None = None, dry_run: bool = False
) -> list[str]:
    """Delete visits older than `months` (VISIT_RETENTION_MONTHS) with the
    lists of people behind those months' results (the figures stay), and the
    files of imports that failed more than `days` ago
    (FAILED_UPLOAD_RETENTION_DAYS); with dry_run, only say what would go.
    Returns what was (or would be) done."""
    visits = apply_visit_retention(months, dry_run=dry_run)
    lists = forget_people_before(visits.kept_from, dry_run=dry_run)
    uploads = delete_expired_uploads(days, dry_run=dry_run)
    verb = "Would clear" if dry_run else "Cleared"
    lines = [
        *visits.lines(),
        f"{verb} the lists of people behind {lists:,} monthly results of those months; "
        "their figures stay.",
        *uploads.lines(dry_run),
        # The audit trail has its own period (AUDIT_RETENTION_MONTHS).
        remove_entries_older_than(dry_run=dry_run),
    ]
    if not dry_run:
        logger.info("Retention applied. %s", " ".join(lines))
    return lines
