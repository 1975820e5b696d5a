"""Recording an assessment through the web forms, as the officer, a senior
officer and the provider's user would: draft, issue, comments, dispute, publish."""

from __future__ import annotations

import datetime as dt

import pytest
from django.test import Client
from django.urls import reverse
from django.utils import timezone

from providers.access import COMMISSIONER
from reviews.models import (
    ActionPlan,
    Assessment,
    AssessmentEvent,
    AssessmentStatus,
    Question,
    QuestionRating,
)
from tests.conftest import login
from tests.factories import UserFactory
from tests.quality.flow import details, issued, ratings, start

pytestmark = pytest.mark.django_db


def test_draft_save_and_return_then_issue(client, quality_officer, provider_a, framework) -> None:
    login(client, quality_officer)
    assessment = start(client, provider_a, framework)
    first = Question.objects.filter(framework=framework).order_by("position").first()
    edit_url = reverse("assessment-edit", args=[assessment.pk])
    # Part-done, and with nothing else: "Save and continue later" keeps it.
    response = client.post(
        edit_url,
        {
            "assessment_type": "routine",
            "assessors": "A. Officer",
            f"q{first.pk}": "excellent",
            f"e{first.pk}": "Plans signed",
            "action": "save",
        },
    )
    assert response.status_code == 302 and response["Location"] == edit_url
    answer = QuestionRating.objects.get(assessment=assessment, question=first)
    assert (answer.rating, answer.evidence) == ("excellent", "Plans signed")
    page = client.get(edit_url).content.decode()
    assert "Plans signed" in page and 'value="A. Officer"' in page
    # Submitting while incomplete: saved, not issued, every field kept, errors named.
    response = client.post(
        edit_url,
        {
            "assessment_type": "routine",
            "assessors": "A. Officer",
            f"q{first.pk}": "excellent",
            f"e{first.pk}": "Plans signed",
            "evidence_notes": "Rotas",
            "action": "issue",
        },
    )
    assert response.status_code == 200
    page = response.content.decode()
    assert "There is a problem" in page and "Enter the first day of the assessment" in page
    assert "Select a rating for IN02" in page
    assert "Plans signed" in page and "Rotas" in page
    assert page.count(" checked>") == 2  # the type and IN01's rating are still chosen
    assessment.refresh_from_db()
    assert assessment.status == AssessmentStatus.DRAFT and assessment.evidence_notes == "Rotas"
    # A date that is not a date: nothing lost, the error says what to fix.
    response = client.post(edit_url, {**details(start_date="2026-02-31"), "action": "save"})
    assert "First day of the assessment must be a real date" in response.content.decode()
    # Complete: issued with the 14-day window.
    response = client.post(edit_url, {**details(), **ratings(framework), "action": "issue"})
    assert response.status_code == 302
    assessment.refresh_from_db()
    assert assessment.status == AssessmentStatus.ISSUED
    assert assessment.comments_due == timezone.localdate() + dt.timedelta(days=14)
    detail = client.get(reverse("assessment", args=[assessment.pk])).content.decode()
    assert assessment.comments_due.strftime("%-d %B %Y") in detail and "14 days left" in detail
    # The draft cannot be edited now.
    assert client.get(edit_url).status_code == 302


def test_provider_comments_then_publish(
    client, quality_officer, provider_a, provider_a_user, framework
) -> None:
    login(client, quality_officer)
    assessment = issued(client, provider_a, framework)
    # Not yet: the provider has not commented and the window is open.
    client.post(reverse("assessment-publish", args=[assessment.pk]))
    assessment.refresh_from_db()
    assert assessment.status == AssessmentStatus.ISSUED
    provider_client = login(Client(), provider_a_user)
    page = provider_client.get(reverse("assessment", args=[assessment.pk])).content.decode()
    assert "Comment on the draft report" in page
    response = provider_client.post(
        reverse("assessment-comment", args=[assessment.pk]),
        {"comment": "Thank you; agreed.", "evidence": "", "disputes_accuracy": "no"},
    )
    assert response.status_code == 302
    assessment.refresh_from_db()
    assert assessment.status == AssessmentStatus.ISSUED
    client.post(reverse("assessment-publish", args=[assessment.pk]))
    assessment.refresh_from_db()
    assert assessment.status == AssessmentStatus.PUBLISHED
    assert assessment.overall_rating == "good"
    assert not ActionPlan.objects.exists()  # nothing rated RI or Poor
    actions = list(
        AssessmentEvent.objects.filter(assessment=assessment).values_list("action", "by__username")
    )
    assert ("Draft report issued to the provider", "quality") in actions
    assert ("Provider commented", "alpha-user") in actions
    assert ("Report published", "quality") in actions


