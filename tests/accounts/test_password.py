"""Password rules as the NCSC advises, and the change-password page that
every signed-in user has."""

from __future__ import annotations

import pytest
from django.contrib.auth.models import User
from django.contrib.auth.password_validation import validate_password
from django.core.exceptions import ValidationError
from django.test import Client

from homecare.demo.users import DEMO_PASSWORD, ensure_demo_users
from tests.conftest import login
from tests.factories import UserFactory

pytestmark = pytest.mark.django_db

PASSWORD = "correct-horse-battery"
NEW_PASSWORD = "kettle-meadow-lantern"


@pytest.fixture(autouse=True)
def _quick_hashing(settings) -> None:
    settings.PASSWORD_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]


def problems(password: str, user: User | None = None) -> list[str]:
    try:
        validate_password(password, user)
    except ValidationError as error:
        return [e.code for e in error.error_list]
    return []


@pytest.mark.parametrize(
    ("password", "codes"),
    [
        ("eleven-char", ["password_too_short"]),  # 11 characters
        ("q1w2e3r4t5y6", ["password_too_common"]),  # on the common-password list
        ("twelve chars", []),
        ("all lower case words", []),  # no rules about character kinds
        ("commissioner1", ["password_too_similar"]),
    ],
)
def test_password_rules(commissioner: User, password: str, codes: list[str]) -> None:
    assert problems(password, commissioner) == codes


def test_the_demo_password_meets_the_rules_and_demo_log_ins_work(client: Client) -> None:
    users = ensure_demo_users()
    assert users
    for user in users:
        assert problems(DEMO_PASSWORD, user) == []
        response = Client().post("/login/", {"username": user.username, "password": DEMO_PASSWORD})
        assert response.status_code == 302, user.username


@pytest.mark.parametrize("who", ["commissioner", "provider_a_user", "no_role"])
def test_every_signed_in_user_has_an_account_link_and_the_change_password_page(
    client: Client, request: pytest.FixtureRequest, who: str
) -> None:
    user = UserFactory(username="nobody") if who == "no_role" else request.getfixturevalue(who)
    login(client, user)
    home = client.get("/").content.decode()
    assert 'href="/account/">Your account</a>' in home
    account = client.get("/account/")
    assert account.status_code == 200
    assert 'href="/account/password/"' in account.content.decode()
    page = client.get("/account/password/")
    html = page.content.decode()
    assert page.status_code == 200
    assert '<label class="govuk-label" for="id_old_password">Current password</label>' in html
    assert "Use at least 12 characters" in html
    assert 'autocomplete="new-password"' in html


def test_changing_the_password(client: Client, commissioner: User) -> None:
    login(client, commissioner)
    response = client.post(
        "/account/password/",
        {"old_password": PASSWORD, "new_password1": NEW_PASSWORD, "new_password2": NEW_PASSWORD},
        follow=True,
    )
    html = response.content.decode()
    assert response.redirect_chain[-1][0] == "/account/"
    assert "Your password has been changed" in html
    assert "govuk-notification-banner--success" in html
    # Still signed in, and the new password is the one that works.
    assert client.get("/").status_code == 200
    commissioner.refresh_from_db()
    assert commissioner.check_password(NEW_PASSWORD)
    assert not commissioner.check_password(PASSWORD)


@pytest.mark.parametrize(
    ("data", "field", "message"),
    [
        ({"old_password": ""}, "old_password", "Enter your current password"),
        ({"old_password": "not-my-pass"}, "old_password", "Your current password is not correct"),
        ({"new_password1": "too-short"}, "new_password1", "must be at least 12 characters long"),
        ({"new_password1": "qwerty123456"}, "new_password1", "is too common"),
        (
            {"new_password2": "kettle-meadow-lanterns"},
            "new_password2",
            "The new passwords do not match",
        ),
        ({"new_password2": ""}, "new_password2", "Enter the new password again"),
    ],
)
def test_change_password_errors_are_next_to_the_field(
    client: Client, commissioner: User, data: dict[str, str], field: str, message: str
) -> None:
    login(client, commissioner)
    form = {"old_password": PASSWORD, "new_password1": NEW_PASSWORD, "new_password2": NEW_PASSWORD}
    form.update(data)
    if "new_password1" in data and "new_password2" not in data:
        form["new_password2"] = data["new_password1"]
    response = client.post("/account/password/", form)
    html = response.content.decode()
    assert response.status_code == 200
    assert "<title>Error: Change your password" in html
    assert f'<a href="#id_{field}">' in html  # the summary links to the field
    error = html.split(f'id="id_{field}-error"', 1)[1].split("</p>", 1)[0]
    assert message in error
    commissioner.refresh_from_db()
    assert commissioner.check_password(PASSWORD)


@pytest.mark.parametrize("url", ["/account/", "/account/password/", "/account/two-factor/"])
def test_account_pages_run_a_bounded_number_of_queries(
    client: Client, commissioner: User, django_assert_max_num_queries, url: str
) -> None:
    login(client, commissioner)
    client.get(url)  # the two-factor page makes the pending app on first sight
    with django_assert_max_num_queries(6):
        assert client.get(url).status_code == 200
