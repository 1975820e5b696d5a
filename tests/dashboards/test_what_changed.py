"""What changed this month (issue 15, item 7): the sentences at the top of the
market page and in the market pack, worked out by hand from stored results."""

from __future__ import annotations

import io
import re
from typing import Any

import pytest
from django.test import Client
from django.utils import timezone
from pypdf import PdfReader

from common.months import Month
from homecare.dashboards.presenters import MonthChanges
from homecare.kpis.models import KpiScope, MonthlyKpi
from homecare.packs.builder import render_market_pack
from providers.access import COMMISSIONER
from tests.conftest import login
from tests.factories import ProviderFactory, UserFactory, provider_user

pytestmark = pytest.mark.django_db

OCT = Month.parse("2026-10")
SEP = Month.parse("2026-09")

# Green on everything the limits look at, unless a test says otherwise.
CALM = {
    "people_supported": 10,
    "late_visit_rate": 0.02,
    "missed_visit_rate": 0.0,
    "people_late_over_10pct": 0,
    "planned_hours": 100.0,
    "delivered_hours": 99.0,
    "mean_carers_per_person": 3.0,
    "six_week_reviews_overdue": 0,
    "ecm_verified_rate": 0.95,
}


def store(provider: Any, month: Month, **figures: float) -> None:
    MonthlyKpi.objects.create(
        scope=KpiScope.PROVIDER,
        provider=provider,
        month=month.first,
        figures={**CALM, **figures},
        details={},
        computed_at=timezone.now(),
    )


def market() -> None:
    """By hand, with the default limits (late visits green 5%, red above 10%;
    missed visits green 1%, red above 2%):
    - Acme Care: late visits 8.2% (amber) → 12.5% (red); the biggest rise in
      late visits (4.3 points).
    - Bright Care: missed visits 2.5% (red) → 0.5% (green); the biggest fall in
      missed visits (2.0 points).
    - Calm Care: green on both months, late visits 2.0% → 3.0% (up 1 point).
    - Dawn Care: results in October only."""
    acme = ProviderFactory(ref="ACME", name="Acme Care")
    bright = ProviderFactory(ref="BRIGHT", name="Bright Care")
    calm = ProviderFactory(ref="CALM", name="Calm Care")
    dawn = ProviderFactory(ref="DAWN", name="Dawn Care")
    store(acme, SEP, late_visit_rate=0.082)
    store(acme, OCT, late_visit_rate=0.125)
    store(bright, SEP, missed_visit_rate=0.025)
    store(bright, OCT, missed_visit_rate=0.005)
    store(calm, SEP, late_visit_rate=0.02)
    store(calm, OCT, late_visit_rate=0.03)
    store(dawn, OCT)
    for month in (SEP, OCT):
        MonthlyKpi.objects.create(
            scope=KpiScope.MARKET, month=month.first, figures=CALM, computed_at=timezone.now()
        )


SUMMARY = "2 providers changed RAG status since September 2026: 2 changes, 1 worse and 1 better."
ACME = "Acme Care moved from amber to red on late visits (8.2% → 12.5%)."
BRIGHT = "Bright Care moved from red to green on missed visits (2.5% → 0.5%)."
LATE_MOVE = (
    "The biggest movement on late visits: Acme Care, 8.2% → 12.5% "
    "(up 4.3 percentage points, worse)."
)
MISSED_MOVE = (
    "The biggest movement on missed visits: Bright Care, 2.5% → 0.5% "
    "(down 2.0 percentage points, better)."
)
FIRST = "1 provider has results for the first time: Dawn Care."


def test_sentences_from_hand_worked_results(django_assert_max_num_queries: Any) -> None:
    market()
    with django_assert_max_num_queries(1):
        changes = MonthChanges.load(OCT)
    assert changes.summary == SUMMARY
    # The one that got worse first.
    assert changes.change_sentences == [ACME, BRIGHT]
    assert changes.movement_sentences == [LATE_MOVE, MISSED_MOVE]
    assert changes.first_results_sentence == FIRST


def test_nothing_to_compare_with_and_nothing_changed() -> None:
    acme = ProviderFactory(ref="ACME", name="Acme Care")
    store(acme, OCT)
    assert MonthChanges.load(OCT).summary == (
        "There are no provider results for September 2026 to compare with."
    )
    store(acme, SEP)
    changes = MonthChanges.load(OCT)
    assert changes.summary == "No provider changed RAG status on any measure since September 2026."
    assert changes.change_sentences == [] and changes.movement_sentences == []


def test_a_long_list_is_cut_short_worst_first() -> None:
    for n in range(14):
        provider = ProviderFactory(ref=f"P{n:02d}", name=f"Provider {n:02d}")
        store(provider, SEP, late_visit_rate=0.02)
        store(provider, OCT, late_visit_rate=0.12 if n < 7 else 0.07)
    changes = MonthChanges.load(OCT)
    assert changes.summary == (
        "14 providers changed RAG status since September 2026: 14 changes, all for the worse."
    )
    sentences = changes.change_sentences
    assert len(sentences) == 13
    # Green to red (two steps) before green to amber.
    assert sentences[0] == "Provider 00 moved from green to red on late visits (2.0% → 12.0%)."
    assert sentences[7] == "Provider 07 moved from green to amber on late visits (2.0% → 7.0%)."
    assert sentences[-1] == "And 2 more changes of RAG status."


def test_top_of_the_market_page_says_what_changed(client: Client) -> None:
    market()
    login(client, UserFactory(username="commissioner", role=COMMISSIONER))
    html = client.get("/market/", {"month": "2026-10"}).content.decode()
    top = html[html.index("What changed since September 2026") : html.index("Market totals")]
    text = " ".join(re.sub(r"<[^>]+>", " ", top).split())
    for sentence in (SUMMARY, ACME, BRIGHT, LATE_MOVE, MISSED_MOVE, FIRST):
        assert sentence in text


def test_a_providers_user_is_not_told_about_other_providers(client: Client) -> None:
    market()
    acme = MonthlyKpi.objects.filter(provider__ref="CALM").first()
    assert acme is not None and acme.provider is not None
    login(client, provider_user(acme.provider, username="calm-user"))
    html = client.get("/market/", {"month": "2026-10"}).content.decode()
    assert "What changed" not in html and "Acme Care" not in html


def test_the_market_pack_says_the_same() -> None:
    market()
    built = render_market_pack(OCT)
    reader = PdfReader(io.BytesIO(built.pdf))
    text = " ".join(" ".join((page.extract_text() or "") for page in reader.pages).split())
    assert "What changed since September 2026" in text
    for sentence in (SUMMARY, ACME, BRIGHT, LATE_MOVE, MISSED_MOVE, FIRST):
        assert sentence in text, sentence
