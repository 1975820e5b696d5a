from __future__ import annotations

from pathlib import Path

import pytest
from rest_framework.test import APIClient

from homecare.api.services import create_token


@pytest.fixture(autouse=True)
def _media_and_eager(settings, tmp_path: Path) -> None:
    settings.MEDIA_ROOT = tmp_path / "media"
    settings.CELERY_TASK_ALWAYS_EAGER = True


def api(secret: str | None = None) -> APIClient:
    client = APIClient()
    if secret:
        client.credentials(HTTP_AUTHORIZATION=f"Bearer {secret}")
    return client


@pytest.fixture
def token_a(provider_a_user, provider_a):
    return create_token(user=provider_a_user, name="ECM", provider=provider_a)


@pytest.fixture
def token_b(provider_b):
    from tests.factories import provider_user

    user = provider_user(provider_b, username="beta-user")
    return create_token(user=user, name="ECM", provider=provider_b)


@pytest.fixture
def council_token(commissioner):
    return create_token(user=commissioner, name="BI", provider=None)
