"""Evidence files (issue 15): on progress updates and on quality assessments,
their type read from the content, their size limited, kept out of the web
server's reach and given only to those who see their plan or assessment."""

from __future__ import annotations

import datetime as dt
from pathlib import Path

import pytest
from auditlog.models import LogEntry
from django.contrib.contenttypes.models import ContentType
from django.test import Client
from django.urls import reverse

from homecare.improvement import services
from homecare.improvement.models import EvidenceFile, ProgressUpdate
from tests.conftest import login
from tests.factories import provider_user
from tests.improvement.builders import (
    EXE,
    PDF,
    PNG,
    accepted_action_plan,
    docx,
    scrutiny_plan,
    update_data,
    upload,
)
from tests.quality.flow import issued, start

pytestmark = pytest.mark.django_db

AS_OF = dt.date(2024, 3, 28)


@pytest.fixture(autouse=True)
def _media(settings, tmp_path: Path) -> None:
    settings.MEDIA_ROOT = tmp_path / "media"


def post_update(client: Client, item, name: str, content: bytes, **extra):
    return client.post(
        reverse("improvement-update", args=[item.pk]),
        {**update_data(AS_OF, 2), "evidence": upload(name, content), **extra},
    )


def field_error(response) -> str:
    page = response.content.decode()
    start = page.index('id="id_evidence-error"')
    return page[start : page.index("</p>", start)]


@pytest.mark.parametrize(
    ("name", "content", "message"),
    [
        # A program renamed .pdf: the content says what it is.
        ("minutes.pdf", EXE, "must be a PDF, a photograph (JPEG or PNG), or a Word"),
        # A PDF renamed .exe: a real PDF, but not under that name.
        ("minutes.exe", PDF, "name ends .exe but it is a PDF file"),
        # A PDF called a Word document.
        ("minutes.docx", PDF, "name ends .docx but it is a PDF file"),
        ("notes.txt", b"just some words\n", "must be a PDF, a photograph"),
    ],
)
def test_a_file_whose_content_is_not_allowed_is_refused_next_to_the_field(
    client, quality_officer, name, content, message
) -> None:
    plan, (item, _) = scrutiny_plan(quality_officer)
    response = post_update(login(client, quality_officer), item, name, content)
    assert response.status_code == 200
    assert message in field_error(response)
    # The summary links to the field; nothing is saved, what was typed is kept.
    assert 'href="#id_evidence"' in response.content.decode()
    assert "Progress reported on 2024-03-28" in response.content.decode()
    assert not ProgressUpdate.objects.exists() and not EvidenceFile.objects.exists()


def test_a_file_over_the_size_limit_is_refused_clearly(client, quality_officer, settings) -> None:
    settings.EVIDENCE_MAX_BYTES = 1024 * 1024
    plan, (item, _) = scrutiny_plan(quality_officer)
    big = PDF + b"0" * (2 * 1024 * 1024)
    response = post_update(login(client, quality_officer), item, "scan.pdf", big)
    assert "must be smaller than 1 MB (it is 2 MB)" in field_error(response)
    assert not EvidenceFile.objects.exists()


@pytest.mark.parametrize(
    ("name", "content", "content_type"),
    [
        ("Audit report.PDF", PDF, "application/pdf"),
        ("photo.png", PNG, "image/png"),
        (
            "rota.docx",
            None,
            "application/vnd.openxmlformats-officedocument.wordprocessingml.document",
        ),
    ],
)
def test_allowed_files_are_kept_privately_and_downloaded_as_attachments(
    client, quality_officer, settings, name, content, content_type
) -> None:
    plan, (item, _) = scrutiny_plan(quality_officer)
    body = docx() if content is None else content
    response = post_update(login(client, quality_officer), item, name, body)
    assert response.status_code == 302
    evidence = EvidenceFile.objects.get()
    assert (evidence.name, evidence.content_type, evidence.size) == (name, content_type, len(body))
    # Stored under MEDIA_ROOT/private with a name of our making, not the user's.
    stored = Path(evidence.file.path)
    assert stored.parent == Path(settings.MEDIA_ROOT) / "private" / "evidence"
    assert name not in stored.name and stored.read_bytes() == body
    page = client.get(reverse("improvement-plan", args=[plan.pk])).content.decode()
    url = reverse("improvement-evidence", args=[evidence.pk])
    assert url in page
    download = client.get(url)
    assert download.status_code == 200
    assert download["Content-Disposition"].startswith("attachment;")
    assert name.split(".")[0] in download["Content-Disposition"]
    assert "no-store" in download["Cache-Control"]
    assert download["Content-Type"] == content_type
    assert b"".join(download.streaming_content) == body
    # Audit: the file's row, with who uploaded it.
    entry = LogEntry.objects.get(content_type=ContentType.objects.get_for_model(EvidenceFile))
    assert entry.actor == quality_officer


