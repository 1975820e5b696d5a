"""Who reaches what through the API: a provider's token only its own
provider's objects (another's are 404), a council token everything (read
only); revoked, expired and unknown tokens are 401; each token is throttled."""

from __future__ import annotations

import datetime as dt
from datetime import timedelta

import pytest
from django.test import Client
from django.utils import timezone

from homecare.api.auth import PerTokenThrottle
from homecare.api.models import ApiToken
from homecare.api.services import create_token, revoke_token
from homecare.kpis.models import KpiScope, MonthlyKpi
from homecare.returns.models import ProviderReturn
from tests.api.conftest import api
from tests.conftest import login
from tests.factories import provider_user
from visits.models import ImportKind, ImportRecord

pytestmark = pytest.mark.django_db


def objects_of(provider) -> dict[str, int]:
    record = ImportRecord.objects.create(
        kind=ImportKind.VISITS, file_name="v.csv", provider=provider
    )
    ret = ProviderReturn.objects.create(provider=provider, month=dt.date(2026, 9, 1))
    kpi = MonthlyKpi.objects.create(
        scope=KpiScope.PROVIDER,
        provider=provider,
        month=dt.date(2026, 9, 1),
        figures={"scheduled_visits": 10, "late_visit_rate": 0.1},
        computed_at=timezone.now(),
    )
    return {"imports": record.pk, "returns": ret.pk, "kpis": kpi.pk}


def test_provider_a_gets_404_for_every_object_of_provider_b(
    provider_a, provider_b, token_a, council_token
):
    mine, theirs = objects_of(provider_a), objects_of(provider_b)
    client = api(token_a.secret)
    for kind in ("imports", "returns", "kpis"):
        assert client.get(f"/api/v1/{kind}/{theirs[kind]}/").status_code == 404, kind
        assert client.get(f"/api/v1/{kind}/{mine[kind]}/").status_code == 200, kind
    # Lists hold only its own, whatever the filter asks for.
    imports = client.get("/api/v1/imports/").json()["results"]
    assert [i["id"] for i in imports] == [mine["imports"]]
    assert [r["id"] for r in client.get("/api/v1/returns/?provider=PB").json()] == []
    assert [k["provider"] for k in client.get("/api/v1/kpis/").json()] == ["PA"]

    council = api(council_token.secret)
    for kind in ("imports", "returns", "kpis"):
        assert council.get(f"/api/v1/{kind}/{theirs[kind]}/").status_code == 200
    assert sorted(k["provider"] for k in council.get("/api/v1/kpis/").json()) == ["PA", "PB"]
    kpi = council.get(f"/api/v1/kpis/{theirs['kpis']}/").json()
    assert kpi["figures"]["late_visit_rate"] == 0.1 and kpi["month"] == "2026-09"


def test_revoked_expired_unknown_or_missing_tokens_get_401(provider_a_user, provider_a, token_a):
    client = api(token_a.secret)
    assert client.get("/api/v1/kpis/").status_code == 200
    revoke_token(token=token_a.token, user=provider_a_user)
    response = client.get("/api/v1/kpis/")
    assert response.status_code == 401
    assert response["WWW-Authenticate"].startswith("Bearer")

    expiring = create_token(user=provider_a_user, name="old", provider=provider_a)
    ApiToken.objects.filter(pk=expiring.token.pk).update(
        expires_at=timezone.now() - timedelta(seconds=1)
    )
    assert api(expiring.secret).get("/api/v1/kpis/").status_code == 401
    assert api("hc_not-a-token").get("/api/v1/kpis/").status_code == 401
    assert api().get("/api/v1/kpis/").status_code == 401
    assert api().post("/api/v1/visits-files/", b"x", content_type="text/csv").status_code == 401


def test_tokens_are_hashed_at_rest(token_a):
    stored = ApiToken.objects.get(pk=token_a.token.pk)
    assert token_a.secret not in (stored.digest, stored.prefix)
    assert stored.prefix == token_a.secret[:10]
    assert len(token_a.secret) > 40


def test_each_token_is_throttled_on_its_own(monkeypatch, token_a, token_b):
    monkeypatch.setattr(PerTokenThrottle, "THROTTLE_RATES", {"token": "3/minute"})
    client = api(token_a.secret)
    assert [client.get("/api/v1/kpis/").status_code for _ in range(4)] == [200, 200, 200, 429]
    assert api(token_b.secret).get("/api/v1/kpis/").status_code == 200


def test_token_page_shows_a_new_token_once_and_revokes(
    client: Client, provider_a_user, provider_a, provider_b
):
    login(client, provider_a_user)
    response = client.post("/api-tokens/", {"name": "ECM live", "days": "30"})
    page = response.content.decode()
    token = ApiToken.objects.get()
    assert token.provider == provider_a
    assert "no-store" in response["Cache-Control"]
    secret = page.split('<code class="app-token">')[1].split("</code>")[0]
    assert api(secret).get("/api/v1/kpis/").status_code == 200
    assert 29 <= (token.expires_at - timezone.now()).days <= 30
    assert secret not in client.get("/api-tokens/").content.decode()

    # Another provider's user cannot see or revoke it.
    other = login(Client(), provider_user(provider_b, username="beta-admin"))
    assert "ECM live" not in other.get("/api-tokens/").content.decode()
    assert other.post(f"/api-tokens/{token.pk}/revoke/").status_code == 404

    assert client.post(f"/api-tokens/{token.pk}/revoke/").status_code == 302
    assert api(secret).get("/api/v1/kpis/").status_code == 401


def test_token_page_needs_a_name(client: Client, provider_a_user):
    login(client, provider_a_user)
    page = client.post("/api-tokens/", {"name": "", "days": "90"}).content.decode()
    assert "Enter a name for the token" in page
    assert not ApiToken.objects.exists()
