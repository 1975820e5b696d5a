"""requests.csv, capacity.csv and CQC's file through the upload page: the same
rules as the command line, errors by line on the import's page."""

from __future__ import annotations

from pathlib import Path

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse

from contracts.models import CapacityDeclaration, CareRequest
from providers.models import CqcLocationRating
from tests.conftest import login
from tests.market.market_files import FILES, load_market
from visits.models import ImportOutcome, ImportRecord

pytestmark = pytest.mark.django_db


@pytest.fixture(autouse=True)
def _media_and_eager(settings, tmp_path: Path) -> None:
    settings.MEDIA_ROOT = tmp_path / "media"
    settings.CELERY_TASK_ALWAYS_EAGER = True


def post(client, kind: str, text: str, capture):
    upload = SimpleUploadedFile(f"{kind}.csv", text.encode(), content_type="text/csv")
    with capture(execute=True):
        return client.post(reverse("upload"), {"kind": kind, "file": upload})


def test_the_market_files_import_through_the_upload_page(
    client, commissioner, tmp_path, django_capture_on_commit_callbacks
):
    load_market(tmp_path)
    CareRequest.objects.all().delete()
    CqcLocationRating.objects.all().delete()
    client = login(client, commissioner)
    page = client.get(reverse("upload")).content.decode()
    for label in ("Requests for care", "CQC latest ratings", "Declared spare capacity"):
        assert label in page
    capacity = (
        "provider_ref,lot,declared_on,spare_weekly_hours\nP01,Lot 1 - Central,2026-10-01,20\n"
    )
    for kind, text in (
        ("requests", FILES["requests"].lstrip("\n")),
        ("cqc_ratings", FILES["cqc_ratings"]),
        ("capacity", capacity),
    ):
        response = post(client, kind, text, django_capture_on_commit_callbacks)
        assert response.status_code == 302
        assert (
            ImportRecord.objects.filter(kind=kind).latest("pk").outcome == ImportOutcome.SUCCEEDED
        )
    assert CareRequest.objects.count() == 5
    assert CqcLocationRating.objects.count() == 2
    assert CapacityDeclaration.objects.get().spare_weekly_hours == 20


def test_a_bad_requests_file_shows_its_lines_on_the_page(
    client, commissioner, tmp_path, django_capture_on_commit_callbacks
):
    load_market(tmp_path)
    client = login(client, commissioner)
    text = (
        "request_ref,person_ref,requested_at,source,status,placed_at\n"
        "N1,007,2026-10-05T10:00:00,hospital,placed,2026-10-04T10:00:00\n"
    )
    response = post(client, "requests", text, django_capture_on_commit_callbacks)
    html = client.get(response["Location"]).content.decode()
    assert "Rejected" in html and "is before requested_at" in html
    assert not CareRequest.objects.filter(ref="N1").exists()
