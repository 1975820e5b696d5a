"""Single sign-on end to end (issue 17), against a real OpenID Connect
provider: django-oauth-toolkit in a process of its own, signing ID tokens
with an RS256 key made for the run, its users in directory groups.

Sign-in lands with the roles the groups map to; a user taken out of a group
loses that role at the next sign-in (and within the re-check interval of an
open session); taken out of every council group, the account is deactivated
and its open sessions end; put back, it works again. Local accounts still
sign in with their passwords."""

from __future__ import annotations

import time
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest
import requests
from django.contrib.auth.models import Group, User

from homecare.sso.models import SsoAccount
from providers.access import COMMISSIONER, QUALITY_OFFICER, ROLES
from tests.factories import UserFactory
from tests.sso.provider import CLIENT_ID, CLIENT_SECRET, Provider, oidc_provider, sign_in

pytestmark = pytest.mark.django_db(transaction=True)

PASSWORD = "directory-password-1"
ROLE_MAP = {
    "council-commissioners": COMMISSIONER,
    "council-quality-team": QUALITY_OFFICER,
    "finance": "Not a role",  # never mapped: checks.py refuses it at start
}


@pytest.fixture(autouse=True)
def _role_groups() -> None:
    # The live server's database is flushed between tests, groups included.
    for role in ROLES:
        Group.objects.get_or_create(name=role)


@pytest.fixture(scope="module")
def provider(live_server: Any, tmp_path_factory: pytest.TempPathFactory) -> Iterator[Provider]:
    work: Path = tmp_path_factory.mktemp("oidc-provider")
    with oidc_provider(work, f"{live_server.url}/sso/callback/") as running:
        yield running


@pytest.fixture
def sso(settings: Any, provider: Provider) -> Provider:
    settings.SSO_ENABLED = True
    settings.OIDC_OP_ISSUER = provider.issuer
    settings.OIDC_RP_CLIENT_ID = CLIENT_ID
    settings.OIDC_RP_CLIENT_SECRET = CLIENT_SECRET
    settings.OIDC_RP_SCOPES = "openid email profile groups"
    settings.SSO_ROLE_MAP = {k: v for k, v in ROLE_MAP.items() if k != "finance"}
    return provider


def roles(username: str) -> set[str]:
    return set(User.objects.get(username=username).groups.values_list("name", flat=True))


def test_sign_in_lands_with_the_mapped_roles_and_loses_them_with_the_group(
    live_server: Any, sso: Provider, settings: Any
) -> None:
    # Multi-factor is the identity provider's for council accounts: even where
    # staff must set up the service's authenticator app, these are not asked.
    settings.OTP_REQUIRED_FOR_STAFF = True
    sso.set_user("alice", PASSWORD, "council-commissioners", "council-quality-team", "staff-all")
    first = requests.Session()
    page = sign_in(first, live_server.url, "alice", PASSWORD)
    assert page.url == f"{live_server.url}/"
    assert "You are signed in as Alice Officer" in page.text
    assert "Market overview" in page.text  # a commissioner's home page
    user = User.objects.get(username="alice")
    assert roles("alice") == {COMMISSIONER, QUALITY_OFFICER}
    assert not user.has_usable_password()  # only the council account signs in
    assert user.email == "alice@council.example"
    account = SsoAccount.objects.get(user=user)
    assert account.issuer == sso.issuer and account.subject  # tied to the subject, not the name
    assert first.get(f"{live_server.url}/market/").status_code == 200

    # Taken out of the commissioners' group at the provider.
    sso.set_user("alice", PASSWORD, "council-quality-team")
    second = requests.Session()
    page = sign_in(second, live_server.url, "alice", PASSWORD)
    assert "You are signed in as Alice Officer" in page.text
    assert roles("alice") == {QUALITY_OFFICER}
    assert User.objects.filter(username="alice").count() == 1  # the same account
    # The open session has the new roles too: roles are read per request.
    assert first.get(f"{live_server.url}/rag-thresholds/").status_code == 200
    assert first.get(f"{live_server.url}/kpi-thresholds/").status_code in (200, 403)

    # Out of every council group: a leaver. The sign-in is refused, says why,
    # and the account is deactivated, which ends the sessions still open.
    sso.set_user("alice", PASSWORD, "staff-all")
    third = requests.Session()
    page = sign_in(third, live_server.url, "alice", PASSWORD)
    assert page.url == f"{live_server.url}/login/"
    assert "does not give you a role in this service" in page.text
    user.refresh_from_db()
    assert not user.is_active and roles("alice") == set()
    for session in (first, second):
        answer = session.get(f"{live_server.url}/", allow_redirects=False)
        assert answer.status_code == 302 and answer.headers["Location"].startswith("/login/")

    # Back in a group: the account the provider turned off works again.
    sso.set_user("alice", PASSWORD, "council-commissioners")
    page = sign_in(requests.Session(), live_server.url, "alice", PASSWORD)
    assert "You are signed in as Alice Officer" in page.text
    user.refresh_from_db()
    assert user.is_active and roles("alice") == {COMMISSIONER}


