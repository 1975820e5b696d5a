"""Uploading a file to import, and the records of imports: what happened,
and for a rejected file every error by line."""

from __future__ import annotations

import re
import uuid
from pathlib import Path

from django.conf import settings
from django.core.files.uploadedfile import UploadedFile
from django.db import transaction
from django.http import HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, redirect
from django_tables2 import RequestConfig

from homecare.accounts.pages import render_page
from homecare.accounts.roles import any_role_required, can_upload, uploader_required
from homecare.imports.forms import UploadForm
from homecare.imports.tables import ImportTable, outcome_tag
from homecare.imports.tasks import run_import_task
from providers.access import is_council_staff, scope, user_provider
from visits.models import ImportOutcome, ImportRecord

PER_PAGE = 25
REFRESH_SECONDS = 5
# The importers write "line N, column: reason"; split it for the report table.
REPORT_LINE = re.compile(r"^line (?P<line>\d+)(?:, (?P<column>[^:]+))?: (?P<reason>.*)$")
# A rejected million-row file could list an error per row: the page shows this
# many and the whole report is a download, so the page stays usable.
REPORT_ON_PAGE = 2_000


def store_upload(upload: UploadedFile) -> Path:
    """Write the upload under MEDIA_ROOT in chunks: a visits file can be
    hundreds of megabytes and must never be read into memory whole. The name
    is a fresh UUID so nothing from the user reaches the file system."""
    folder = Path(settings.MEDIA_ROOT) / "imports"
    folder.mkdir(parents=True, exist_ok=True)
    path = folder / f"{uuid.uuid4()}.csv"
    with path.open("wb") as out:
        for chunk in upload.chunks():
            out.write(chunk)
    return path


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
            transaction.on_commit(lambda: run_import_task.delay(record.pk))
        return redirect("import-record", pk=record.pk)
    return render_page(request, "imports/upload.html", {"form": form})


@any_role_required
def import_list(request: HttpRequest) -> HttpResponse:
    records = scope(ImportRecord.objects.all(), request.user).select_related(
        "uploaded_by", "provider"
    )
    table = ImportTable(records)
    RequestConfig(request, paginate={"per_page": PER_PAGE}).configure(table)
    return render_page(
        request, "imports/list.html", {"table": table, "can_upload": can_upload(request.user)}
    )


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
            "can_upload": can_upload(request.user),
        },
    )


@any_role_required
def import_errors(request: HttpRequest, pk: int) -> HttpResponse:
    """The whole error report as plain text, however long."""
    record = get_object_or_404(scope(ImportRecord.objects.all(), request.user), pk=pk)
    response = HttpResponse(record.error_report, content_type="text/plain; charset=utf-8")
    response["Content-Disposition"] = f'attachment; filename="import-{record.pk}-errors.txt"'
    return response


def report_rows(report: str, limit: int = REPORT_ON_PAGE) -> list[dict[str, str]]:
    rows: list[dict[str, str]] = []
    for text in report.splitlines():
        if len(rows) >= limit:
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
