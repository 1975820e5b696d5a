"""Uploading a file and the records of imports."""

from __future__ import annotations

import csv
import io
from pathlib import Path

import pytest
from django.contrib.auth.models import User
from django.core.files.uploadedfile import SimpleUploadedFile
from django.test import Client
from django.urls import reverse

from homecare.imports import forms as upload_forms
from providers.models import Provider
from tests.conftest import login
from tests.factories import (
    CarePackageFactory,
)
from visits.models import ImportKind, ImportOutcome, ImportRecord, Visit

pytestmark = pytest.mark.django_db

GOOD_PROVIDERS = b"provider_ref,name,cqc_rating,notes\nPX,Xeno Home Care,Good,ignored\n"
BAD_PROVIDERS = (
    b"provider_ref,name,cqc_rating\n"
    b"PX,Xeno Home Care,Good\n"
    b"PY,Yew Home Care,Brilliant\n"
    b"PX,Xeno Again,Good\n"
)


@pytest.fixture(autouse=True)
def _media_and_eager(settings, tmp_path: Path) -> None:
    # Uploads land in a throwaway folder, and the import runs in-process
    # whatever broker the environment names.
    settings.MEDIA_ROOT = tmp_path / "media"
    settings.CELERY_TASK_ALWAYS_EAGER = True


def csv_file(content: bytes, name: str = "data.csv") -> SimpleUploadedFile:
    return SimpleUploadedFile(name, content, content_type="text/csv")


def upload(client: Client, kind: str, content: bytes | None, name: str = "data.csv", capture=None):
    data: dict[str, object] = {"kind": kind}
    if content is not None:
        data["file"] = csv_file(content, name)
    if capture is None:
        return client.post(reverse("upload"), data)
    with capture(execute=True):
        return client.post(reverse("upload"), data)


def record_for(provider: Provider, **kwargs) -> ImportRecord:
    defaults = {"kind": ImportKind.VISITS, "file_name": "visits.csv", "provider": provider}
    return ImportRecord.objects.create(**{**defaults, **kwargs})


# Upload and import -----------------------------------------------------------


def test_upload_of_a_good_file_imports_it(
    client: Client, commissioner: User, django_capture_on_commit_callbacks, settings
) -> None:
    login(client, commissioner)
    response = upload(
        client, "providers", GOOD_PROVIDERS, "providers.csv", django_capture_on_commit_callbacks
    )
    record = ImportRecord.objects.get()
    assert response.status_code == 302
    assert response["Location"] == reverse("import-record", args=[record.pk])
    assert record.outcome == ImportOutcome.SUCCEEDED
    assert record.file_name == "providers.csv"
    assert record.uploaded_by == commissioner
    assert record.provider is None
    # Imported, so the uploaded file is gone, and the page says so.
    assert record.stored_file == "" and record.file_deleted_at is not None
    assert list((Path(settings.MEDIA_ROOT) / "imports").iterdir()) == []
    assert Provider.objects.get(ref="PX").cqc_rating == "Good"

    html = client.get(response["Location"]).content.decode()
    assert "govuk-tag--green" in html
    assert "Imported 1 row" in html
    assert "<code>notes</code>" in html  # the ignored column
    assert 'http-equiv="refresh"' not in html


def test_a_bad_file_shows_line_numbered_errors(
    client: Client, contract_manager: User, django_capture_on_commit_callbacks
) -> None:
    login(client, contract_manager)
    response = upload(
        client, "providers", BAD_PROVIDERS, capture=django_capture_on_commit_callbacks
    )
    record = ImportRecord.objects.get()
    assert record.outcome == ImportOutcome.REJECTED
    assert not Provider.objects.filter(ref__in=["PX", "PY"]).exists()

    html = client.get(response["Location"]).content.decode()
    assert "The file was rejected: nothing was changed" in html
    assert "govuk-tag--red" in html
    # Line 3 has the unknown rating; line 4 repeats line 2's ref.
    assert '<td class="govuk-table__cell govuk-table__cell--numeric">3</td>' in html
    assert "<code>cqc_rating</code>" in html
    assert "Brilliant" in html
    assert '<td class="govuk-table__cell govuk-table__cell--numeric">4</td>' in html

    report = client.get(reverse("import-errors", args=[record.pk]))
    assert report["Content-Type"].startswith("text/csv")
    rows = list(csv.reader(io.StringIO(report.content.decode())))
    assert rows[0] == ["Line", "Column", "Problem"]
    assert rows[1][:2] == ["3", "cqc_rating"] and "Brilliant" in rows[1][2]
    # A rejected file is kept for a while, so it can be looked into.
    assert Path(record.stored_file).read_bytes() == BAD_PROVIDERS


