"""The ranking pages: what each role sees, the parts explained, the
weights form, and a bounded number of queries."""

from __future__ import annotations

import datetime as dt
from decimal import Decimal

import pytest
from auditlog.models import LogEntry
from django.urls import reverse

from homecare.market.services import record_risk
from homecare.ranking.models import RankingCycle, RankingSettings
from homecare.ranking.services import compute_cycle
from tests.conftest import login
from tests.factories import ContractFactory, ProviderFactory, provider_user
from tests.market.factories import CareRequestFactory
from tests.ranking.lot import AS_OF, three_provider_lot

pytestmark = pytest.mark.django_db


@pytest.fixture
def ranked():
    lot = three_provider_lot()
    compute_cycle(AS_OF)
    return lot


def text_of(response) -> str:
    assert response.status_code == 200
    return response.content.decode()


def test_the_lot_page_shows_the_order_each_part_and_the_rules(client, commissioner, ranked):
    text = text_of(login(client, commissioner).get(reverse("ranking-lot", args=[ranked.lot.pk])))
    assert text.index("Acorn Care") < text.index("Cedar Care") < text.index("Birch Care")
    assert "81.50" in text and "87.50" in text and "No rating" in text
    assert 'KPI performance <span class="govuk-!-font-weight-regular">(40.0%)</span>' in text
    assert "Same score as Cedar Care, which comes first on a better KPI performance part" in text
    # The scales and the tie-break in words.
    assert "green 100, amber 50 and red 0" in text
    assert "then the lower hourly rate, then the provider ref" in text
    assert "the weights of the other parts are shared out in proportion" in text


def test_the_provider_page_explains_each_part(client, contract_manager, ranked):
    url = reverse("ranking-provider", args=[ranked.lot.pk, "RC"])
    text = text_of(login(client, contract_manager).get(url))
    assert "2 of 3" in text
    assert "Latest quality assessment: No rating" in text
    assert "No published quality assessment with an overall rating." in text
    assert "£18.00 divided by £20.00, times 100, scores 90.00" in text
    # A manager reads the weights but may not change them.
    index = text_of(client.get(reverse("ranking")))
    assert "Lot 2 North" in index and "Change weights" not in index
    assert client.get(reverse("ranking-settings")).status_code == 403
    assert client.post(reverse("ranking-compute")).status_code == 403


def test_a_providers_user_sees_only_its_own_place(client, ranked):
    user = provider_user(ranked.c, username="cedar-user")
    login(client, user)
    lot_page = text_of(client.get(reverse("ranking-lot", args=[ranked.lot.pk])))
    assert "Cedar Care" in lot_page and "2 of 3" in lot_page
    assert "Acorn Care" not in lot_page and "Birch Care" not in lot_page
    index = text_of(client.get(reverse("ranking")))
    assert "Your places" in index and "Acorn Care" not in index
    own = reverse("ranking-provider", args=[ranked.lot.pk, "RC"])
    assert client.get(own).status_code == 200
    other = reverse("ranking-provider", args=[ranked.lot.pk, "RA"])
    assert client.get(other).status_code == 404
    assert client.get(reverse("ranking-settings")).status_code == 403


def test_bad_and_unknown_cycles(client, quality_officer, ranked):
    login(client, quality_officer)
    url = reverse("ranking-lot", args=[ranked.lot.pk])
    assert client.get(url, {"cycle": "last"}).status_code == 400
    assert client.get(url, {"cycle": "999999"}).status_code == 404
    past = RankingCycle.objects.get()
    assert client.get(url, {"cycle": str(past.pk)}).status_code == 200


def test_past_cycles_are_listed_and_keep_their_weights(client, commissioner, ranked):
    first = RankingCycle.objects.get()
    RankingSettings.objects.update(weight_kpi=0, weight_assessment=0, weight_cqc=0, weight_price=1)
    login(client, commissioner)
    assert client.post(reverse("ranking-compute")).status_code == 302
    latest = RankingCycle.objects.exclude(pk=first.pk).get()
    assert latest.computed_by == commissioner
    index = text_of(client.get(reverse("ranking")))
    assert (
        index.count("Ranking of 2 December 2026")
        + index.count(f"Ranking of {latest.as_of.day} {latest.as_of:%B %Y}")
        >= 2
    )
    old = text_of(client.get(reverse("ranking-lot", args=[ranked.lot.pk]), {"cycle": first.pk}))
    assert old.index("Acorn Care") < old.index("Birch Care")
    new = text_of(client.get(reverse("ranking-lot", args=[ranked.lot.pk])))
    assert new.index("Birch Care") < new.index("Acorn Care")  # price only: cheapest first


