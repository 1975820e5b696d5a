from __future__ import annotations

import pytest
from django.contrib.auth.models import Group

from providers.access import ROLES


@pytest.fixture(autouse=True)
def _role_groups(request) -> None:
    """The transactional tests here run in a flushed database: the role groups
    a data migration made are gone after the first of them."""
    if request.node.get_closest_marker("django_db"):
        request.getfixturevalue("_django_db_helper")
        for role in ROLES:
            Group.objects.get_or_create(name=role)
