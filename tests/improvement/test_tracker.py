"""The improvement tracker through its pages (issue 15): council-wide plans and
providers' action plans, dated updates graded 1 to 4, the grades kept quarter
by quarter, slipped and not-achieved items on the dashboards, who may do what."""

from __future__ import annotations

import datetime as dt

import pytest
from auditlog.models import LogEntry
from django.contrib.contenttypes.models import ContentType
from django.test import Client
from django.urls import reverse

from homecare.improvement.models import ImprovementItem, ImprovementPlan, ProgressUpdate
from homecare.improvement.selectors import slipped_items
from reviews.models import PlanAction, PlanIssue
from reviews.services import add_action
from tests.conftest import login
from tests.factories import provider_user
from tests.improvement.builders import accepted_action_plan, scrutiny_plan, update_data
from tests.quality.flow import date_parts, published_with_plan

pytestmark = pytest.mark.django_db

Q3 = dt.date(2023, 12, 15)  # Q3 2023/24
Q4 = dt.date(2024, 3, 28)  # Q4 2023/24
Q2_NEXT = dt.date(2024, 8, 1)  # Q2 2024/25


def table(response) -> str:
    """The tracker's table alone (the filters and the intro name every grade)."""
    page = response.content.decode()
    return page[page.index("<table") : page.index("</table>")] if "<table" in page else ""


def test_council_plan_made_graded_and_kept_quarter_by_quarter(client, commissioner) -> None:
    login(client, commissioner)
    response = client.post(
        reverse("improvement-plan-new"),
        {
            "title": "Scrutiny review of care at home",
            "lead_officer": "A. Officer",
            **date_parts("agreed_on", "2023-02-01"),
        },
    )
    plan = ImprovementPlan.objects.get()
    assert response["Location"] == reverse("improvement-plan", args=[plan.pk])
    assert plan.council_wide and plan.created_by == commissioner
    client.post(
        reverse("improvement-item-new", args=[plan.pk]),
        {
            "number": "1",
            "recommendation": "All providers listed in the information directory",
            "agreed_action": "Support the relaunch of the directory",
            "success_measure": "Provider information current after relaunch",
            "responsibility": "Commissioning lead",
            **date_parts("due_date", "2023-07-31"),
        },
    )
    item = ImprovementItem.objects.get()
    update_url = reverse("improvement-update", args=[item.pk])
    # Q3: on track; Q4: slipped; nothing in Q1; Q2 next year: fully achieved.
    for day, grade in ((Q3, 2), (Q4, 3)):
        response = client.post(update_url, update_data(day, grade))
        assert response.status_code == 302, response.content.decode()[:2000]
    assert list(ProgressUpdate.objects.values_list("grade", flat=True)) == [3, 2]

    page = client.get(reverse("improvement-plan", args=[plan.pk])).content.decode()
    history = page[page.index("Grades by quarter") : page.index(f'id="item-{item.pk}"')]
    assert "Q3 2023/24" in history and "Q4 2023/24" in history
    assert history.index("2 On track") < history.index("3 Slipped")
    assert "Support the relaunch of the directory" in page
    assert "Evidence of impact:" in page and "Fewer missed visits" in page

    # The slipped recommendation is on the market page.
    market = client.get(reverse("market")).content.decode()
    assert "Council-wide recommendations slipped or not achieved" in market
    assert "Recommendation 1" in market

    client.post(update_url, update_data(Q2_NEXT, 1))
    page = client.get(reverse("improvement-plan", args=[plan.pk])).content.decode()
    history = page[page.index("Grades by quarter") : page.index(f'id="item-{item.pk}"')]
    # Q1 2024/25 had no update: the Q4 grade stands; then fully achieved.
    quarters = ["Q3 2023/24", "Q4 2023/24", "Q1 2024/25", "Q2 2024/25"]
    assert [history.index(q) for q in quarters] == sorted(history.index(q) for q in quarters)
    assert history.count("3 Slipped") == 2 and "1 Fully achieved" in history
    assert "Council-wide recommendations" not in client.get(reverse("market")).content.decode()
    # Every row written left an audit row, with who wrote it.
    for model in (ImprovementPlan, ImprovementItem, ProgressUpdate):
        entries = LogEntry.objects.filter(content_type=ContentType.objects.get_for_model(model))
        assert entries.exists() and all(e.actor == commissioner for e in entries)


