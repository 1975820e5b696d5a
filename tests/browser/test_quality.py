"""Quality monitoring in a real browser: an officer records and issues a
20-plus-question assessment; the published report, the provider's view and
the action plan pass axe-core's WCAG 2.2 A/AA checks."""

from __future__ import annotations

import datetime as dt
from typing import Any

import pytest
from django.utils import timezone

from providers.access import QUALITY_OFFICER
from reviews.models import Assessment, AssessmentStatus, Question
from reviews.services import (
    add_action,
    issue_to_provider,
    load_default_framework,
    publish,
    save_draft,
    start_assessment,
)
from tests.browser.conftest import DESKTOP, check_accessibility, screenshot, sign_in
from tests.factories import CarePackageFactory, ProviderFactory, UserFactory, provider_user

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]

RATINGS = ["Good", "Excellent", "Good", "Requires improvement", "Good", "Excellent"]


@pytest.fixture
def page(browser: Any, live_server: Any) -> Any:
    """As the shared fixture, but in a British locale so date inputs read day first."""
    context = browser.new_context(viewport=DESKTOP, base_url=live_server.url, locale="en-GB")
    yield context.new_page()
    context.close()


def fill_date(page: Any, name: str, day: str = "", month: str = "", year: str = "") -> None:
    """Type into the GOV.UK day, month and year boxes of a date question."""
    for part, value in (("day", day), ("month", month), ("year", year)):
        page.locator(f"#id_{name}_{part}").fill(value)


@pytest.fixture
def people() -> dict[str, Any]:
    framework = load_default_framework()
    alpha = ProviderFactory(ref="PA", name="Alpha Home Care")
    today = timezone.localdate()
    CarePackageFactory(ref="K-LATE", provider=alpha, start_date=today - dt.timedelta(days=60))
    return {
        "framework": framework,
        "alpha": alpha,
        "officer": UserFactory(username="quality", role=QUALITY_OFFICER),
        "provider_user": provider_user(alpha, username="alpha-user"),
    }


def test_officer_records_and_issues_an_assessment(page: Any, live_server: Any, people) -> None:
    sign_in(page, live_server, people["officer"])
    page.goto("/quality/assessments/new/")
    check_accessibility(page)
    page.get_by_label("Provider").select_option(label="Alpha Home Care (PA)")
    page.get_by_label("Routine").check()
    page.get_by_role("button", name="Start the assessment").click()
    page.wait_for_url("**/edit/")
    check_accessibility(page)

    # The GOV.UK date pattern: a date without its month is named, next to the
    # boxes and in the summary, which links to the month box.
    fill_date(page, "start_date", day="5", year="2026")
    page.get_by_label("Assessors").fill("A. Officer, B. Officer")
    page.get_by_role("button", name="Save and continue later").first.click()
    summary = page.locator(".govuk-error-summary")
    summary.wait_for()
    message = "First day of the assessment must include a month"
    assert summary.get_by_role("link", name=message).get_attribute("href") == (
        "#id_start_date_month"
    )
    assert message in page.inner_text("#id_start_date-error")
    assert "govuk-input--error" in (page.get_attribute("#id_start_date_month", "class") or "")
    assert "govuk-input--error" not in (page.get_attribute("#id_start_date_day", "class") or "")
    assert page.input_value("#id_start_date_day") == "5"
    assert page.get_by_label("Assessors").input_value() == "A. Officer, B. Officer"
    check_accessibility(page)
    screenshot(page, "govuk-date-error")
    fill_date(page, "start_date", day="5", month="10", year="2026")
    fill_date(page, "end_date", day="6", month="10", year="2026")
    page.get_by_label("Care files sampled").fill("8")
    page.get_by_label("People receiving care spoken with").fill("5")
    page.get_by_label("Staff spoken with").fill("6")
    questions = list(Question.objects.filter(framework=people["framework"]).order_by("position"))
    assert len(questions) >= 20
    half = len(questions) // 2
    for n, question in enumerate(questions[:half]):
        page.locator(f"#id_q{question.pk}_0").wait_for()
        rating = RATINGS[n % len(RATINGS)]
        page.locator(f"fieldset:has(#id_q{question.pk}_0)").get_by_label(rating, exact=True).check()
        page.locator(f"#id_e{question.pk}").fill(f"Seen in files for {question.code}")
    # Half-way: save and come back later; nothing is lost.
    page.get_by_role("button", name="Save and continue later").first.click()
    page.wait_for_load_state()
    assert "Your draft has been saved" in page.inner_text(".govuk-notification-banner")
    assert (
        page.locator(f"#id_e{questions[0].pk}").input_value()
        == f"Seen in files for {questions[0].code}"
    )
    check_accessibility(page)
    screenshot(page, "quality-form")
    # Trying to issue it now names every question still to rate.
    page.get_by_role("button", name="Issue the draft report to the provider").click()
    summary = page.locator(".govuk-error-summary")
    summary.wait_for()
    assert f"Select a rating for {questions[-1].code}" in summary.inner_text()
    assert page.title().startswith("Error: ")
    check_accessibility(page)
    screenshot(page, "quality-form-errors")
    for n, question in enumerate(questions[half:], start=half):
        rating = RATINGS[n % len(RATINGS)]
        page.locator(f"fieldset:has(#id_q{question.pk}_0)").get_by_label(rating, exact=True).check()
        page.locator(f"#id_e{question.pk}").fill(f"Seen in files for {question.code}")
    check_accessibility(page)
    page.get_by_role("button", name="Issue the draft report to the provider").click()
    page.wait_for_url("**/quality/assessments/*/")
    assert "issued to the provider" in page.inner_text(".govuk-notification-banner")
    assessment = Assessment.objects.get()
    assert assessment.status == AssessmentStatus.ISSUED
    assert assessment.answers.exclude(rating="").count() == len(questions)
    assert "14 days left" in page.inner_text("main")
    check_accessibility(page)
    screenshot(page, "quality-issued")


