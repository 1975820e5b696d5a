"""The market oversight pages: what they show, who may see them, and a
bounded number of queries whatever the size of the market."""

from __future__ import annotations

import datetime as dt

import pytest
from django.urls import reverse

from contracts.models import CareRequest, Lot
from homecare.market.models import RiskEntry
from homecare.market.services import record_risk, take_snapshot
from providers.models import Provider
from tests.conftest import login
from tests.factories import CarePackageFactory, ContractFactory, provider_user
from tests.market.factories import CapacityFactory, CareRequestFactory
from tests.market.market_files import load_market

pytestmark = pytest.mark.django_db
NOW = dt.datetime.now(dt.UTC)


@pytest.fixture
def market(tmp_path, commissioner):
    load_market(tmp_path)
    p01, p02 = Provider.objects.get(ref="P01"), Provider.objects.get(ref="P02")
    central = Lot.objects.get(name="Lot 1 - Central")
    CapacityFactory(provider=p01, lot=central, spare_weekly_hours=12)
    CapacityFactory(provider=p02, lot=central, spare_weekly_hours=30)
    record_risk(
        provider=p02,
        status="embargo",
        reasons="Safeguarding concerns under investigation",
        owner=commissioner,
        next_review=dt.date(2026, 1, 5),
        by=commissioner,
    )
    for weeks in range(3):
        take_snapshot(NOW - dt.timedelta(weeks=weeks))
    return p01, p02, central


def test_the_waiting_page_shows_people_hours_bands_capacity_and_trend(client, commissioner, market):
    CareRequestFactory(
        person=CareRequest.objects.get(ref="Q2").person,
        requested_at=NOW - dt.timedelta(hours=47),
        lot=market[2],
        weekly_hours=6,
    )
    page = login(client, commissioner).get(reverse("market-waiting"))
    assert page.status_code == 200
    text = page.content.decode()
    assert "Waiting for care" in text
    assert "Under 48 hours" in text and "28 days and over" in text
    # Q2 and the new request (one person) and Q5: 2 people.
    assert "2 people" in text
    assert "42" in text  # declared capacity in Lot 1 - Central: 12 + 30
    assert "People waiting, week by week" in text and "Figures in this chart" in text
    assert "Time from request to start" in text


def test_the_lot_page_shows_shares_capacity_and_the_embargo(client, commissioner, market):
    page = login(client, commissioner).get(reverse("market-lot", args=[market[2].pk]))
    text = page.content.decode()
    assert page.status_code == 200
    assert "Waiting for care in Lot 1 - Central" in text
    assert "Placement embargo" in text  # P02 declared capacity but is under embargo


def test_a_bad_lot_is_404(client, commissioner, market):
    assert login(client, commissioner).get("/market/waiting/lots/999999/").status_code == 404


def test_cqc_page_flags_the_share_and_lists_providers(client, commissioner, market):
    text = login(client, commissioner).get(reverse("market-cqc")).content.decode()
    assert "Providers rated Good or Outstanding" in text
    assert "Requires improvement" in text  # P01, from the CQC file


def test_the_provider_page_shows_the_five_key_questions(client, commissioner, market):
    text = login(client, commissioner).get(reverse("provider", args=["P01"])).content.decode()
    assert "CQC ratings of each publication" in text
    for question in ("Safe", "Effective", "Caring", "Responsive", "Well-led"):
        assert question in text
    assert "Inadequate" in text  # Safe, in the file


def test_recording_a_register_entry_keeps_the_history(client, commissioner, market):
    p01 = market[0]
    url = reverse("market-register-provider", args=[p01.ref])
    client = login(client, commissioner)
    for status in ("monitoring", "enhanced"):
        response = client.post(
            url,
            {
                "status": status,
                "reasons": "Late visits rising",
                "owner": commissioner.pk,
                "next_review": (dt.date.today() + dt.timedelta(days=30)).isoformat(),
            },
        )
        assert response.status_code == 302
    assert list(RiskEntry.objects.filter(provider=p01).values_list("status", flat=True)) == [
        "enhanced",
        "monitoring",
    ]
    text = client.get(url).content.decode()
    assert "Enhanced monitoring" in text and "History" in text


def test_a_register_form_with_errors_says_what_is_wrong(client, commissioner, market):
    url = reverse("market-register-provider", args=["P01"])
    text = (
        login(client, commissioner)
        .post(url, {"status": "monitoring", "reasons": "", "next_review": "31/02/2026"})
        .content.decode()
    )
    assert "There is a problem" in text
    assert "Enter the reasons for this status" in text
    assert "Next review date must be a real date" in text


def test_the_register_flags_overdue_reviews(client, commissioner, market):
    text = login(client, commissioner).get(reverse("market-register")).content.decode()
    assert "Placement embargo" in text and "Overdue" in text