def test_provider_user_uploads_visits_only_for_their_provider(
    client: Client,
    provider_a_user: User,
    provider_a: Provider,
    provider_b: Provider,
    django_capture_on_commit_callbacks,
) -> None:
    CarePackageFactory(ref="K-BETA", provider=provider_b)
    visits = (
        b"visit_id,package_ref,planned_start,planned_end,status\n"
        b"V1,K-BETA,2026-10-05T07:00:00,2026-10-05T07:30:00,missed\n"
    )
    login(client, provider_a_user)
    response = upload(client, "visits", visits, capture=django_capture_on_commit_callbacks)
    record = ImportRecord.objects.get()
    assert record.provider == provider_a
    assert record.outcome == ImportOutcome.REJECTED
    assert not Visit.objects.exists()
    html = client.get(response["Location"]).content.decode()
    assert "is not one of your packages" in html


def test_provider_user_cannot_upload_other_kinds(client: Client, provider_a_user: User) -> None:
    login(client, provider_a_user)
    page = client.get(reverse("upload")).content.decode()
    # Only the one kind they may upload is offered, already chosen.
    assert 'value="visits" checked' in page
    assert 'value="providers"' not in page

    response = upload(client, "providers", GOOD_PROVIDERS)
    html = response.content.decode()
    assert response.status_code == 200
    assert 'id="id_kind-error"' in html
    assert "You can only upload visits files for your own provider" in html
    assert '<a href="#id_kind_0">' in html
    assert not ImportRecord.objects.exists()


@pytest.mark.parametrize(
    ("content", "name", "message"),
    [
        (None, "data.csv", "Select a CSV file"),
        (b"provider_ref,name\n", "data.xlsx", "The selected file must be a CSV file"),
        (b"", "data.csv", "The selected file is empty"),
    ],
)
def test_upload_errors_show_next_to_the_file_field(
    client: Client, commissioner: User, content: bytes | None, name: str, message: str
) -> None:
    response = upload(login(client, commissioner), "providers", content, name)
    html = response.content.decode()
    assert response.status_code == 200
    assert f'<a href="#id_file">{message}</a>' in html
    assert 'id="id_file-error"' in html
    assert "govuk-file-upload--error" in html
    assert not ImportRecord.objects.exists()


def test_upload_rejects_a_file_that_is_too_large(
    client: Client, commissioner: User, monkeypatch: pytest.MonkeyPatch
) -> None:
    # A real 500 MB body is too slow for a unit test; the limit is what is tested.
    monkeypatch.setattr(upload_forms, "MAX_UPLOAD_BYTES", 10)
    response = upload(login(client, commissioner), "providers", GOOD_PROVIDERS)
    assert "The selected file must be smaller than 500 MB" in response.content.decode()
    assert not ImportRecord.objects.exists()


def test_upload_without_a_kind(client: Client, commissioner: User) -> None:
    response = login(client, commissioner).post(
        reverse("upload"), {"file": csv_file(GOOD_PROVIDERS)}
    )
    assert '<a href="#id_kind_0">Select what kind of file it is</a>' in (response.content.decode())


def test_a_queued_import_refreshes_itself(client: Client, commissioner: User) -> None:
    record = ImportRecord.objects.create(kind=ImportKind.PROVIDERS, file_name="p.csv")
    html = login(client, commissioner).get(reverse("import-record", args=[record.pk])).content
    assert b'http-equiv="refresh"' in html
    assert b'id="import-outcome"' in html


def test_imports_list_is_scoped_and_newest_first(
    client: Client, provider_a_user: User, provider_a: Provider, provider_b: Provider
) -> None:
    record_for(provider_a, file_name="first.csv")
    record_for(provider_a, file_name="second.csv")
    record_for(provider_b, file_name="beta.csv")
    html = login(client, provider_a_user).get("/imports/").content.decode()
    assert "beta.csv" not in html
    assert html.index("second.csv") < html.index("first.csv")
