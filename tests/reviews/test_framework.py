"""Frameworks: the default one, and a council's own from CSV (all or nothing)."""

from __future__ import annotations

import io
from pathlib import Path

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.core.management import CommandError, call_command
from django.test import Client
from django.urls import reverse

from reviews.models import AssessmentFramework, Domain, Question
from reviews.services import load_default_framework
from tests.conftest import login

pytestmark = pytest.mark.django_db

GOOD = (
    b"domain,standard,code,question,guidance,notes\n"
    b"Safety,Medicines,S1,Are medicines given safely?,Check the MAR charts,ignored\n"
    b'Safety,Medicines,s2,"Are errors reported, and learnt from?",,\n'
    b"Staffing,Recruitment,QB02,Are DBS checks done?,Sample five files,\n"
    b"Leadership,Audit,F07,Are audits acted on?,,\n"
)
BAD = (
    b"domain,standard,code,question,guidance\n"
    b"Safety,Medicines,S1,Are medicines given safely?,\n"
    b",Medicines,S2,Are errors reported?,\n"
    b"Safety,Medicines,S1,Duplicate code,\n"
    b"Safety,Medicines,NOT A CODE,Bad code,\n"
    b"Safety,Medicines,S9,,\n"
)


def test_default_framework_has_the_five_domains_and_enough_questions() -> None:
    framework = load_default_framework()
    assert [d.name for d in framework.domains.all()] == [
        "Involvement and information",
        "Personalised care and support",
        "Safeguarding and safety",
        "Suitability of staffing",
        "Quality of management",
    ]
    assert framework.questions.count() >= 20
    assert all(q.guidance for q in framework.questions.all())
    assert load_default_framework() == framework  # loading again changes nothing
    call_command("load_default_framework", stdout=io.StringIO())
    assert AssessmentFramework.objects.count() == 1


def test_a_good_file_loads_and_a_second_load_is_a_new_version(tmp_path: Path) -> None:
    path = tmp_path / "framework.csv"
    path.write_bytes(GOOD)
    out = io.StringIO()
    call_command("import_framework", str(path), "--name", "Our framework", stdout=out)
    first = AssessmentFramework.objects.get(name="Our framework")
    assert first.version == 1 and "4 questions" in out.getvalue()
    assert list(first.questions.values_list("code", flat=True)) == ["S1", "S2", "QB02", "F07"]
    assert [d.name for d in first.domains.all()] == ["Safety", "Staffing", "Leadership"]
    assert first.questions.get(code="S1").guidance == "Check the MAR charts"
    call_command("import_framework", str(path), "--name", "Our framework", stdout=io.StringIO())
    second = AssessmentFramework.objects.get(name="Our framework", version=2)
    # The old version keeps its own questions.
    assert first.questions.count() == second.questions.count() == 4
    assert Question.objects.filter(framework=first).count() == 4


def test_a_bad_file_gets_line_numbered_errors_and_changes_nothing(tmp_path: Path) -> None:
    path = tmp_path / "bad.csv"
    path.write_bytes(BAD)
    with pytest.raises(CommandError) as raised:
        call_command("import_framework", str(path), "--name", "Bad", stdout=io.StringIO())
    message = str(raised.value)
    assert "line 3, domain: is blank" in message
    assert "line 4, code: 'S1' is already used on line 2" in message
    assert "line 5, code: 'NOT A CODE' is not a code like S1, QB02 or F07" in message
    assert "line 6, question: is blank" in message
    assert not AssessmentFramework.objects.exists() and not Domain.objects.exists()


def test_a_file_without_the_columns_is_rejected(tmp_path: Path) -> None:
    path = tmp_path / "cols.csv"
    path.write_bytes(b"domain,standard,text\nA,B,C\n")
    with pytest.raises(CommandError, match="line 1, code: required column is missing"):
        call_command("import_framework", str(path), "--name", "X", stdout=io.StringIO())


def test_upload_page_for_quality_officers(
    client: Client, quality_officer, contract_manager
) -> None:
    url = reverse("framework-upload")
    assert login(Client(), contract_manager).get(url).status_code == 403
    login(client, quality_officer)
    response = client.post(
        url, {"name": "Bad", "file": SimpleUploadedFile("bad.csv", BAD, "text/csv")}
    )
    page = response.content.decode()
    assert response.status_code == 200
    assert "The file was rejected and nothing changed" in page
    assert "line 4, code: &#x27;S1&#x27; is already used on line 2" in page
    assert not AssessmentFramework.objects.exists()
    response = client.post(
        url, {"name": "Ours", "file": SimpleUploadedFile("good.csv", GOOD, "text/csv")}
    )
    framework = AssessmentFramework.objects.get(name="Ours")
    assert response["Location"] == reverse("framework", args=[framework.pk])
    page = client.get(response["Location"]).content.decode()
    assert "QB02" in page and "Are DBS checks done?" in page
    response = client.post(url, {"name": "", "file": ""})
    assert "Enter the framework&#x27;s name" in response.content.decode()


def test_an_old_assessment_keeps_its_framework_version(
    client: Client, quality_officer, provider_a, tmp_path: Path
) -> None:
    from reviews.services import start_assessment

    path = tmp_path / "framework.csv"
    path.write_bytes(GOOD)
    call_command("import_framework", str(path), "--name", "Ours", stdout=io.StringIO())
    v1 = AssessmentFramework.objects.get(name="Ours")
    assessment = start_assessment(provider_a, v1, quality_officer, "routine")
    path.write_bytes(GOOD.replace(b"S1,Are medicines", b"S1,Are all medicines"))
    call_command("import_framework", str(path), "--name", "Ours", stdout=io.StringIO())
    assessment.refresh_from_db()
    assert assessment.framework == v1
    login(client, quality_officer)
    page = client.get(reverse("assessment-edit", args=[assessment.pk])).content.decode()
    assert "Are medicines given safely?" in page and "Are all medicines" not in page
    # New assessments are offered the latest version only.
    page = client.get(reverse("assessment-start")).content.decode()
    assert page.count("Ours (version") == 1 and "Ours (version 2)" in page
