"""The history sections in Chromium (issue 10): the thresholds pages and an
assessment's page say who changed what, when, from what to what; axe-core
finds nothing on them."""

from __future__ import annotations

from typing import Any

import pytest
from django.test import Client

from providers.access import COMMISSIONER, QUALITY_OFFICER
from reviews.models import Assessment
from reviews.services import load_default_framework
from tests.browser.conftest import check_accessibility, screenshot, sign_in
from tests.factories import LotFactory, ProviderFactory, UserFactory

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


def test_the_thresholds_histories(page: Any, live_server: Any) -> None:
    jo = UserFactory(username="jsmith", first_name="Jo", last_name="Smith", role=COMMISSIONER)
    lot = LotFactory(name="Lot 2 - North West")
    client = Client()
    client.force_login(jo)
    lot_url = f"/kpi-thresholds/lots/{lot.pk}/"
    client.post(lot_url, {"person_late_share": "0.10", "late_after_minutes": "30"})
    client.post(lot_url, {"person_late_share": "0.12", "late_after_minutes": "20"})
    client.post("/rag-thresholds/late_visit_rate/", {"green_limit": "10", "red_limit": "15"})
    client.post("/rag-thresholds/late_visit_rate/", {"green_limit": "12", "red_limit": "15"})
    sign_in(page, live_server, jo)

    for url, name in (
        (lot_url, "history-kpi-thresholds-lot"),
        ("/kpi-thresholds/", "history-kpi-thresholds"),
        ("/rag-thresholds/", "history-rag-limits"),
        ("/rag-thresholds/late_visit_rate/", "history-rag-limit"),
    ):
        page.goto(url)
        section = page.locator("section.app-history")
        text = section.inner_text()
        assert "Changed by Jo Smith on " in text, url
        check_accessibility(page)
        screenshot(page, name, phone=name == "history-kpi-thresholds-lot")
    page.goto("/rag-thresholds/")
    # As a screen reader says it, the arrow hidden: "10.0% changed to 12.0%".
    text = " ".join(page.locator("section.app-history").inner_text().split())
    assert "Green limit 10.0% → changed to 12.0%" in text, text
    assert "Red limit" not in text.split("Created by")[0]  # 15 and 15.00 are no change


def test_the_assessment_history(page: Any, live_server: Any) -> None:
    officer = UserFactory(username="qo", first_name="Sam", last_name="Patel", role=QUALITY_OFFICER)
    provider = ProviderFactory(ref="PA", name="Alpha Home Care")
    framework = load_default_framework()
    client = Client()
    client.force_login(officer)
    client.post(
        "/quality/assessments/new/",
        {"provider": provider.pk, "framework": framework.pk, "assessment_type": "routine"},
    )
    assessment = Assessment.objects.get()
    edit = f"/quality/assessments/{assessment.pk}/edit/"
    base = {"assessment_type": "routine", "action": "save"}
    client.post(edit, {**base, "assessors": "A. Officer", "files_sampled": "8"})
    question = framework.questions.order_by("position").first()
    for rating in ("good", "requires_improvement"):
        client.post(
            edit,
            {**base, "assessors": "A. Officer, B. Officer", "files_sampled": "10",
             "start_date": "2026-10-05", "evidence_notes": "Care files and rotas",
             f"q{question.pk}": rating, f"e{question.pk}": "Care plans seen"},
        )  # fmt: skip
    # Every other question rated at once: a long entry, folded.
    everything = {f"q{q.pk}": "good" for q in framework.questions.all()}
    everything[f"q{question.pk}"] = "requires_improvement"
    client.post(
        edit,
        {**base, "assessors": "A. Officer, B. Officer", "files_sampled": "10",
         "start_date": "2026-10-05", "evidence_notes": "Care files and rotas", **everything},
    )  # fmt: skip
    sign_in(page, live_server, officer)
    page.goto(f"/quality/assessments/{assessment.pk}/")
    text = " ".join(page.locator("section.app-history").inner_text().split())
    assert "Changed by Sam Patel on " in text
    assert "Files sampled 8 → changed to 10" in text, text
    assert f"{question.code} rating Good → changed to Requires improvement" in text, text
    folded = page.locator("section.app-history details").first
    count = framework.questions.count() - 1
    assert folded.locator("summary").inner_text() == f"{count} changes"
    assert not folded.locator("ul").is_visible()
    check_accessibility(page)
    folded.locator("summary").click()
    assert folded.locator("ul").is_visible()
    check_accessibility(page)
    screenshot(page, "history-assessment", phone=True)
