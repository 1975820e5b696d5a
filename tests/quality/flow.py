"""Steps of the quality flow through the web forms, shared by the quality tests."""

from __future__ import annotations

import datetime as dt
from typing import Any

from django.contrib.auth.models import User
from django.test import Client
from django.urls import reverse
from django.utils import timezone

from reviews.models import (
    Assessment,
    AssessmentStatus,
    Question,
)


def date_parts(name: str, value: str | dt.date) -> dict[str, str]:
    """A date as the GOV.UK day, month and year boxes post it."""
    year, month, day = str(value).split("-")
    return {f"{name}_day": day, f"{name}_month": month, f"{name}_year": year}


def details(**extra: Any) -> dict[str, Any]:
    data = {
        "assessment_type": "routine",
        "start_date": "2026-10-05",
        "end_date": "2026-10-06",
        "assessors": "A. Officer, B. Officer",
        "files_sampled": "8",
        "people_spoken_with": "5",
        "staff_spoken_with": "6",
        "evidence_notes": "Care files, MAR charts, rotas",
        **extra,
    }
    for name in ("start_date", "end_date"):
        data.update(date_parts(name, data.pop(name)))
    return data


def ratings(framework: Any, poor_codes: tuple[str, ...] = (), ri_codes=()) -> dict[str, str]:
    data = {}
    for q in Question.objects.filter(framework=framework):
        rating = (
            "poor"
            if q.code in poor_codes
            else "requires_improvement"
            if q.code in ri_codes
            else "good"
        )
        data[f"q{q.pk}"] = rating
        data[f"e{q.pk}"] = f"Evidence for {q.code}"
    return data


def start(client: Client, provider: Any, framework: Any) -> Assessment:
    response = client.post(
        reverse("assessment-start"),
        {"provider": provider.pk, "framework": framework.pk, "assessment_type": "routine"},
    )
    assessment = Assessment.objects.get()
    assert response.status_code == 302
    assert response["Location"] == reverse("assessment-edit", args=[assessment.pk])
    return assessment


def issued(client: Client, provider: Any, framework: Any, **kwargs: Any) -> Assessment:
    assessment = start(client, provider, framework)
    response = client.post(
        reverse("assessment-edit", args=[assessment.pk]),
        {**details(), **ratings(framework, **kwargs), "action": "issue"},
    )
    assert response.status_code == 302, response.content.decode()[:3000]
    assessment.refresh_from_db()
    return assessment


def published_with_plan(
    client: Client, provider: Any, framework: Any, provider_user: User
) -> Assessment:
    assessment = issued(client, provider, framework, poor_codes=("SA04",), ri_codes=("ST02",))
    Assessment.objects.filter(pk=assessment.pk).update(
        comments_due=timezone.localdate() - dt.timedelta(days=1)
    )
    client.post(reverse("assessment-publish", args=[assessment.pk]))
    assessment.refresh_from_db()
    assert assessment.status == AssessmentStatus.PUBLISHED
    return assessment


def add_action(provider_client: Client, assessment: Assessment, issue: Any, text: str) -> Any:
    return provider_client.post(
        reverse("action-plan", args=[assessment.pk]),
        {
            "step": "add",
            "issue": issue.pk,
            "description": text,
            "owner": "J. Smith, registered manager",
            **date_parts("due_date", timezone.localdate() + dt.timedelta(days=30)),
        },
    )
