"""The providers list and a provider's page."""

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


# Providers -------------------------------------------------------------------


def test_council_staff_list_and_filter_providers(
    client: Client, quality_officer: User, provider_a: Provider, provider_b: Provider
) -> None:
    ContractFactory(provider=provider_a)
    CarePackageFactory(provider=provider_a)
    response = login(client, quality_officer).get("/providers/")
    html = response.content.decode()
    assert "Alpha Home Care" in html and "Beta Home Care" in html
    assert 'aria-sort="' in html

    response = client.get("/providers/", {"name": "beta"})
    html = response.content.decode()
    assert "Beta Home Care" in html and "Alpha Home Care" not in html


def test_provider_user_is_sent_from_the_list_to_their_own_page(
    client: Client, provider_a_user: User
) -> None:
    response = login(client, provider_a_user).get("/providers/")
    assert response.status_code == 302
    assert response["Location"] == reverse("provider", args=["PA"])


def test_provider_page_shows_contracts_and_packages(
    client: Client, commissioner: User, provider_a: Provider
) -> None:
    contract = ContractFactory(provider=provider_a)
    CarePackageFactory(provider=provider_a, contract=contract)
    CarePackageFactory(provider=provider_a)
    html = login(client, commissioner).get("/providers/PA/").content.decode()
    assert contract.ref in html
    assert contract.lot.name in html
    assert "2 in all" in html


def test_provider_user_gets_404_for_another_provider(
    client: Client, provider_a_user: User, provider_b: Provider
) -> None:
    login(client, provider_a_user)
    assert client.get("/providers/PA/").status_code == 200
    assert client.get("/providers/PB/").status_code == 404
    other = record_for(provider_b)
    assert client.get(reverse("import-record", args=[other.pk])).status_code == 404
    assert client.get(reverse("import-errors", args=[other.pk])).status_code == 404


def test_providers_list_sorts_by_an_annotated_column(
    client: Client, commissioner: User, busy_data: None
) -> None:
    response = login(client, commissioner).get("/providers/", {"sort": "-contract_count"})
    html = response.content.decode()
    assert 'aria-sort="descending"' in html
    assert html.index("Alpha Home Care") < html.index("Beta Home Care")


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
