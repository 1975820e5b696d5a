"""Runs an import of any kind and keeps its record; the one path for the
command line, the upload page and the demo seeder."""

from __future__ import annotations

import logging
from collections.abc import Callable
from pathlib import Path
from typing import IO

from django.contrib.auth.models import User
from django.db import transaction
from django.utils import timezone

from common.csvimport import FileRejected, ImportResult
from common.months import current_month
from contracts.imports import import_contracts, import_packages, import_people
from contracts.rates import import_contract_rates
from contracts.request_imports import import_capacity, import_requests
from homecare.imports.locks import import_lock
from homecare.imports.metrics import record_import
from homecare.imports.uploads import discard_upload
from homecare.kpis.tasks import compute_month
from homecare.payments.imports import import_time_bank
from providers.cqc_imports import import_cqc_ratings
from providers.imports import import_providers
from providers.models import Provider
from reviews.imports import import_reviews
from visits.imports import import_visits
from visits.models import ImportKind, ImportOutcome, ImportRecord

logger = logging.getLogger(__name__)

Importer = Callable[[IO[bytes]], ImportResult]

IMPORTERS: dict[str, Importer] = {
    ImportKind.PROVIDERS: import_providers,
    ImportKind.CONTRACTS: import_contracts,
    ImportKind.PEOPLE: import_people,
    ImportKind.PACKAGES: import_packages,
    ImportKind.REVIEWS: import_reviews,
    ImportKind.VISITS: import_visits,
    ImportKind.CONTRACT_RATES: import_contract_rates,
    ImportKind.TIME_BANK: import_time_bank,
    ImportKind.REQUESTS: import_requests,
    ImportKind.CQC_RATINGS: import_cqc_ratings,
    ImportKind.CAPACITY: import_capacity,
}
# Kinds whose data feed the monthly figures: after they land, the months they
# touched are computed again.
KPI_KINDS = {ImportKind.PACKAGES, ImportKind.REVIEWS, ImportKind.VISITS}


class ImportBusy(Exception):
    """Another process is running this import."""


def run_import(record: ImportRecord, path: Path, *, recompute_kpis: bool = True) -> ImportRecord:
    """Import the file at `path` for `record`, recording the outcome. The data
    change is all or nothing; the record itself is always kept. A bulk load of
    several files passes recompute_kpis=False and computes each month once after."""
    with import_lock(record.pk) as held:
        if not held:
            raise ImportBusy(f"import {record.pk} is being run elsewhere")
        return run_import_locked(record, path, recompute_kpis=recompute_kpis)


def run_import_locked(
    record: ImportRecord, path: Path, *, recompute_kpis: bool = True
) -> ImportRecord:
    """run_import for a caller already holding the record's lock."""
    record.outcome = ImportOutcome.RUNNING
    record.started_at = timezone.now()
    record.finished_at = None
    record.interrupted = False
    record.attempts += 1
    record.save(update_fields=["outcome", "started_at", "finished_at", "interrupted", "attempts"])
    try:
        with path.open("rb") as binary:
            if record.kind == ImportKind.VISITS and record.provider_id:
                result = import_visits(binary, provider_id=record.provider_id)
            else:
                result = IMPORTERS[record.kind](binary)
    except FileRejected as rejected:
        record.outcome = ImportOutcome.REJECTED
        record.error_count = len(rejected.errors)
        record.error_report = "\n".join(rejected.errors)
        record.summary = (
            f"Rejected: {len(rejected.errors):,} error{'s' if len(rejected.errors) != 1 else ''}."
            " Nothing was changed."
        )
    except Exception:
        logger.exception("Import %s failed", record.pk)
        record.outcome = ImportOutcome.FAILED
        record.summary = "The import failed with a system error. Nothing was changed."
        record.finished_at = timezone.now()
        record.save()
        record_import(record)
        raise
    else:
        record.outcome = ImportOutcome.SUCCEEDED
        record.rows = result.rows
        record.created_count = result.created
        record.updated_count = result.updated
        record.ignored_columns = result.ignored_columns
        record.months_touched = result.months_touched
        record.summary = result.summary
    record.finished_at = timezone.now()
    record.save()
    record_import(record)
    if record.outcome == ImportOutcome.SUCCEEDED:
        # Imported: the uploaded file has done its job (a rejected one is kept
        # a while so it can be looked at; see uploads.delete_expired_uploads).
        transaction.on_commit(lambda: discard_upload(record))
        if recompute_kpis and record.kind in KPI_KINDS:
            transaction.on_commit(lambda: after_import(record))
    return record


def after_import(record: ImportRecord) -> None:
    """Queue the KPI recompute of the months an import changed.

    A visits import knows its months (record.months_touched). A packages or
    reviews file changes review figures of months that are hard to pin down (a
    start date moves a due date, a late review clears an overdue one), so the
    current and the previous month are computed again; older months change only
    when someone runs compute_kpis for them.
    """
    if record.kind == ImportKind.VISITS:
        months = list(record.months_touched)
    else:
        this_month = current_month()
        months = [this_month.previous().key, this_month.key]
    # A provider's own upload changes only that provider (and the totals).
    provider_ref = record.provider.ref if record.provider else None
    for month in months:
        try:
            compute_month.delay(month, provider_ref)
        except Exception:
            # The import has committed; compute_kpis can bring the month up to date.
            logger.exception("Could not queue the KPIs of %s after import %s", month, record.pk)


def import_path(
    kind: str,
    path: Path,
    *,
    file_name: str | None = None,
    user: User | None = None,
    provider: Provider | None = None,
    recompute_kpis: bool = True,
) -> ImportRecord:
    record = ImportRecord.objects.create(
        kind=kind,
        file_name=file_name or path.name,
        stored_file=str(path),
        uploaded_by=user,
        provider=provider,
    )
    return run_import(record, path, recompute_kpis=recompute_kpis)