def test_update_form_says_what_is_wrong_next_to_each_field(client, quality_officer) -> None:
    plan, (item, _) = scrutiny_plan(quality_officer)
    login(client, quality_officer)
    future = dt.date.today() + dt.timedelta(days=3)
    response = client.post(
        reverse("improvement-update", args=[item.pk]),
        {**date_parts("as_of", future), "progress": "", "grade": "5"},
    )
    page = response.content.decode()
    assert response.status_code == 200
    assert 'id="id_as_of-error"' in page and "must be today or in the past" in page
    assert 'id="id_progress-error"' in page and "Enter the evidence of progress" in page
    assert 'id="id_grade-error"' in page
    assert not ProgressUpdate.objects.exists()


def test_tracker_filters_by_provider_grade_and_quarter(
    client, quality_officer, provider_a, provider_a_user, framework
) -> None:
    council, (first, second) = scrutiny_plan(quality_officer)
    assessment, provider_plan = accepted_action_plan(
        quality_officer, provider_a, framework, provider_a_user
    )
    login(client, quality_officer)
    for item, day, grade in ((first, Q3, 2), (first, Q4, 4), (second, Q4, 1)):
        client.post(reverse("improvement-update", args=[item.pk]), update_data(day, grade))
    url = reverse("improvement")
    everything = table(client.get(url))
    assert "4 items" in everything and "Fix SA04" in everything and "Recommendation 2" in everything

    at_q3 = table(client.get(url, {"quarter": "2023-q3"}))
    assert "1 item<" in at_q3 and "2 On track" in at_q3 and "4 Not achieved" not in at_q3
    not_achieved = table(client.get(url, {"grade": "4"}))
    assert "Recommendation 1" in not_achieved and "Recommendation 2" not in not_achieved
    alpha = table(client.get(url, {"provider": "PA"}))
    assert "Fix SA04" in alpha and "Recommendation 1" not in alpha
    council_only = table(client.get(url, {"provider": "council"}))
    assert "Fix SA04" not in council_only and "Recommendation 1" in council_only
    # Values no filter offers are a 400 page that says what is wrong.
    for bad in ({"quarter": "2024-q5"}, {"grade": "9"}, {"provider": "NOPE"}, {"page": "x"}):
        response = client.get(url, bad)
        assert response.status_code == 400, bad


def test_providers_action_plan_is_in_the_tracker_without_copying_it(
    client, quality_officer, provider_a, provider_a_user, framework
) -> None:
    assessment, plan = accepted_action_plan(quality_officer, provider_a, framework, provider_a_user)
    actions = PlanAction.objects.filter(issue__plan=assessment.action_plan)
    items = ImprovementItem.objects.filter(plan=plan)
    assert sorted(i.action_id for i in items) == sorted(a.pk for a in actions)
    # Links only: the action's words live in the action plan.
    assert all(not i.agreed_action and not i.recommendation for i in items)
    # A change made on the action plan is what the tracker shows.
    action = actions.get(description="Fix SA04")
    PlanAction.objects.filter(pk=action.pk).update(description="Weekly MAR chart audit")
    provider_client = login(Client(), provider_a_user)
    page = provider_client.get(reverse("improvement-plan", args=[plan.pk])).content.decode()
    assert "Weekly MAR chart audit" in page
    assert reverse("action-plan", args=[assessment.pk]) in page

    # The provider's user reports progress on its own actions; not achieved
    # shows on its provider dashboard.
    item = items.get(action=action)
    response = provider_client.post(
        reverse("improvement-update", args=[item.pk]), update_data(Q4, 4)
    )
    assert response.status_code == 302
    dashboard = provider_client.get(reverse("provider-dashboard", args=["PA"])).content.decode()
    assert "Action plan items slipped or not achieved" in dashboard
    assert "Weekly MAR chart audit" in dashboard
    assert [i.pk for i in slipped_items(provider_a)] == [item.pk]
    assert list(slipped_items(council_wide=True)) == []