def test_comment_after_the_window_is_refused(
    client, quality_officer, provider_a, provider_a_user, framework
) -> None:
    login(client, quality_officer)
    assessment = issued(client, provider_a, framework)
    Assessment.objects.filter(pk=assessment.pk).update(
        comments_due=timezone.localdate() - dt.timedelta(days=1)
    )
    provider_client = login(Client(), provider_a_user)
    response = provider_client.post(
        reverse("assessment-comment", args=[assessment.pk]),
        {"comment": "Too late", "disputes_accuracy": "yes"},
    )
    assert "have ended" in response.content.decode()
    assessment.refresh_from_db()
    assert assessment.status == AssessmentStatus.ISSUED
    # With the window over and no comment, the officer may publish.
    client.post(reverse("assessment-publish", args=[assessment.pk]))
    assessment.refresh_from_db()
    assert assessment.status == AssessmentStatus.PUBLISHED


def test_dispute_settled_by_a_senior_officer(
    client, quality_officer, senior_officer, provider_a, provider_a_user, framework
) -> None:
    login(client, quality_officer)
    assessment = issued(client, provider_a, framework, poor_codes=("SA04",))
    provider_client = login(Client(), provider_a_user)
    provider_client.post(
        reverse("assessment-comment", args=[assessment.pk]),
        {
            "comment": "The MAR gaps were explained.",
            "evidence": "Audit of 3 March",
            "disputes_accuracy": "yes",
        },
    )
    assessment.refresh_from_db()
    assert assessment.status == AssessmentStatus.DISPUTED
    # The officer who recorded it cannot settle it, nor can they publish now.
    assert client.get(reverse("assessment-settle", args=[assessment.pk])).status_code == 403
    client.post(reverse("assessment-publish", args=[assessment.pk]))
    assessment.refresh_from_db()
    assert assessment.status == AssessmentStatus.DISPUTED
    senior = login(Client(), senior_officer)
    page = senior.get(reverse("assessment", args=[assessment.pk])).content.decode()
    assert "Settle the dispute" in page
    # Upheld in part: the senior officer overrides the standard, with a reason.
    standard = Question.objects.get(framework=framework, code="SA04").standard
    response = senior.post(
        reverse("assessment-override", args=[assessment.pk]),
        {"target": f"standard:{standard.pk}", "rating": "good", "reason": "Gaps were explained"},
    )
    assert response.status_code == 302
    response = senior.post(reverse("assessment-settle", args=[assessment.pk]), {"notes": ""})
    assert "Enter how the dispute was settled" in response.content.decode()
    senior.post(reverse("assessment-settle", args=[assessment.pk]), {"notes": "Upheld in part."})
    assessment.refresh_from_db()
    assert assessment.status == AssessmentStatus.SETTLED
    client.post(reverse("assessment-publish", args=[assessment.pk]))
    assessment.refresh_from_db()
    assert assessment.status == AssessmentStatus.PUBLISHED
    page = client.get(reverse("assessment", args=[assessment.pk])).content.decode()
    assert "Gaps were explained" in page and "overridden" in page
    # The Poor question still needs an action plan.
    plan = ActionPlan.objects.get(assessment=assessment)
    assert [i.question.code for i in plan.issues.all()] == ["SA04"]
    by = dict(
        AssessmentEvent.objects.filter(assessment=assessment).values_list("action", "by__username")
    )
    assert by["Dispute settled by a senior officer"] == "senior"
    assert by["Provider disputed factual accuracy"] == "alpha-user"


def test_a_commissioner_is_a_senior_officer(
    client, quality_officer, provider_a, provider_a_user, framework
) -> None:
    login(client, quality_officer)
    assessment = issued(client, provider_a, framework)
    login(Client(), provider_a_user).post(
        reverse("assessment-comment", args=[assessment.pk]),
        {"comment": "Wrong", "disputes_accuracy": "yes"},
    )
    commissioner = login(Client(), UserFactory(username="boss", role=COMMISSIONER))
    commissioner.post(reverse("assessment-settle", args=[assessment.pk]), {"notes": "Not upheld."})
    assessment.refresh_from_db()
    assert assessment.status == AssessmentStatus.SETTLED


def test_officer_override_in_the_draft(client, quality_officer, provider_a, framework) -> None:
    login(client, quality_officer)
    assessment = start(client, provider_a, framework)
    client.post(
        reverse("assessment-edit", args=[assessment.pk]),
        {**details(), **ratings(framework), "action": "save"},
    )
    response = client.post(
        reverse("assessment-override", args=[assessment.pk]),
        {"target": "overall", "rating": "excellent", "reason": ""},
    )
    assert "Enter the reason for the override" in response.content.decode()
    client.post(
        reverse("assessment-override", args=[assessment.pk]),
        {"target": "overall", "rating": "excellent", "reason": "Outstanding feedback"},
    )
    page = client.get(reverse("assessment", args=[assessment.pk])).content.decode()
    assert "Outstanding feedback" in page and "rolled up as" in page