def test_commissioner_changes_the_weights_with_an_audit_row(client, commissioner, ranked):
    login(client, commissioner)
    url = reverse("ranking-settings")
    form = {
        "version": "0",
        "weight_kpi": "50",
        "weight_assessment": "0",
        "weight_cqc": "25",
        "weight_price": "25",
        "cycle_months": "3",
    }
    assert client.post(url, form).status_code == 302
    row = RankingSettings.objects.get()
    assert (row.weight_kpi, row.weight_assessment, row.cycle_months) == (Decimal(50), 0, 3)
    entry = LogEntry.objects.get_for_object(row).order_by("-timestamp").first()
    assert entry is not None and entry.actor == commissioner
    assert "weight_kpi" in entry.changes_dict
    assert "Weights and cycle" in text_of(client.get(url))


@pytest.mark.parametrize(
    ("change", "field", "message"),
    [
        ({"weight_cqc": "-5"}, "weight_cqc", "CQC rating weight must be 0 or more"),
        (
            {"weight_kpi": "0", "weight_assessment": "0", "weight_cqc": "0", "weight_price": "0"},
            "weight_kpi",
            "Give at least one part a weight more than 0",
        ),
        ({"weight_price": "ten"}, "weight_price", "Price weight must be a number"),
        ({"cycle_months": "0"}, "cycle_months", "Months in a cycle must be between 1 and 24"),
    ],
)
def test_bad_weights_are_refused_next_to_the_field(client, commissioner, change, field, message):
    login(client, commissioner)
    form = {
        "version": "0",
        "weight_kpi": "40",
        "weight_assessment": "25",
        "weight_cqc": "20",
        "weight_price": "15",
        "cycle_months": "6",
        **change,
    }
    page = client.post(reverse("ranking-settings"), form)
    text = text_of(page)
    assert message in text
    assert f'id="id_{field}-error"' in text or f"#id_{field}" in text
    assert not RankingSettings.objects.exists()


def test_pages_run_a_bounded_number_of_queries(
    client, commissioner, ranked, django_assert_max_num_queries
):
    # A bigger lot: ten more providers must not add queries.
    for n in range(10):
        provider = ProviderFactory(ref=f"X{n:02d}", name=f"Extra {n}", cqc_rating="Good")
        ContractFactory(provider=provider, lot=ranked.lot, hourly_rate=Decimal("21.00"))
    compute_cycle(AS_OF)
    request = CareRequestFactory(ref="Q-NEW", lot=ranked.lot)
    login(client, commissioner)
    for url in (
        reverse("market-request", args=[request.ref]),
        reverse("ranking"),
        reverse("ranking-lot", args=[ranked.lot.pk]),
        reverse("ranking-provider", args=[ranked.lot.pk, "RB"]),
        reverse("ranking-settings"),
    ):
        with django_assert_max_num_queries(20):
            assert client.get(url).status_code == 200, url
    # Nobody embargoed: the whole lot offered, best first.
    offered = text_of(client.get(reverse("market-request", args=[request.ref])))
    assert offered.index("Acorn Care (ranked 1") < offered.index("Extra 0 (ranked")
    assert "Left out" not in offered


def test_a_new_request_offers_the_lots_providers_by_ranking_without_embargoed(
    client, commissioner, ranked, django_assert_max_num_queries
):
    record_risk(
        provider=ranked.a,
        status="embargo",
        reasons="Safeguarding concerns under investigation",
        owner=commissioner,
        next_review=dt.date(2027, 1, 5),
        by=commissioner,
    )
    request = CareRequestFactory(ref="Q-NEW", lot=ranked.lot, weekly_hours=7)
    login(client, commissioner)
    with django_assert_max_num_queries(25):
        text = text_of(client.get(reverse("market-request", args=[request.ref])))
    offered = text[text.index("Providers to offer this request to") :]
    assert offered.index("Cedar Care (ranked 2") < offered.index("Birch Care (ranked 3")
    left_out = offered[offered.index("Left out: placement embargo") :]
    assert "Acorn Care (ranked 1)" in left_out
    assert "Safeguarding concerns under investigation" in left_out
    assert "Acorn Care (ranked 1" not in offered[: offered.index("Left out")]
    # A placed request offers nobody.
    placed = CareRequestFactory(ref="Q-OLD", lot=ranked.lot, status="placed")
    assert "Providers to offer" not in text_of(
        client.get(reverse("market-request", args=[placed.ref]))
    )
