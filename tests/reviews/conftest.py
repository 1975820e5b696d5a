from __future__ import annotations

import pytest
from django.contrib.auth.models import Permission, User

from providers.access import QUALITY_OFFICER
from reviews.models import AssessmentFramework
from reviews.services import load_default_framework
from tests.factories import UserFactory


@pytest.fixture
def framework(db) -> AssessmentFramework:
    return load_default_framework()


@pytest.fixture
def senior_officer(db) -> User:
    """A quality officer given the permission to settle disputes."""
    user = UserFactory(username="senior", role=QUALITY_OFFICER)
    user.user_permissions.add(Permission.objects.get(codename="settle_assessment"))
    return User.objects.get(pk=user.pk)  # fresh: permissions are cached on the instance