def published(people: dict[str, Any]) -> Assessment:
    officer, framework = people["officer"], people["framework"]
    assessment = start_assessment(people["alpha"], framework, officer, "routine")
    answers = {}
    for n, q in enumerate(Question.objects.filter(framework=framework).order_by("position")):
        value = (
            "poor"
            if q.code == "SA04"
            else "requires_improvement"
            if q.code == "ST02"
            else ("excellent" if n % 3 == 0 else "good")
        )
        answers[q.pk] = (value, f"Evidence seen for {q.code}: records and staff interviews.")
    details = {
        "start_date": dt.date(2026, 10, 5),
        "end_date": dt.date(2026, 10, 6),
        "assessors": "A. Officer, B. Officer",
        "files_sampled": 8,
        "people_spoken_with": 5,
        "staff_spoken_with": 6,
        "evidence_notes": "Care files, MAR charts and rotas.",
    }
    save_draft(assessment, officer, details, answers)
    today = timezone.localdate()
    issue_to_provider(assessment, officer, today - dt.timedelta(days=15))
    publish(assessment, officer, today)
    assessment.refresh_from_db()
    return assessment


def test_published_report_provider_view_and_action_plan(
    page: Any, browser: Any, live_server: Any, people
) -> None:
    assessment = published(people)
    plan = assessment.action_plan
    issue = plan.issues.get(question__code="SA04")
    add_action(
        plan,
        people["provider_user"],
        issue,
        "Weekly audit of medicine records",
        "J. Smith, registered manager",
        timezone.localdate() + dt.timedelta(days=30),
    )

    sign_in(page, live_server, people["officer"])
    page.goto(f"/quality/assessments/{assessment.pk}/")
    assert "Published" in page.inner_text("main")
    check_accessibility(page)
    screenshot(page, "quality-published")
    page.goto("/quality/")
    check_accessibility(page)
    screenshot(page, "quality-overview")

    context = browser.new_context(viewport=DESKTOP, base_url=live_server.url, locale="en-GB")
    provider_page = context.new_page()
    sign_in(provider_page, live_server, people["provider_user"])
    provider_page.goto("/providers/PA/quality/")
    check_accessibility(provider_page)
    screenshot(provider_page, "quality-provider-view")
    provider_page.goto(f"/quality/assessments/{assessment.pk}/action-plan/")
    check_accessibility(provider_page)
    # Adding an action through the form, then the plan as the provider sees it.
    provider_page.get_by_label("Issue").select_option(
        label=f"ST02 {plan.issues.get(question__code='ST02').question.text}"
    )
    provider_page.get_by_label("Action", exact=True).fill("Recruit four carers for the north patch")
    provider_page.get_by_label("Named owner").fill("P. Jones, operations lead")
    due = timezone.localdate() + dt.timedelta(days=45)
    fill_date(provider_page, "due_date", str(due.day), str(due.month), str(due.year))
    provider_page.get_by_role("button", name="Add the action").click()
    provider_page.wait_for_load_state()
    assert "Recruit four carers" in provider_page.inner_text("main")
    check_accessibility(provider_page)
    screenshot(provider_page, "quality-action-plan")
    provider_page.get_by_role("button", name="Submit the action plan").click()
    provider_page.wait_for_load_state()
    assert "Submitted" in provider_page.inner_text("main")
    context.close()
    page.goto(f"/quality/assessments/{assessment.pk}/action-plan/")
    check_accessibility(page)
    screenshot(page, "quality-action-plan-review")
