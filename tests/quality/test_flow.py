"""The whole quality flow through the web forms, as the officer, a senior
officer and the provider's user would use it."""

from __future__ import annotations

import datetime as dt
from typing import Any

import pytest
from django.contrib.auth.models import User
from django.test import Client
from django.urls import reverse
from django.utils import timezone

from providers.access import COMMISSIONER
from reviews.models import (
    ActionPlan,
    ActionStatus,
    Assessment,
    AssessmentEvent,
    AssessmentStatus,
    PlanAction,
    PlanStatus,
    Question,
    QuestionRating,
)
from reviews.selectors import overdue_actions, overdue_plans
from tests.conftest import login
from tests.factories import UserFactory, provider_user

pytestmark = pytest.mark.django_db


def details(**extra: Any) -> dict[str, Any]:
    return {
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
            "due_date": (timezone.localdate() + dt.timedelta(days=30)).isoformat(),
        },
    )


def test_action_plan_on_time_returned_accepted_updated_verified(
    client, quality_officer, provider_a, provider_a_user, framework
) -> None:
    login(client, quality_officer)
    assessment = published_with_plan(client, provider_a, framework, provider_a_user)
    plan = assessment.action_plan
    assert plan.due_date == timezone.localdate() + dt.timedelta(days=14)
    sa04, st02 = sorted(plan.issues.select_related("question"), key=lambda i: i.question.code)
    provider_client = login(Client(), provider_a_user)
    plan_url = reverse("action-plan", args=[assessment.pk])
    # An issue without an action: the plan cannot go.
    add_action(provider_client, assessment, sa04, "Weekly MAR audit")
    response = provider_client.post(plan_url, {"step": "submit"}, follow=True)
    assert "Add at least one action for ST02" in response.content.decode()
    # Errors on the add form keep what was typed.
    response = provider_client.post(
        plan_url,
        {"step": "add", "issue": st02.pk, "description": "Recruit", "owner": "", "due_date": ""},
    )
    page = response.content.decode()
    assert "Enter the name of the person responsible" in page and "Recruit" in page
    add_action(provider_client, assessment, st02, "Recruit four carers")
    provider_client.post(plan_url, {"step": "submit"})
    plan.refresh_from_db()
    assert plan.status == PlanStatus.SUBMITTED and not plan.submitted_late
    # Returned with a reason, changed, resubmitted, accepted.
    response = client.post(plan_url, {"step": "review", "decision": "return", "reason": ""})
    assert "Enter why the plan is returned" in response.content.decode()
    client.post(plan_url, {"step": "review", "decision": "return", "reason": "Dates too late"})
    plan.refresh_from_db()
    assert plan.status == PlanStatus.RETURNED
    add_action(provider_client, assessment, st02, "Use agency cover meanwhile")
    provider_client.post(plan_url, {"step": "submit"})
    client.post(plan_url, {"step": "review", "decision": "accept"})
    plan.refresh_from_db()
    assert plan.status == PlanStatus.ACCEPTED
    # The provider reports progress; the officer reopens one and verifies all.
    actions = list(PlanAction.objects.filter(issue__plan=plan))
    for action in actions:
        provider_client.post(
            reverse("plan-action", args=[assessment.pk, action.pk]),
            {"status": "completed", "progress": "Done", "evidence": "Audit file"},
        )
    first = actions[0]
    client.post(
        reverse("plan-action", args=[assessment.pk, first.pk]),
        {"decision": "reopen", "note": "Audit not signed"},
    )
    first.refresh_from_db()
    assert first.status == ActionStatus.REOPENED
    provider_client.post(
        reverse("plan-action", args=[assessment.pk, first.pk]),
        {"status": "completed", "progress": "Signed now", "evidence": "Signed audit"},
    )
    for action in actions:
        client.post(reverse("plan-action", args=[assessment.pk, action.pk]), {"decision": "verify"})
    plan.refresh_from_db()
    assert plan.status == PlanStatus.CLOSED
    assert PlanAction.objects.filter(issue__plan=plan, status=ActionStatus.VERIFIED).count() == 3
    log = list(
        AssessmentEvent.objects.filter(assessment=assessment).values_list("action", flat=True)
    )
    for step in (
        "Action plan opened",
        "Action plan submitted",
        "Action plan returned",
        "Action plan accepted",
        "Action reopened",
        "Action verified",
        "Action plan closed: every action verified",
    ):
        assert step in log


