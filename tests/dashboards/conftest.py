from __future__ import annotations

import pytest
from django.contrib.auth.models import User
from django.test import Client

from tests.conftest import login


@pytest.fixture
def commissioner_client(client: Client, commissioner: User) -> Client:
    return login(client, commissioner)
