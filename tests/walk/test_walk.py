"""The page walk (issue 10): as each role, every page reachable from the home
page by links answers without a server error, and so does each kind of page
asked with bad query values: a 4xx with a GOV.UK page at worst. Run on SQLite
by `make test` (the demo's database) and on PostgreSQL with the suite."""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest
from django.contrib.auth.models import User
from django.db import transaction
from django.test import Client, override_settings

from tests.walk.crawler import ask_with_bad_values, walk
from tests.walk.market import build_market

ROLES = ["commissioner", "quality", "manager", "provider", "admin"]


@pytest.fixture(scope="module")
def market(
    django_db_setup: None, django_db_blocker: Any, tmp_path_factory: pytest.TempPathFactory
) -> Iterator[None]:
    """Built once for every role, and rolled back after the module."""
    media = tmp_path_factory.mktemp("walk-media")
    with (
        django_db_blocker.unblock(),
        override_settings(MEDIA_ROOT=media, CELERY_TASK_ALWAYS_EAGER=True),
        transaction.atomic(),
    ):
        build_market(Path(tmp_path_factory.mktemp("walk-demo")))
        yield
        transaction.set_rollback(True)


@pytest.mark.parametrize("username", ROLES)
def test_every_page_a_role_reaches_answers_without_a_server_error(
    market: None, db: None, username: str
) -> None:
    # Server errors come back as 500 answers to count, not exceptions.
    client = Client(raise_request_exception=False)
    client.force_login(User.objects.get(username=username))
    result = walk(client)
    ask_with_bad_values(client, result)
    assert not result.problems, "\n".join(result.problems)
    # It really walked: the pages of the role's work, not just the home page.
    assert len(result.opened) > 15, result.opened
    assert result.bad_queries > 50
