"""Changes to returns and API tokens leave audit rows (django-auditlog):
who, when, before and after; a token's digest never enters the trail."""

from __future__ import annotations

import pytest
from auditlog.models import LogEntry
from django.contrib.contenttypes.models import ContentType
from django.test import Client

from common.months import current_month
from homecare.api.models import ApiToken
from homecare.returns.models import ProviderReturn
from tests.conftest import login

pytestmark = pytest.mark.django_db


def entries(model, pk):
    return LogEntry.objects.filter(
        content_type=ContentType.objects.get_for_model(model), object_pk=str(pk)
    ).order_by("timestamp")


def test_saving_a_return_is_audited_with_its_user(client: Client, provider_a, provider_a_user):
    month = current_month().previous()
    login(client, provider_a_user)
    client.post(f"/returns/{provider_a.ref}/{month.key}/complaints/", {"compliments": "5"})
    ret = ProviderReturn.objects.get()
    changes = [e for e in entries(ProviderReturn, ret.pk) if "compliments" in (e.changes or {})]
    assert changes and changes[-1].actor == provider_a_user
    assert "updated_at" not in changes[-1].changes


def test_token_made_and_revoked_is_audited_without_its_digest(client: Client, provider_a_user):
    login(client, provider_a_user)
    client.post("/api-tokens/", {"name": "ECM", "days": "90"})
    token = ApiToken.objects.get()
    client.post(f"/api-tokens/{token.pk}/revoke/")
    logged = list(entries(ApiToken, token.pk))
    assert len(logged) == 2 and all(e.actor == provider_a_user for e in logged)
    assert all("digest" not in (e.changes or {}) for e in logged)
    assert "revoked_at" in logged[-1].changes
