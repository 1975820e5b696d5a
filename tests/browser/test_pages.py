"""Every page in a real browser: no WCAG 2.2 AA violations that axe-core can
find, screenshots at desktop and phone widths, and the upload round trip."""

from __future__ import annotations

from pathlib import Path
from typing import Any

import pytest
from django.contrib.auth.models import User

from homecare.imports.services import import_path
from providers.access import COMMISSIONER, CONTRACT_MANAGER, QUALITY_OFFICER
from providers.models import CqcRating, Provider
from tests.browser.conftest import check_accessibility, screenshot, sign_in
from tests.factories import (
    CarePackageFactory,
    ContractFactory,
    ProviderFactory,
    UserFactory,
    provider_user,
)
from visits.models import ImportKind, ImportRecord

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]

GOOD = b"provider_ref,name,cqc_rating,notes\nPX,Xeno Home Care,Good,free text\n"
BAD = (
    b"provider_ref,name,cqc_rating\n"
    b"PX,Xeno Home Care,Good\n"
    b"PY,Yew Home Care,Brilliant\n"
    b",Nameless Care,\n"
    b"PX,Xeno Again,Good\n"
)


@pytest.fixture
def data(tmp_path: Path) -> dict[str, Any]:
    alpha = ProviderFactory(ref="PA", name="Alpha Home Care", cqc_rating=CqcRating.GOOD)
    ProviderFactory(ref="PB", name="Beta Home Care", cqc_rating=CqcRating.REQUIRES_IMPROVEMENT)
    for n in range(3):
        ProviderFactory(ref=f"PC{n}", name=f"Provider {n} Care")
    for _ in range(2):
        contract = ContractFactory(provider=alpha)
        CarePackageFactory(provider=alpha, contract=contract)
    commissioner = UserFactory(username="commissioner", role=COMMISSIONER)
    good_file = tmp_path / "good.csv"
    good_file.write_bytes(GOOD)
    bad_file = tmp_path / "bad.csv"
    bad_file.write_bytes(BAD)
    return {
        "alpha": alpha,
        "commissioner": commissioner,
        "succeeded": import_path(
            ImportKind.PROVIDERS, good_file, file_name="providers.csv", user=commissioner
        ),
        "rejected": import_path(
            ImportKind.PROVIDERS, bad_file, file_name="providers-bad.csv", user=commissioner
        ),
    }


def visit(page: Any, path: str, name: str, phone: bool = False) -> None:
    response = page.goto(path)
    assert response is not None and response.status < 500, f"{path}: {response and response.status}"
    check_accessibility(page)
    screenshot(page, name, phone=phone)


def test_login_page(page: Any) -> None:
    visit(page, "/login/", "login", phone=True)
    page.get_by_role("button", name="Sign in").click()
    summary = page.locator(".govuk-error-summary")
    summary.wait_for()
    assert "Enter your username" in summary.inner_text()
    # GOV.UK Frontend moves focus to the summary so it is read out first.
    assert page.evaluate("document.activeElement.classList.contains('govuk-error-summary')")
    assert page.title().startswith("Error: ")
    check_accessibility(page)
    screenshot(page, "login-error", phone=True)


def test_sign_in_and_out_through_the_form(page: Any, data: dict[str, Any]) -> None:
    page.goto("/imports/")
    assert "/login/" in page.url
    page.get_by_label("Username").fill("commissioner")
    page.get_by_label("Password").fill("correct-horse-battery")
    page.get_by_role("button", name="Sign in").click()
    page.wait_for_url("**/imports/")
    page.get_by_role("button", name="Sign out").click()
    page.wait_for_url("**/login/")


@pytest.mark.parametrize(
    "role", [COMMISSIONER, QUALITY_OFFICER, CONTRACT_MANAGER, "provider", "none"]
)
def test_home_pages(page: Any, live_server: Any, data: dict[str, Any], role: str) -> None:
    if role == "provider":
        user = provider_user(data["alpha"], username="alpha-user")
    elif role == "none":
        user = UserFactory(username="nobody")
    else:
        user = UserFactory(username=role.lower().replace(" ", "-"), role=role)
    sign_in(page, live_server, user)
    slug = {"provider": "provider-user", "none": "no-role"}.get(
        role, role.lower().replace(" ", "-")
    )
    visit(page, "/", f"home-{slug}", phone=role in (COMMISSIONER, "provider"))


def test_council_pages(page: Any, live_server: Any, data: dict[str, Any]) -> None:
    sign_in(page, live_server, data["commissioner"])
    visit(page, "/providers/", "providers", phone=True)
    visit(page, "/providers/?name=alpha&status=active", "providers-filtered")
    visit(page, "/providers/?sort=-contract_count", "providers-sorted")
    assert page.locator("th[aria-sort='descending']").count() == 1
    visit(page, "/providers/PA/", "provider", phone=True)
    visit(page, "/imports/", "imports", phone=True)
    visit(page, f"/imports/{data['succeeded'].pk}/", "import-succeeded", phone=True)
    visit(page, f"/imports/{data['rejected'].pk}/", "import-rejected", phone=True)
    assert page.locator(".app-error-report tbody tr").count() >= 3


def test_a_queued_import_page(page: Any, live_server: Any, data: dict[str, Any]) -> None:
    sign_in(page, live_server, data["commissioner"])
    queued = ImportRecord.objects.create(kind=ImportKind.VISITS, file_name="visits.csv")
    visit(page, f"/imports/{queued.pk}/", "import-queued")


def test_upload_page_and_its_errors(page: Any, live_server: Any, data: dict[str, Any]) -> None:
    sign_in(page, live_server, data["commissioner"])
    visit(page, "/imports/upload/", "upload", phone=True)
    page.get_by_role("button", name="Upload and import").click()
    page.locator(".govuk-error-summary").wait_for()
    assert page.evaluate("document.activeElement.classList.contains('govuk-error-summary')")
    check_accessibility(page)
    screenshot(page, "upload-error", phone=True)


def test_upload_through_the_browser_imports_the_file(
    page: Any, live_server: Any, data: dict[str, Any], tmp_path: Path
) -> None:
    sign_in(page, live_server, data["commissioner"])
    upload = tmp_path / "new-providers.csv"
    upload.write_bytes(b"provider_ref,name\nPN,New Home Care\n")
    page.goto("/imports/upload/")
    page.get_by_label("Providers", exact=True).check()
    page.get_by_label("Upload a CSV file").set_input_files(str(upload))
    page.get_by_role("button", name="Upload and import").click()
    page.wait_for_url("**/imports/*/")
    assert "Imported" in page.locator(".govuk-summary-list").inner_text()
    assert Provider.objects.filter(ref="PN").exists()


def test_provider_user_pages(page: Any, live_server: Any, data: dict[str, Any]) -> None:
    user: User = provider_user(data["alpha"], username="alpha-user")
    sign_in(page, live_server, user)
    visit(page, "/imports/upload/", "upload-provider-user", phone=True)
    visit(page, "/providers/", "provider-own")  # redirected to their own page
    assert page.url.endswith("/providers/PA/")
    response = page.goto("/providers/PB/")
    assert response is not None and response.status == 404
    check_accessibility(page)
    screenshot(page, "not-found")
