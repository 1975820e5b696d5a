"""Single sign-on's settings: off unless configured, the button only then,
and a role map naming a role the service does not have refused at start."""

from __future__ import annotations

from typing import Any

import pytest
from django.core import checks
from django.test import Client

from homecare.sso import services
from homecare.sso.checks import role_map_names_council_roles
from providers.access import COMMISSIONER, QUALITY_OFFICER

pytestmark = pytest.mark.django_db


def test_off_by_default_no_button_and_no_endpoints(client: Client) -> None:
    assert "Sign in with your council account" not in client.get("/login/").content.decode()
    assert client.get("/sso/start/").status_code == 404
    assert client.get("/sso/callback/", {"code": "x", "state": "y"}).status_code == 404


def test_the_button_shows_when_configured(client: Client, settings: Any) -> None:
    settings.SSO_ENABLED = True
    html = client.get("/login/", {"next": "/market/"}).content.decode()
    assert "Sign in with your council account" in html
    assert 'href="/sso/start/?next=/market/"' in html


def test_a_role_map_must_name_council_roles(settings: Any) -> None:
    settings.SSO_ROLE_MAP = {"council-commissioners": COMMISSIONER, "x": "Provider user"}
    errors = role_map_names_council_roles()
    assert [e.id for e in errors] == ["sso.E001"]
    assert isinstance(errors[0], checks.Error) and "'Provider user'" in errors[0].msg


def test_groups_map_to_roles() -> None:
    role_map = {"g1": COMMISSIONER, "g2": QUALITY_OFFICER, "g3": "Provider user"}
    assert services.roles_for(["g1", "g2", "other"], role_map) == {COMMISSIONER, QUALITY_OFFICER}
    # Only council roles, whatever the map says.
    assert services.roles_for(["g3"], role_map) == frozenset()
    assert services.groups_of({"groups": "g1"}) == ["g1"]


def test_council_sign_ins_are_left_out_of_the_password_lock_out() -> None:
    from homecare.sso.lockout import is_council_sign_in

    assert is_council_sign_in(None, {"nonce": "n", "code_verifier": "v"})
    assert not is_council_sign_in(None, {"username": "x", "password": "y"})
    assert not is_council_sign_in(None, None)