def test_only_those_who_see_the_plan_download_its_evidence(
    client, quality_officer, provider_a, provider_b, provider_a_user, framework
) -> None:
    assessment, plan = accepted_action_plan(quality_officer, provider_a, framework, provider_a_user)
    item = plan.items.first()
    alpha = login(Client(), provider_a_user)
    assert post_update(alpha, item, "evidence.pdf", PDF).status_code == 302
    url = reverse("improvement-evidence", args=[EvidenceFile.objects.get().pk])
    assert alpha.get(url).status_code == 200
    assert login(Client(), quality_officer).get(url).status_code == 200
    beta = login(Client(), provider_user(provider_b, username="beta-user"))
    assert beta.get(url).status_code == 404


def test_evidence_on_an_assessment_follows_the_assessment(
    client, quality_officer, contract_manager, provider_a, provider_b, provider_a_user, framework
) -> None:
    officer = login(client, quality_officer)
    assessment = issued(officer, provider_a, framework)
    page_url = reverse("assessment-evidence", args=[assessment.pk])
    # The assessment page links to its files.
    assert page_url in officer.get(reverse("assessment", args=[assessment.pk])).content.decode()
    response = officer.post(page_url, {"evidence": upload("minutes.pdf", EXE)})
    assert "must be a PDF" in field_error(response)
    response = officer.post(
        page_url, {"evidence": upload("MAR audit.pdf", PDF), "description": "MAR audit"}
    )
    assert response.status_code == 302
    evidence = EvidenceFile.objects.get()
    assert evidence.assessment == assessment and evidence.update is None
    url = reverse("improvement-evidence", args=[evidence.pk])
    assert url in officer.get(page_url).content.decode()
    # The provider's own user sees its issued assessment and its files;
    # another provider's user sees neither.
    alpha = login(Client(), provider_a_user)
    assert alpha.get(url).status_code == 200
    assert "MAR audit.pdf" in alpha.get(page_url).content.decode()
    beta = login(Client(), provider_user(provider_b, username="beta-user"))
    assert beta.get(page_url).status_code == 404
    assert beta.get(url).status_code == 404
    assert beta.post(page_url, {"evidence": upload("x.pdf", PDF)}).status_code == 404
    # A contract manager reads but adds nothing.
    manager = login(Client(), contract_manager)
    assert manager.get(url).status_code == 200
    assert manager.post(page_url, {"evidence": upload("x.pdf", PDF)}).status_code == 403


def test_a_draft_assessments_files_are_the_councils(
    client, quality_officer, provider_a, provider_a_user, framework
) -> None:
    assessment = start(login(client, quality_officer), provider_a, framework)
    services.add_assessment_evidence(assessment, quality_officer, upload("notes.pdf", PDF))
    url = reverse("improvement-evidence", args=[EvidenceFile.objects.get().pk])
    assert login(Client(), provider_a_user).get(url).status_code == 404


def test_files_leave_the_disk_with_their_plan(
    quality_officer, django_capture_on_commit_callbacks
) -> None:
    plan, (item, _) = scrutiny_plan(quality_officer)
    services.add_update(
        item,
        quality_officer,
        as_of=AS_OF,
        progress="Done",
        grade=1,
        evidence=upload("report.pdf", PDF),
    )
    stored = Path(EvidenceFile.objects.get().file.path)
    assert stored.exists()
    with django_capture_on_commit_callbacks(execute=True):
        services.delete_plan(plan, quality_officer)
    assert not stored.exists()
    assert not EvidenceFile.objects.exists() and not ProgressUpdate.objects.exists()
