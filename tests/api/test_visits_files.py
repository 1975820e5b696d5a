"""A visits file sent through the API goes through the same importer as the
upload page and ends in the same visits."""

from __future__ import annotations

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.test import Client

from tests.api.conftest import api
from tests.conftest import login
from tests.factories import CarePackageFactory
from visits.models import ImportOutcome, ImportRecord, Visit, VisitCarer

pytestmark = pytest.mark.django_db

HEADER = (
    "visit_id,package_ref,carer_ref,planned_start,planned_end,actual_start,actual_end,status,"
    "verification\n"
)
T = "2026-10-0{}T{}:00"
VISITS = (
    HEADER
    + f"V1,KA1,C1,{T.format(5, '07:00')},{T.format(5, '07:30')},"
    + f"{T.format(5, '07:40')},{T.format(5, '08:00')},completed,ecm\n"
    + f"V2,KA1,C1,{T.format(6, '07:00')},{T.format(6, '07:30')},"
    + f"{T.format(6, '07:05')},{T.format(6, '07:30')},completed,ecm\n"
    + f"V2,KA1,C2,{T.format(6, '07:00')},{T.format(6, '07:30')},"
    + f"{T.format(6, '07:10')},{T.format(6, '07:30')},completed,manual\n"
    + f"V3,KA2,,{T.format(7, '12:00')},{T.format(7, '12:30')},,,missed,\n"
).encode()


def snapshot() -> list[tuple]:
    visits = Visit.objects.order_by("visit_id").values_list(
        "visit_id",
        "provider__ref",
        "package__ref",
        "planned_start",
        "planned_end",
        "actual_start",
        "actual_end",
        "status",
        "ecm_verified",
        "carer_count",
    )
    carers = VisitCarer.objects.order_by("visit__visit_id", "care_worker__ref").values_list(
        "visit__visit_id", "care_worker__ref", "actual_start", "verification"
    )
    return [*visits, *carers]


def clear_visits() -> None:
    VisitCarer.objects.all().delete()
    Visit.objects.all().delete()


@pytest.fixture
def packages(provider_a):
    CarePackageFactory(ref="KA1", provider=provider_a)
    CarePackageFactory(ref="KA2", provider=provider_a)


def test_api_file_ends_in_the_same_visits_as_the_upload_page(
    client: Client, provider_a_user, packages, token_a, django_capture_on_commit_callbacks
):
    login(client, provider_a_user)
    with django_capture_on_commit_callbacks(execute=True):
        client.post(
            "/imports/upload/",
            {"kind": "visits", "file": SimpleUploadedFile("v.csv", VISITS, "text/csv")},
        )
    by_page = snapshot()
    assert len([row for row in by_page if len(row) == 10]) == 3
    clear_visits()

    with django_capture_on_commit_callbacks(execute=True):
        response = api(token_a.secret).post(
            "/api/v1/visits-files/", VISITS, content_type="text/csv", HTTP_X_FILE_NAME="oct.csv"
        )
    assert response.status_code == 202
    body = response.json()
    assert body["url"].endswith(f"/api/v1/imports/{body['id']}/")
    assert response["Location"] == body["url"]
    assert snapshot() == by_page

    record = ImportRecord.objects.get(pk=body["id"])
    assert record.outcome == ImportOutcome.SUCCEEDED
    assert record.provider == token_a.token.provider and record.file_name == "oct.csv"
    status = api(token_a.secret).get(body["url"]).json()
    assert status["outcome"] == "succeeded" and status["rows"] == 4

    # The same file again, as a multipart form: idempotent, nothing new.
    clear_visits()
    with django_capture_on_commit_callbacks(execute=True):
        response = api(token_a.secret).post(
            "/api/v1/visits-files/",
            {"file": SimpleUploadedFile("v.csv", VISITS, "text/csv")},
            format="multipart",
        )
    assert response.status_code == 202
    assert snapshot() == by_page


def test_a_bad_file_reports_errors_by_line(token_a, packages, django_capture_on_commit_callbacks):
    bad = HEADER + "V9,KA1,,2026-10-05T07:00:00,not a time,,,completed,\n"
    with django_capture_on_commit_callbacks(execute=True):
        response = api(token_a.secret).post(
            "/api/v1/visits-files/", bad.encode(), content_type="text/csv"
        )
    status = api(token_a.secret).get(response.json()["url"]).json()
    assert status["outcome"] == "rejected"
    assert status["error_count"] >= 1
    (first, *_) = status["errors"]
    assert first["line"] == 2 and first["column"] == "planned_end"
    assert not Visit.objects.exists()


def test_an_empty_body_is_a_400(token_a):
    response = api(token_a.secret).post("/api/v1/visits-files/", b"", content_type="text/csv")
    assert response.status_code == 400
    assert not ImportRecord.objects.exists()


def test_a_council_token_cannot_send_files(council_token):
    response = api(council_token.secret).post(
        "/api/v1/visits-files/", VISITS, content_type="text/csv"
    )
    assert response.status_code == 403
