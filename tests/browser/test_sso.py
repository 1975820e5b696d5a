"""Signing in with a council account, in Chromium: the sign-in page shows the
button only when single sign-on is configured, axe-core finds nothing on it,
and pressing it goes through a real OpenID Connect provider (tests/sso) and
back, signed in with the mapped role."""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest
from django.contrib.auth.models import User

from providers.access import COMMISSIONER
from tests.browser.conftest import check_accessibility, screenshot
from tests.sso.provider import CLIENT_ID, CLIENT_SECRET, Provider, oidc_provider

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


@pytest.fixture(scope="module")
def provider(live_server: Any, tmp_path_factory: pytest.TempPathFactory) -> Iterator[Provider]:
    work: Path = tmp_path_factory.mktemp("oidc-provider-browser")
    with oidc_provider(work, f"{live_server.url}/sso/callback/") as running:
        yield running


def test_the_sign_in_page_without_single_sign_on(page: Any) -> None:
    page.goto("/login/")
    assert page.get_by_role("button", name="Sign in with your council account").count() == 0


def test_signing_in_with_a_council_account(page: Any, settings: Any, provider: Provider) -> None:
    settings.SSO_ENABLED = True
    settings.OIDC_OP_ISSUER = provider.issuer
    settings.OIDC_RP_CLIENT_ID = CLIENT_ID
    settings.OIDC_RP_CLIENT_SECRET = CLIENT_SECRET
    settings.OIDC_RP_SCOPES = "openid email profile groups"
    settings.SSO_ROLE_MAP = {"council-commissioners": COMMISSIONER}
    provider.set_user("dana", "directory-password-1", "council-commissioners")

    page.goto("/login/")
    button = page.get_by_role("button", name="Sign in with your council account")
    assert button.count() == 1
    check_accessibility(page)
    screenshot(page, "sign-in-with-sso", phone=True)

    button.click()
    page.get_by_role("heading", name="Council directory").wait_for()
    page.get_by_label("Username").fill("dana")
    page.get_by_label("Password").fill("directory-password-1")
    page.get_by_role("button", name="Sign in").click()
    page.get_by_text("You are signed in as Dana Officer").wait_for()
    assert page.get_by_role("link", name="Market overview").count() >= 1
    user = User.objects.get(username="dana")
    assert set(user.groups.values_list("name", flat=True)) == {COMMISSIONER}
