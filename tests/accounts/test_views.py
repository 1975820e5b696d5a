"""Signing in, home pages per role, and every page's query count."""

from __future__ import annotations

from pathlib import Path

import pytest
from django.contrib.auth.models import User
from django.core.files.uploadedfile import SimpleUploadedFile
from django.test import Client
from django.urls import reverse

from providers.models import Provider
from tests.conftest import login
from tests.factories import (
    CarePackageFactory,
    ContractFactory,
    ProviderFactory,
    UserFactory,
)
from visits.models import ImportKind, ImportOutcome, ImportRecord

pytestmark = pytest.mark.django_db

GOOD_PROVIDERS = b"provider_ref,name,cqc_rating,notes\nPX,Xeno Home Care,Good,ignored\n"
BAD_PROVIDERS = (
    b"provider_ref,name,cqc_rating\n"
    b"PX,Xeno Home Care,Good\n"
    b"PY,Yew Home Care,Brilliant\n"
    b"PX,Xeno Again,Good\n"
)


@pytest.fixture(autouse=True)
def _media_and_eager(settings, tmp_path: Path) -> None:
    # Uploads land in a throwaway folder, and the import runs in-process
    # whatever broker the environment names.
    settings.MEDIA_ROOT = tmp_path / "media"
    settings.CELERY_TASK_ALWAYS_EAGER = True


def csv_file(content: bytes, name: str = "data.csv") -> SimpleUploadedFile:
    return SimpleUploadedFile(name, content, content_type="text/csv")


def upload(client: Client, kind: str, content: bytes | None, name: str = "data.csv", capture=None):
    data: dict[str, object] = {"kind": kind}
    if content is not None:
        data["file"] = csv_file(content, name)
    if capture is None:
        return client.post(reverse("upload"), data)
    with capture(execute=True):
        return client.post(reverse("upload"), data)


def record_for(provider: Provider, **kwargs) -> ImportRecord:
    defaults = {"kind": ImportKind.VISITS, "file_name": "visits.csv", "provider": provider}
    return ImportRecord.objects.create(**{**defaults, **kwargs})


# Anonymous users -------------------------------------------------------------


@pytest.mark.parametrize(
    "url",
    [
        "/",
        "/providers/",
        "/providers/PA/",
        "/imports/",
        "/imports/upload/",
        "/imports/1/",
        "/imports/1/problems.csv",
        "/imports/1/problems.xlsx",
    ],
)
def test_anonymous_is_sent_to_log_in(client: Client, url: str) -> None:
    response = client.get(url)
    assert response.status_code == 302
    assert response["Location"] == f"/login/?next={url}"


def test_login_page_is_open_and_reports_errors_by_field(client: Client) -> None:
    response = client.get("/login/")
    assert response.status_code == 200
    assert b"Sign in" in response.content

    response = client.post("/login/", {"username": "", "password": ""})
    html = response.content.decode()
    assert response.status_code == 200
    assert "govuk-error-summary" in html
    assert '<a href="#id_username">Enter your username</a>' in html
    assert 'id="id_password-error"' in html
    assert "<title>Error: " in html


def test_login_with_wrong_password_links_the_summary_to_username(
    client: Client, commissioner: User
) -> None:
    response = client.post("/login/", {"username": "commissioner", "password": "nope"})
    html = response.content.decode()
    assert '<a href="#id_username">Enter a correct username and password' in html


def test_login_then_logout(client: Client, commissioner: User) -> None:
    response = client.post(
        "/login/", {"username": "commissioner", "password": "correct-horse-battery"}
    )
    assert response.status_code == 302
    assert response["Location"] == "/"
    assert client.get("/logout/").status_code == 405  # a link cannot sign anyone out
    response = client.post("/logout/")
    assert response.status_code == 302
    assert client.get("/").status_code == 302


# Home pages ------------------------------------------------------------------


