"""Visits files sent by a provider's ECM system, and the imports' status.

The file goes through the same importer as the upload page: a record is
made, the file queued, and the response names the import to follow. The
body is streamed to disk in chunks as it arrives (a CSV body, the fast
path) so a million-row file is never held in memory nor written twice.
"""

from __future__ import annotations

import uuid
from pathlib import Path
from typing import Any

from django.db import transaction
from django.shortcuts import get_object_or_404
from drf_spectacular.types import OpenApiTypes
from drf_spectacular.utils import OpenApiResponse, extend_schema
from rest_framework import exceptions, generics, status
from rest_framework.parsers import BaseParser, MultiPartParser
from rest_framework.request import Request
from rest_framework.response import Response
from rest_framework.views import APIView

from homecare.api.auth import HasApiToken, ProviderTokenForWrites, token_of
from homecare.api.selectors import imports_for
from homecare.api.serializers import ImportSerializer, VisitsFileSerializer
from homecare.imports.tasks import queue_import
from homecare.imports.uploads import store_upload, upload_folder
from visits.models import ImportKind, ImportRecord

CHUNK = 1024 * 1024


class CsvBodyParser(BaseParser):
    """Only so the schema and content negotiation know text/csv: the view
    reads the raw stream itself and never asks for request.data then."""

    media_type = "text/csv"

    def parse(self, stream: Any, media_type: str | None = None, parser_context: Any = None) -> Any:
        return {}


def stream_to_disk(request: Request) -> Path:
    """Write the request body to the upload folder, a chunk at a time."""
    folder = upload_folder()
    folder.mkdir(parents=True, exist_ok=True)
    path = folder / f"{uuid.uuid4()}.csv"
    stream = request.stream
    written = 0
    with path.open("wb") as out:
        while stream is not None:
            chunk = stream.read(CHUNK)
            if not chunk:
                break
            out.write(chunk)
            written += len(chunk)
    if written == 0:
        path.unlink(missing_ok=True)
        raise exceptions.ValidationError({"file": ["The file is empty"]})
    return path


class VisitsFileView(APIView):
    permission_classes = [HasApiToken, ProviderTokenForWrites]
    parser_classes = [CsvBodyParser, MultiPartParser]

    @extend_schema(
        operation_id="visits_file_create",
        summary="Send a month's visits file",
        description=(
            "Send the visits CSV of data-exchange.md as the body (`Content-Type: text/csv`; "
            "the fastest) or as the `file` field of a multipart form. The import is queued: "
            "follow it at the `url` in the answer. A provider's token only."
        ),
        request={
            "text/csv": OpenApiTypes.BINARY,
            "multipart/form-data": VisitsFileSerializer,
        },
        responses={
            202: ImportSerializer,
            400: OpenApiResponse(description="No file, or an empty one"),
            403: OpenApiResponse(description="A council token cannot send files"),
        },
    )
    def post(self, request: Request) -> Response:
        token = token_of(request)
        content_type = (request.content_type or "").split(";")[0].strip().lower()
        if content_type == "multipart/form-data":
            upload = request.data.get("file")
            if upload is None or not hasattr(upload, "chunks"):
                raise exceptions.ValidationError(
                    {"file": ["Send the visits CSV as the file field"]}
                )
            if not upload.size:
                raise exceptions.ValidationError({"file": ["The file is empty"]})
            path = store_upload(upload)
            name = Path(upload.name or path.name).name[:255]
        else:
            path = stream_to_disk(request)
            name = (request.headers.get("X-File-Name") or "visits.csv")[:255]
        with transaction.atomic():
            record = ImportRecord.objects.create(
                kind=ImportKind.VISITS,
                file_name=Path(name).name or "visits.csv",
                stored_file=str(path),
                uploaded_by=token.created_by,
                provider=token.provider,
            )
            transaction.on_commit(lambda: queue_import(record))
        record.refresh_from_db()
        body = ImportSerializer(record, context={"request": request}).data
        return Response(body, status=status.HTTP_202_ACCEPTED, headers={"Location": body["url"]})


@extend_schema(summary="List imports", description="Newest first; a provider's own only.")
class ImportList(generics.ListAPIView):
    serializer_class = ImportSerializer

    def get_queryset(self):  # type: ignore[no-untyped-def]
        return imports_for(token_of(self.request)).order_by("-created_at")


@extend_schema(
    summary="An import's status",
    description="Its outcome and, for a rejected file, each error with its line.",
)
class ImportDetail(generics.RetrieveAPIView):
    serializer_class = ImportSerializer

    def get_object(self) -> ImportRecord:
        return get_object_or_404(imports_for(token_of(self.request)), pk=self.kwargs["pk"])
