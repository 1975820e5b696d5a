from __future__ import annotations

import pytest
from django.contrib.auth.models import Permission, User
from django.core.cache import cache
from django.test import Client

from providers.access import COMMISSIONER, CONTRACT_MANAGER, QUALITY_OFFICER
from reviews.models import AssessmentFramework
from reviews.services import load_default_framework
from tests.factories import ProviderFactory, UserFactory, provider_user


@pytest.fixture
def commissioner(db) -> User:
    return UserFactory(username="commissioner", role=COMMISSIONER)


@pytest.fixture
def quality_officer(db) -> User:
    return UserFactory(username="quality", role=QUALITY_OFFICER)


@pytest.fixture
def contract_manager(db) -> User:
    return UserFactory(username="manager", role=CONTRACT_MANAGER)


@pytest.fixture
def provider_a(db):
    return ProviderFactory(ref="PA", name="Alpha Home Care")


@pytest.fixture
def provider_b(db):
    return ProviderFactory(ref="PB", name="Beta Home Care")


@pytest.fixture
def provider_a_user(provider_a) -> User:
    return provider_user(provider_a, username="alpha-user")


def login(client: Client, user: User) -> Client:
    client.force_login(user)
    return client


@pytest.fixture(autouse=True)
def _empty_cache():
    # Dashboards cache rendered fragments; each test starts without them.
    cache.clear()
    yield


@pytest.fixture
def framework(db) -> AssessmentFramework:
    return load_default_framework()


@pytest.fixture
def senior_officer(db) -> User:
    """A quality officer given the permission to settle disputes."""
    user = UserFactory(username="senior", role=QUALITY_OFFICER)
    user.user_permissions.add(Permission.objects.get(codename="settle_assessment"))
    return User.objects.get(pk=user.pk)  # fresh: permissions are cached on the instance