def test_who_may_see_and_do_what(
    client,
    commissioner,
    quality_officer,
    contract_manager,
    provider_a,
    provider_b,
    provider_a_user,
    framework,
) -> None:
    council, (recommendation, _) = scrutiny_plan(commissioner)
    assessment, alpha_plan = accepted_action_plan(
        quality_officer, provider_a, framework, provider_a_user
    )
    alpha_item = alpha_plan.items.first()
    beta_user = provider_user(provider_b, username="beta-user")

    # Contract managers read everything and change nothing.
    manager = login(Client(), contract_manager)
    assert manager.get(reverse("improvement")).status_code == 200
    assert manager.get(reverse("improvement-plan", args=[council.pk])).status_code == 200
    assert manager.get(reverse("improvement-plan", args=[alpha_plan.pk])).status_code == 200
    assert manager.get(reverse("improvement-plan-new")).status_code == 403
    for item in (recommendation, alpha_item):
        url = reverse("improvement-update", args=[item.pk])
        assert manager.post(url, update_data(Q4, 2)).status_code == 403

    # A provider's user: its own plan only; the council's and another's are not there.
    beta = login(Client(), beta_user)
    assert beta.get(reverse("improvement-plan", args=[alpha_plan.pk])).status_code == 404
    assert beta.get(reverse("improvement-plan", args=[council.pk])).status_code == 404
    url = reverse("improvement-update", args=[alpha_item.pk])
    assert beta.post(url, update_data(Q4, 1)).status_code == 404
    alpha = login(Client(), provider_a_user)
    assert alpha.get(reverse("improvement-plan", args=[council.pk])).status_code == 404
    assert "Recommendation 1" not in alpha.get(reverse("improvement")).content.decode()
    assert alpha.get(reverse("improvement-plan-new")).status_code == 403
    url = reverse("improvement-update", args=[recommendation.pk])
    assert alpha.post(url, update_data(Q4, 1)).status_code == 404
    # Quality officers grade a provider's actions too.
    officer = login(Client(), quality_officer)
    url = reverse("improvement-update", args=[alpha_item.pk])
    assert officer.post(url, update_data(Q4, 3)).status_code == 302
    assert ProgressUpdate.objects.get().by == quality_officer


def test_progress_waits_for_the_plan_to_be_accepted(
    client, quality_officer, provider_a, provider_a_user, framework
) -> None:
    assessment = published_with_plan(
        login(Client(), quality_officer), provider_a, framework, provider_a_user
    )
    issue = PlanIssue.objects.filter(plan=assessment.action_plan).first()
    add_action(
        assessment.action_plan, provider_a_user, issue, "Draft action", "J. Smith", dt.date.today()
    )
    item = ImprovementItem.objects.get()
    alpha = login(client, provider_a_user)
    response = alpha.post(reverse("improvement-update", args=[item.pk]), update_data(Q4, 2))
    assert "once the quality officer has accepted the plan" in response.content.decode()
    assert not ProgressUpdate.objects.exists()


def test_pages_ask_a_bounded_number_of_queries(
    client, quality_officer, django_assert_max_num_queries
) -> None:
    plan, items = scrutiny_plan(quality_officer, items=12)
    login(client, quality_officer)
    for item in items:
        for day, grade in ((Q3, 2), (Q4, 3), (Q2_NEXT, 1)):
            client.post(reverse("improvement-update", args=[item.pk]), update_data(day, grade))
    with django_assert_max_num_queries(14):
        assert client.get(reverse("improvement-plan", args=[plan.pk])).status_code == 200
    with django_assert_max_num_queries(14):
        assert client.get(reverse("improvement"), {"quarter": "2023-q4"}).status_code == 200
