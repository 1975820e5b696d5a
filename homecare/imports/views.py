"""Uploading a file to import, and the records of imports: what happened,
and for a rejected file every error by line."""

from __future__ import annotations

import re
from pathlib import Path

from django.core.files.uploadedfile import UploadedFile
from django.db import transaction
from django.http import HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, redirect
from django.views.decorators.http import require_POST

from common.csvexport import SafeWriter
from homecare.accounts.pages import render_page
from homecare.accounts.roles import any_role_required, may, uploader_required
from homecare.imports.forms import UploadForm
from homecare.imports.queue import WAITING_FOR_QUEUE, can_rerun
from homecare.imports.tables import ImportTable, outcome_tag
from homecare.imports.tasks import queue_import, rerun
from homecare.imports.uploads import failed_upload_days, file_kept_until, store_upload
from homecare.ui.privacy import person_level_data
from homecare.ui.query import configure_table
from providers.access import is_council_staff, scope, user_provider
from visits.models import ImportOutcome, ImportRecord

PER_PAGE = 25
REFRESH_SECONDS = 5
# The importers write "line N, column: reason"; split it for the report table.
REPORT_LINE = re.compile(r"^line (?P<line>\d+)(?:, (?P<column>[^:]+))?: (?P<reason>.*)$")
# A rejected million-row file could list an error per row: the page shows this
# many and the whole report is a download, so the page stays usable.
REPORT_ON_PAGE = 2_000


@uploader_required
def upload(request: HttpRequest) -> HttpResponse:
    form = UploadForm(request.POST or None, request.FILES or None, user=request.user)
    if request.method == "POST" and form.is_valid():
        upload_file: UploadedFile = form.cleaned_data["file"]
        path = store_upload(upload_file)
        with transaction.atomic():
            record = ImportRecord.objects.create(
                kind=form.cleaned_data["kind"],
                file_name=Path(upload_file.name or path.name).name[:255],
                stored_file=str(path),
                uploaded_by=request.user if request.user.is_authenticated else None,
                # Council staff import for everyone; a provider's user only for
                # their provider, which the importer then enforces row by row.
                provider=None if is_council_staff(request.user) else user_provider(request.user),
            )
            # After commit, or the worker could look for a record not yet saved.
            # If the queue is down the file waits, and the page says so.
            transaction.on_commit(lambda: queue_import(record))
        return redirect("import-record", pk=record.pk)
    return render_page(request, "imports/upload.html", {"form": form})


@any_role_required
def import_list(request: HttpRequest) -> HttpResponse:
    records = scope(ImportRecord.objects.all(), request.user).select_related(
        "uploaded_by", "provider"
    )
    table = ImportTable(records)
    configure_table(request, table, per_page=PER_PAGE)
    return render_page(request, "imports/list.html", {"table": table})


@person_level_data
@any_role_required
def import_record(request: HttpRequest, pk: int) -> HttpResponse:
    record = get_object_or_404(
        scope(ImportRecord.objects.all(), request.user).select_related("uploaded_by", "provider"),
        pk=pk,
    )
    in_progress = record.outcome in (ImportOutcome.QUEUED, ImportOutcome.RUNNING)
    return render_page(
        request,
        "imports/detail.html",
        {
            "record": record,
            "outcome_tag": outcome_tag(record),
            "in_progress": in_progress,
            "refresh_seconds": REFRESH_SECONDS,
            "report": report_rows(record.error_report),
            "report_limit": REPORT_ON_PAGE,
            "can_rerun": may(request.user, "imports.upload_file") and can_rerun(record),
            "waiting_message": WAITING_FOR_QUEUE,
            "failed_upload_days": failed_upload_days(),
            "file_kept_until": file_kept_until(record),
        },
    )


@uploader_required
@require_POST
def rerun_import(request: HttpRequest, pk: int) -> HttpResponse:
    """Run a failed import again from its kept file: for a worker that was
    stopped mid-import, or a system error since put right."""
    record = get_object_or_404(scope(ImportRecord.objects.all(), request.user), pk=pk)
    if can_rerun(record):
        rerun(record)
    return redirect("import-record", pk=record.pk)


@person_level_data
@any_role_required
def import_errors(request: HttpRequest, pk: int) -> HttpResponse:
    """The whole error report, however long, as a CSV of line, column and
    problem. It quotes cells of the uploaded file and will be opened in a
    spreadsheet, so it is written through the formula-safe writer."""
    record = get_object_or_404(scope(ImportRecord.objects.all(), request.user), pk=pk)
    response = HttpResponse(content_type="text/csv; charset=utf-8")
    response["Content-Disposition"] = f'attachment; filename="import-{record.pk}-problems.csv"'
    writer = SafeWriter(response)
    writer.writerow(["Line", "Column", "Problem"])
    for row in report_rows(record.error_report, limit=None):
        writer.writerow([int(row["line"]) if row["line"] else "", row["column"], row["reason"]])
    return response


def report_rows(report: str, limit: int | None = REPORT_ON_PAGE) -> list[dict[str, str]]:
    rows: list[dict[str, str]] = []
    for text in report.splitlines():
        if limit is not None and len(rows) >= limit:
            break
        if not text.strip():
            continue
        match = REPORT_LINE.match(text)
        if match:
            rows.append({k: v or "" for k, v in match.groupdict().items()})
        else:
            # A whole-file problem (a missing column, say) has no line number.
            rows.append({"line": "", "column": "", "reason": text})
    return rows