def test_action_plan_submitted_late_and_overdue_lists(
    client, quality_officer, provider_a, provider_a_user, framework
) -> None:
    login(client, quality_officer)
    assessment = published_with_plan(client, provider_a, framework, provider_a_user)
    plan = assessment.action_plan
    today = timezone.localdate()
    ActionPlan.objects.filter(pk=plan.pk).update(due_date=today - dt.timedelta(days=2))
    assert list(overdue_plans(provider_a, today)) == [plan]
    page = client.get(reverse("quality")).content.decode()
    assert "Overdue action plans" in page
    provider_client = login(Client(), provider_a_user)
    for issue in plan.issues.all():
        add_action(provider_client, assessment, issue, f"Fix {issue.pk}")
    provider_client.post(reverse("action-plan", args=[assessment.pk]), {"step": "submit"})
    plan.refresh_from_db()
    assert plan.status == PlanStatus.SUBMITTED and plan.submitted_late
    assert "Action plan submitted late" in assessment.events.values_list("action", flat=True)
    client.post(
        reverse("action-plan", args=[assessment.pk]), {"step": "review", "decision": "accept"}
    )
    PlanAction.objects.filter(issue__plan=plan).update(due_date=today - dt.timedelta(days=1))
    assert overdue_actions(provider_a, today).count() == 2
    assert overdue_actions(None, today).count() == 2
    page = provider_client.get(reverse("provider-quality", args=[provider_a.ref])).content.decode()
    assert "Overdue actions" in page and "J. Smith" in page


def test_a_provider_user_cannot_see_another_providers_assessments(
    client, quality_officer, provider_a, provider_b, framework
) -> None:
    login(client, quality_officer)
    assessment = published_with_plan(client, provider_a, framework, None)
    outsider = login(Client(), provider_user(provider_b, username="beta-user"))
    for name in ("assessment", "assessment-comment", "action-plan"):
        assert outsider.get(reverse(name, args=[assessment.pk])).status_code == 404, name
    assert outsider.get(reverse("provider-quality", args=[provider_a.ref])).status_code == 404
    assert outsider.post(reverse("assessment-publish", args=[assessment.pk])).status_code == 404


def test_a_provider_user_does_not_see_drafts(
    client, quality_officer, provider_a, provider_a_user, framework
) -> None:
    login(client, quality_officer)
    assessment = start(client, provider_a, framework)
    own = login(Client(), provider_a_user)
    assert own.get(reverse("assessment", args=[assessment.pk])).status_code == 404
    # A draft is not there for the provider yet, so not its edit page either.
    assert own.get(reverse("assessment-edit", args=[assessment.pk])).status_code == 404


def test_only_quality_officers_record(client, contract_manager, provider_a, framework) -> None:
    login(client, contract_manager)
    assert client.get(reverse("assessment-start")).status_code == 403


def test_pages_run_a_bounded_number_of_queries(
    client, quality_officer, provider_a, provider_a_user, framework, django_assert_max_num_queries
) -> None:
    login(client, quality_officer)
    assessment = published_with_plan(client, provider_a, framework, provider_a_user)
    provider_client = login(Client(), provider_a_user)
    for issue in assessment.action_plan.issues.all():
        add_action(provider_client, assessment, issue, "Fix it")
    pages = [
        (client, reverse("quality")),
        (client, reverse("assessment", args=[assessment.pk])),
        (client, reverse("action-plan", args=[assessment.pk])),
        (client, reverse("provider-quality", args=[provider_a.ref])),
        (provider_client, reverse("assessment", args=[assessment.pk])),
        (provider_client, reverse("action-plan", args=[assessment.pk])),
        (client, reverse("frameworks")),
        (client, reverse("framework", args=[framework.pk])),
    ]
    for who, url in pages:
        with django_assert_max_num_queries(20):
            assert who.get(url).status_code == 200, url


def test_the_edit_form_runs_a_bounded_number_of_queries(
    client, quality_officer, provider_a, framework, django_assert_max_num_queries
) -> None:
    login(client, quality_officer)
    assessment = start(client, provider_a, framework)
    url = reverse("assessment-edit", args=[assessment.pk])
    client.post(url, {**details(), **ratings(framework), "action": "save"})
    with django_assert_max_num_queries(15):
        assert client.get(url).status_code == 200
    with django_assert_max_num_queries(25):
        assert (
            client.post(url, {**details(), **ratings(framework), "action": "save"}).status_code
            == 302
        )
