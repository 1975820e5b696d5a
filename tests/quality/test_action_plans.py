"""Action plans through the web forms: the provider writes them, the officer
reviews and verifies; late plans and overdue actions are listed."""

from __future__ import annotations

import datetime as dt

import pytest
from django.test import Client
from django.urls import reverse
from django.utils import timezone

from providers.access import QUALITY_OFFICER
from reviews.models import (
    ActionPlan,
    ActionStatus,
    AssessmentEvent,
    PlanAction,
    PlanStatus,
)
from reviews.selectors import overdue_actions, overdue_plans
from tests.conftest import login
from tests.factories import UserFactory
from tests.quality.flow import add_action, published_with_plan

pytestmark = pytest.mark.django_db


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
        {"step": "add", "issue": st02.pk, "description": "Recruit", "owner": ""},
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


def test_a_stale_plan_review_is_refused_with_who_and_when(
    client, quality_officer, provider_a, provider_a_user, framework
) -> None:
    login(client, quality_officer)
    assessment = published_with_plan(client, provider_a, framework, provider_a_user)
    plan = assessment.action_plan
    provider_client = login(Client(), provider_a_user)
    for issue in plan.issues.all():
        add_action(provider_client, assessment, issue, "Fix it")
    provider_client.post(reverse("action-plan", args=[assessment.pk]), {"step": "submit"})
    plan.refresh_from_db()
    shown = plan.version
    # A second officer opens the same plan; the first accepts it meanwhile.
    other = UserFactory(username="other", first_name="Omar", last_name="Reid", role=QUALITY_OFFICER)
    other_client = login(Client(), other)
    client.post(
        reverse("action-plan", args=[assessment.pk]),
        {"step": "review", "decision": "accept", "version": shown},
    )
    response = other_client.post(
        reverse("action-plan", args=[assessment.pk]),
        {"step": "review", "decision": "return", "reason": "Dates too late", "version": shown},
    )
    page = response.content.decode()
    assert response.status_code == 200
    assert "There is a problem" in page and "This was changed by quality at " in page
    assert "review and save again" in page
    plan.refresh_from_db()
    assert plan.status == PlanStatus.ACCEPTED and plan.return_reason == ""