def test_an_open_session_is_checked_again_with_the_provider(
    live_server: Any, sso: Provider, settings: Any
) -> None:
    """A session's sign-in is checked with the provider again (silently, with
    prompt=none) once the re-check interval has passed: a role taken away
    goes from the open session then, not only at the next sign-in."""
    settings.OIDC_RENEW_ID_TOKEN_EXPIRY_SECONDS = 3
    sso.set_user("bob", PASSWORD, "council-commissioners", "council-quality-team")
    browser = requests.Session()
    assert (
        "You are signed in as Bob Officer"
        in sign_in(browser, live_server.url, "bob", PASSWORD).text
    )
    assert roles("bob") == {COMMISSIONER, QUALITY_OFFICER}
    sso.set_user("bob", PASSWORD, "council-quality-team")
    time.sleep(3.5)
    page = browser.get(f"{live_server.url}/providers/")
    # Back where it was after the check, or what went wrong.
    assert page.url == f"{live_server.url}/providers/", (page.status_code, page.text[:3000])
    assert roles("bob") == {QUALITY_OFFICER}


def test_a_local_account_with_the_same_name_is_never_taken_over(
    live_server: Any, sso: Provider
) -> None:
    UserFactory(username="carol", role=COMMISSIONER)
    sso.set_user("carol", PASSWORD, "council-quality-team")
    page = sign_in(requests.Session(), live_server.url, "carol", PASSWORD)
    assert page.url == f"{live_server.url}/login/"
    assert "There is already an account called carol" in page.text
    assert roles("carol") == {COMMISSIONER} and not SsoAccount.objects.exists()


def test_local_accounts_still_sign_in_with_a_password(live_server: Any, sso: Provider) -> None:
    local = UserFactory(username="provider-person", role=COMMISSIONER)
    local.set_password("a-long-local-password")
    local.save()
    browser = requests.Session()
    login = browser.get(f"{live_server.url}/login/")
    token = login.cookies.get("csrftoken") or browser.cookies.get("csrftoken")
    page = browser.post(
        f"{live_server.url}/login/",
        data={
            "csrfmiddlewaretoken": token,
            "username": "provider-person",
            "password": "a-long-local-password",
        },
        headers={"Referer": f"{live_server.url}/login/"},
    )
    assert "You are signed in as provider-person" in page.text


def test_an_identity_provider_that_does_not_answer_is_a_message_not_an_error(
    live_server: Any, sso: Provider, settings: Any
) -> None:
    # An issuer whose discovery document is not there (a typing slip in OIDC_ISSUER).
    settings.OIDC_OP_ISSUER = f"{sso.url}/not-the-issuer"
    browser = requests.Session()
    page = browser.get(f"{live_server.url}/sso/start/")
    assert page.url == f"{live_server.url}/login/"
    assert "Signing in with your council account is not working at the moment" in page.text