@pytest.mark.parametrize(
    ("fixture", "expected"),
    [
        ("commissioner", "Commissioning"),
        ("quality_officer", "Quality monitoring"),
        ("contract_manager", "Contract management"),
    ],
)
def test_council_roles_see_their_home_page(
    client: Client, request: pytest.FixtureRequest, fixture: str, expected: str
) -> None:
    user = request.getfixturevalue(fixture)
    response = login(client, user).get("/")
    html = response.content.decode()
    assert response.status_code == 200
    assert expected in html
    assert reverse("providers") in html
    assert reverse("imports") in html


def test_quality_officer_has_no_upload_link(client: Client, quality_officer: User) -> None:
    html = login(client, quality_officer).get("/").content.decode()
    assert reverse("upload") not in html
    assert login(client, quality_officer).get(reverse("upload")).status_code == 403


def test_provider_user_sees_their_provider(
    client: Client, provider_a_user: User, provider_a: Provider, provider_b: Provider
) -> None:
    record_for(provider_a, file_name="alpha-october.csv")
    record_for(provider_b, file_name="beta-october.csv")
    response = login(client, provider_a_user).get("/")
    html = response.content.decode()
    assert response.status_code == 200
    assert "Alpha Home Care" in html
    assert reverse("provider", args=["PA"]) in html
    assert reverse("upload") in html
    assert "alpha-october.csv" in html
    assert "beta-october.csv" not in html


def test_user_with_no_role_is_told_they_have_no_access(client: Client) -> None:
    response = login(client, UserFactory(username="nobody")).get("/")
    assert response.status_code == 403
    assert b"You do not have access yet" in response.content
    assert login(client, UserFactory(username="nobody")).get("/imports/").status_code == 403


# Query counts ----------------------------------------------------------------


@pytest.fixture
def busy_data(provider_a: Provider, provider_b: Provider, commissioner: User) -> None:
    """Enough rows that a query per row would show."""
    for n in range(6):
        provider = ProviderFactory(ref=f"Q{n}")
        ContractFactory(provider=provider)
        CarePackageFactory(provider=provider)
        ContractFactory(provider=provider_a)
        CarePackageFactory(provider=provider_a)
        record_for(provider_a, uploaded_by=commissioner, file_name=f"a{n}.csv")
        record_for(provider_b, uploaded_by=commissioner, file_name=f"b{n}.csv")
    record_for(
        provider_a,
        outcome=ImportOutcome.REJECTED,
        error_report="\n".join(f"line {n}, name: is blank" for n in range(2, 50)),
        error_count=48,
    )


@pytest.mark.parametrize("who", ["commissioner", "provider_a_user"])
@pytest.mark.parametrize(
    "url_name", ["home", "providers", "provider", "imports", "upload", "import-record"]
)
def test_each_page_runs_a_bounded_number_of_queries(
    client: Client,
    request: pytest.FixtureRequest,
    busy_data: None,
    django_assert_max_num_queries,
    who: str,
    url_name: str,
) -> None:
    user = request.getfixturevalue(who)
    args = {"provider": ["PA"], "import-record": [ImportRecord.objects.latest("pk").pk]}
    url = reverse(url_name, args=args.get(url_name, []))
    login(client, user)
    # A provider's home page also shows what is due (issue 14: two months'
    # ECM files and returns) and its provider page the figures from its return.
    with django_assert_max_num_queries(13):
        response = client.get(url)
    # A provider's user is redirected from the list to their provider's page.
    assert response.status_code in (200, 302)


def test_superuser_without_a_role_can_use_the_service(client: Client) -> None:
    admin = User.objects.create_superuser("root", password="x-long-password-1")
    assert login(client, admin).get("/").status_code == 200
    assert client.get(reverse("upload")).status_code == 200


def test_provider_role_without_a_provider_has_no_access(client: Client) -> None:
    orphan = UserFactory(username="orphan", role="Provider user")
    login(client, orphan)
    assert client.get("/").status_code == 403
    assert client.get("/providers/").status_code == 403
