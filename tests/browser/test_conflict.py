"""The conflict page in a real browser: an officer saves an assessment another
officer changed since the form was opened (issue 17)."""

from __future__ import annotations

from typing import Any

import pytest

from providers.access import QUALITY_OFFICER
from reviews.models import Assessment
from reviews.services import load_default_framework, save_draft, start_assessment
from tests.browser.conftest import check_accessibility, screenshot, sign_in
from tests.factories import ProviderFactory, UserFactory

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


def test_a_stale_save_shows_who_changed_it_and_keeps_the_typing(
    page: Any, live_server: Any
) -> None:
    asha = UserFactory(username="asha", first_name="Asha", last_name="Patel", role=QUALITY_OFFICER)
    ben = UserFactory(username="ben", first_name="Ben", last_name="Okoro", role=QUALITY_OFFICER)
    provider = ProviderFactory(ref="PA", name="Alpha Home Care")
    assessment = start_assessment(provider, load_default_framework(), asha, "routine")
    sign_in(page, live_server, asha)
    page.goto(f"/quality/assessments/{assessment.pk}/edit/")
    page.get_by_label("Assessors").fill("Asha Patel")
    # Meanwhile Ben saves the same draft.
    save_draft(assessment, ben, {"assessors": "Ben Okoro", "evidence_notes": "Rotas"}, {}, 0)
    page.get_by_role("button", name="Save and continue later").first.click()
    summary = page.locator(".govuk-error-summary")
    summary.wait_for()
    text = summary.inner_text()
    assert "This was changed by Ben Okoro at " in text and "review and save again" in text
    assert page.title().startswith("Error: ")
    assert page.get_by_label("Assessors").input_value() == "Asha Patel"
    assert Assessment.objects.get().assessors == "Ben Okoro"
    check_accessibility(page)
    screenshot(page, "assessment-conflict")
    # Saving again, knowingly, now goes through.
    page.get_by_role("button", name="Save and continue later").first.click()
    page.wait_for_url("**/edit/")
    assert "Your draft has been saved" in page.inner_text(".govuk-notification-banner")
    assert Assessment.objects.get().assessors == "Asha Patel"
