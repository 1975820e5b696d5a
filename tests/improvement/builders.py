"""Plans, files and providers' accepted action plans for the tracker's tests."""

from __future__ import annotations

import datetime as dt
import io
import zipfile
from typing import Any

from django.contrib.auth.models import User
from django.core.files.uploadedfile import SimpleUploadedFile
from django.test import Client
from django.utils import timezone

from homecare.improvement import services
from homecare.improvement.models import ImprovementItem, ImprovementPlan
from reviews.models import Assessment, PlanIssue
from reviews.services import add_action, review_plan, submit_plan
from tests.conftest import login
from tests.quality.flow import date_parts, published_with_plan

PDF = b"%PDF-1.7\n1 0 obj << /Type /Catalog >> endobj\ntrailer << /Root 1 0 R >>\n%%EOF\n"
PNG = b"\x89PNG\r\n\x1a\n\x00\x00\x00\rIHDR\x00\x00\x00\x01\x00\x00\x00\x01\x08\x02\x00\x00\x00"
# A Windows program's first bytes: the MZ header and the DOS stub's message.
EXE = b"MZ\x90\x00\x03\x00\x00\x00\x04\x00\x00\x00\xff\xff\x00\x00" + b"This program cannot be run"


def docx() -> bytes:
    """A Word document's container, as Word writes it: the content types first."""
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w") as archive:
        archive.writestr("[Content_Types].xml", "<Types/>")
        archive.writestr("_rels/.rels", "<Relationships/>")
        archive.writestr("word/document.xml", "<w:document/>")
    return buffer.getvalue()


def upload(name: str, content: bytes, content_type: str = "application/pdf") -> Any:
    # The browser's content type is whatever the user's machine says: never trusted.
    return SimpleUploadedFile(name, content, content_type=content_type)


def scrutiny_plan(user: User, items: int = 2) -> tuple[ImprovementPlan, list[ImprovementItem]]:
    plan = services.create_plan(
        user,
        "Scrutiny review of care at home",
        agreed_on=dt.date(2023, 2, 1),
        lead_officer="Link officer",
    )
    made = [
        services.add_item(
            plan,
            user,
            number=n,
            recommendation=f"Recommendation text {n}",
            agreed_action=f"Agreed action {n}",
            success_measure=f"Success measure {n}",
            responsibility="Commissioning lead",
            due_date=dt.date(2023, 12, 1),
        )
        for n in range(1, items + 1)
    ]
    return plan, made


def accepted_action_plan(
    officer: User, provider: Any, framework: Any, provider_user: User
) -> tuple[Assessment, ImprovementPlan]:
    """A published assessment whose action plan the provider wrote (two
    actions) and the officer accepted; the tracker's plan that links to it."""
    assessment = published_with_plan(login(Client(), officer), provider, framework, provider_user)
    plan = assessment.action_plan
    due = timezone.localdate() + dt.timedelta(days=60)
    for issue in PlanIssue.objects.filter(plan=plan).select_related("question"):
        add_action(plan, provider_user, issue, f"Fix {issue.question.code}", "J. Smith", due)
    submit_plan(plan, provider_user, timezone.localdate())
    review_plan(plan, officer, accept=True)
    return assessment, ImprovementPlan.objects.get(action_plan=plan)


def update_data(as_of: dt.date, grade: int, **extra: Any) -> dict[str, Any]:
    return {
        **date_parts("as_of", as_of),
        "progress": f"Progress reported on {as_of}",
        "grade": str(grade),
        "impact": "Fewer missed visits",
        **extra,
    }