def test_a_provider_user_sees_only_its_own_requests_capacity_and_register(client, market):
    p01, p02, central = market
    user = provider_user(p01, username="p01-user")
    client = login(client, user)
    theirs = CareRequest.objects.get(ref="Q3")  # placed with P02 (its package K3 names it)
    theirs.package = CarePackageFactory(provider=p02, ref="K-P02")
    theirs.save()
    ours = CareRequest.objects.get(ref="Q1")  # K1, P01's
    assert client.get(reverse("market-request", args=[ours.ref])).status_code == 200
    assert client.get(reverse("market-request", args=[theirs.ref])).status_code == 404
    listing = client.get(reverse("market-requests") + "?status=all").content.decode()
    # Links, not bare refs: a CSRF token could hold "Q3" by chance.
    assert reverse("market-request", args=["Q1"]) in listing
    assert reverse("market-request", args=["Q3"]) not in listing
    other_capacity = p02.capacity_declarations.get()
    own_capacity = p01.capacity_declarations.get()
    assert client.get(reverse("market-declaration", args=[own_capacity.pk])).status_code == 200
    assert client.get(reverse("market-declaration", args=[other_capacity.pk])).status_code == 404
    other_entry = RiskEntry.objects.get(provider=p02)
    assert client.get(reverse("market-register-entry", args=[other_entry.pk])).status_code == 404
    assert client.get(reverse("market-register-provider", args=["P02"])).status_code == 404
    assert client.get(reverse("market-register-provider", args=["P01"])).status_code == 200
    # The council's market pages are not theirs at all.
    for name in ("market-waiting", "market-cqc", "market-register"):
        assert client.get(reverse(name)).status_code == 403
    assert client.get(reverse("market-exit", args=["P01"])).status_code == 403


def test_a_provider_user_declares_capacity_in_its_own_lots(client, market):
    p01, _p02, central = market
    ContractFactory(provider=p01, lot=central)
    client = login(client, provider_user(p01, username="p01-user"))
    response = client.post(
        reverse("market-capacity"), {"lot": central.pk, "spare_weekly_hours": "17.5"}
    )
    assert response.status_code == 302
    latest = p01.capacity_declarations.get(declared_on=dt.date.today())
    assert latest.spare_weekly_hours == 17.5
    foreign = Lot.objects.create(framework=central.framework, name="Lot 9 - Not theirs")
    page = client.post(reverse("market-capacity"), {"lot": foreign.pk, "spare_weekly_hours": "5"})
    assert "Select a valid choice" in page.content.decode()
    bad = client.post(reverse("market-capacity"), {"lot": central.pk, "spare_weekly_hours": "-1"})
    assert "Spare hours a week must be 0 or more" in bad.content.decode()


def test_if_it_exited_shows_hours_beside_others_capacity(client, commissioner, market):
    text = login(client, commissioner).get(reverse("market-exit", args=["P02"])).content.decode()
    # K3 (10 hours a week, Lot 1 - Central); P01 declared 12 spare hours there.
    assert "Lot 1 - Central" in text and "10" in text and "12" in text


def test_a_bad_status_filter_is_404_not_500(client, commissioner, market):
    response = login(client, commissioner).get(reverse("market-requests") + "?status=x")
    assert response.status_code == 404


@pytest.mark.parametrize(
    "name",
    ["market-waiting", "market-cqc", "market-register", "market-capacity", "market-requests"],
)
def test_pages_run_a_bounded_number_of_queries(
    client, commissioner, market, django_assert_max_num_queries, name
):
    client = login(client, commissioner)
    client.get(reverse(name))
    # Ten times the requests, providers and lots: the same number of queries.
    person = CareRequest.objects.get(ref="Q2").person
    for n in range(30):
        contract = ContractFactory(
            lot=Lot.objects.create(framework=market[2].framework, name=f"L{n}")
        )
        CareRequestFactory(person=person, lot=contract.lot, requested_at=NOW - dt.timedelta(days=n))
        CapacityFactory(provider=contract.provider, lot=contract.lot)
    with django_assert_max_num_queries(40):
        assert client.get(reverse(name)).status_code == 200


def test_a_register_entry_and_a_declaration_leave_audit_rows(client, commissioner, market):
    from auditlog.models import LogEntry

    client = login(client, commissioner)
    client.post(
        reverse("market-register-provider", args=["P01"]),
        {
            "status": "monitoring",
            "reasons": "Late visits rising",
            "owner": commissioner.pk,
            "next_review": (dt.date.today() + dt.timedelta(days=30)).isoformat(),
        },
    )
    entry = RiskEntry.objects.filter(provider__ref="P01").get()
    row = LogEntry.objects.get_for_object(entry).get()
    assert row.actor == commissioner
    assert row.changes_dict["status"] == ["None", "monitoring"]
    p01 = market[0]
    ContractFactory(provider=p01, lot=market[2])
    provider_client = login(client, provider_user(p01, username="p01-audit"))
    provider_client.post(
        reverse("market-capacity"), {"lot": market[2].pk, "spare_weekly_hours": "9"}
    )
    declaration = p01.capacity_declarations.get(declared_on=dt.date.today())
    assert LogEntry.objects.get_for_object(declaration).get().actor.username == "p01-audit"
