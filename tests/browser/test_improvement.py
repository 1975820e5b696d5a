"""The improvement tracker in a real browser (issue 15): the tracker, a plan
with its grades by quarter, the update form with its error next to the file
field, and the dashboards' panels pass axe-core's WCAG 2.2 A/AA checks."""

from __future__ import annotations

import datetime as dt
from typing import Any

import pytest

from homecare.improvement import services
from homecare.improvement.models import EvidenceFile
from providers.access import COMMISSIONER, QUALITY_OFFICER
from reviews.services import load_default_framework
from tests.browser.conftest import check_accessibility, screenshot, sign_in
from tests.factories import ProviderFactory, UserFactory, provider_user
from tests.improvement.builders import EXE, PDF, accepted_action_plan, scrutiny_plan

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


@pytest.fixture
def tracker() -> dict[str, Any]:
    commissioner = UserFactory(username="commissioner", role=COMMISSIONER)
    officer = UserFactory(username="quality", role=QUALITY_OFFICER)
    alpha = ProviderFactory(ref="PA", name="Alpha Home Care")
    alpha_user = provider_user(alpha, username="alpha-user")
    plan, (first, second) = scrutiny_plan(commissioner)
    for item, grades in ((first, (2, 3)), (second, (2, 1))):
        for day, grade in zip((dt.date(2023, 12, 15), dt.date(2024, 3, 28)), grades, strict=True):
            services.add_update(
                item, commissioner, as_of=day, progress="Reported to committee", grade=grade
            )
    assessment, alpha_plan = accepted_action_plan(
        officer, alpha, load_default_framework(), alpha_user
    )
    return {
        "commissioner": commissioner,
        "plan": plan,
        "first": first,
        "second": second,
        "alpha_user": alpha_user,
        "alpha_plan": alpha_plan,
        "assessment": assessment,
    }


def test_tracker_plan_and_update_form(page: Any, live_server: Any, tracker, tmp_path) -> None:
    sign_in(page, live_server, tracker["commissioner"])
    page.goto("/improvement/")
    assert "Fix SA04" in page.inner_text("table")
    check_accessibility(page)
    screenshot(page, "improvement-tracker")
    page.get_by_label("Grade").select_option("3")
    page.get_by_role("button", name="Filter the tracker").click()
    page.wait_for_url("**grade=3**")
    assert page.locator("tbody tr").count() == 1
    check_accessibility(page)

    page.goto(f"/improvement/plans/{tracker['plan'].pk}/")
    history = page.get_by_role("region", name="Grades by quarter")
    assert "Q3 2023/24" in history.inner_text() and "3 Slipped" in history.inner_text()
    check_accessibility(page)
    screenshot(page, "improvement-plan")

    # A program renamed .pdf: refused, the message next to the file field.
    page.goto(f"/improvement/items/{tracker['second'].pk}/updates/new/")
    check_accessibility(page)
    for part, value in (("day", "10"), ("month", "6"), ("year", "2024")):
        page.locator(f"#id_as_of_{part}").fill(value)
    page.get_by_label("Evidence of progress").fill("Forum held in May")
    page.get_by_label("2 On track").check()
    fake = tmp_path / "minutes.pdf"
    fake.write_bytes(EXE)
    page.get_by_label("File of evidence (optional)").set_input_files(str(fake))
    page.get_by_role("button", name="Save the update").click()
    page.locator(".govuk-error-summary").wait_for()
    assert "must be a PDF" in page.inner_text("#id_evidence-error")
    assert page.get_by_label("Evidence of progress").input_value() == "Forum held in May"
    check_accessibility(page)
    screenshot(page, "improvement-update-error")
    real = tmp_path / "minutes-real.pdf"
    real.write_bytes(PDF)
    page.get_by_label("File of evidence (optional)").set_input_files(str(real))
    page.get_by_role("button", name="Save the update").click()
    page.wait_for_url("**/plans/**")
    assert EvidenceFile.objects.get().name == "minutes-real.pdf"
    assert page.get_by_role("link", name="minutes-real.pdf").count() == 1

    page.goto("/market/")
    assert "Council-wide recommendations slipped or not achieved" in page.inner_text("main")
    check_accessibility(page)
    screenshot(page, "improvement-market-panel")


def test_provider_reports_progress_and_sees_it_on_its_dashboard(
    page: Any, live_server: Any, tracker
) -> None:
    sign_in(page, live_server, tracker["alpha_user"])
    item = tracker["alpha_plan"].items.first()
    page.goto(f"/improvement/items/{item.pk}/updates/new/")
    for part, value in (("day", "1"), ("month", "3"), ("year", "2024")):
        page.locator(f"#id_as_of_{part}").fill(value)
    page.get_by_label("Evidence of progress").fill("Audit started, two weeks late")
    page.get_by_label("3 Slipped").check()
    page.get_by_role("button", name="Save the update").click()
    page.wait_for_url("**/plans/**")
    check_accessibility(page)
    screenshot(page, "improvement-provider-plan")
    page.goto("/providers/PA/dashboard/")
    assert "Action plan items slipped or not achieved" in page.inner_text("main")
    check_accessibility(page)
    page.goto(f"/improvement/assessments/{tracker['assessment'].pk}/evidence/")
    check_accessibility(page)
    screenshot(page, "improvement-assessment-evidence")
