"""The demo market: what someone trying the app would look at first."""

from __future__ import annotations

import re
from datetime import date, datetime
from io import StringIO
from pathlib import Path

import pytest
from django.contrib.auth.models import User
from django.core.management import call_command
from django.db.models import Count

from common.months import LONDON
from contracts.models import CarePackage, Framework, Lot, Person
from homecare.demo.build import generate
from homecare.demo.files import FILE_ORDER, HEADERS
from homecare.demo.market import LOTS
from homecare.demo.period import default_end_month, parse_month, visit_period
from homecare.demo.users import DEMO_PASSWORD, ensure_demo_users
from providers.access import COMMISSIONER, CONTRACT_MANAGER, PROVIDER_USER, QUALITY_OFFICER
from providers.models import Provider, ProviderUser
from reviews.models import PackageReview
from tests.factories import ProviderFactory
from visits.models import ImportOutcome, ImportRecord, Visit, VisitStatus

SMALL = ["--people", "40", "--seed", "7", "--end-month", "2026-10"]


@pytest.fixture
def seeded(db, tmp_path: Path) -> str:
    out = StringIO()
    call_command("seed_demo", *SMALL, "--out", str(tmp_path / "demo"), stdout=out)
    return out.getvalue()


def test_seed_builds_the_framework_and_spot_market(seeded: str) -> None:
    assert "Demo market built for August 2026 to October 2026" in seeded
    framework = Framework.objects.get(name="Care and Wellbeing 2024-2031")
    assert list(framework.lots.order_by("name").values_list("name", flat=True)) == list(LOTS)
    for lot in framework.lots.all():
        assert lot.contracts.exists(), f"{lot} has no provider"
    framework_providers = Provider.objects.filter(contracts__lot__framework=framework).distinct()
    assert framework_providers.count() >= 4
    for provider in framework_providers:
        assert provider.contracts.filter(lot__framework=framework).count() in (1, 2)
    direct_award = Lot.objects.get(framework__name="Spot purchase", name="Direct award")
    spot_providers = Provider.objects.filter(contracts__lot=direct_award)
    assert spot_providers.exists()
    assert not spot_providers.filter(pk__in=framework_providers).exists()
    assert Provider.objects.count() == framework_providers.count() + spot_providers.count()
    for provider in Provider.objects.all():
        assert re.fullmatch(r"1-\d{9}", provider.cqc_provider_id)
        assert re.fullmatch(r"1-\d{9}", provider.cqc_location_id)
    # Every package is called off a contract of its own provider.
    assert not CarePackage.objects.filter(contract__isnull=True).exists()
    for package in CarePackage.objects.select_related("contract"):
        assert package.contract.provider_id == package.provider_id
    for provider in spot_providers:
        assert provider.contracts.count() == 1
    # Every file went through the users' importer and was accepted. (The
    # providers' own ECM records of demo/returns.py load nothing: left out.)
    records = ImportRecord.objects.filter(provider__isnull=True)
    # The market oversight (issue 12) adds its own files: people waiting for
    # care, their requests, two CQC ratings files and declared capacity.
    oversight = ["people", "requests", "cqc_ratings", "cqc_ratings", "capacity"]
    assert sorted(r.kind for r in records) == sorted([*FILE_ORDER, *oversight])
    assert {r.outcome for r in records} == {ImportOutcome.SUCCEEDED}


def test_seed_builds_people_packages_and_reviews(seeded: str) -> None:
    # And the people waiting for care, who have no package yet (issue 12).
    assert Person.objects.exclude(ref__startswith="W").count() == 40
    for district in Person.objects.values_list("postcode_district", flat=True):
        assert re.fullmatch(r"S\d{1,2}", district)
        assert int(district[1:]) in range(1, 36)
    assert Person.objects.filter(lives_alone=True).exists()
    first, last = date(2026, 8, 1), date(2026, 10, 31)
    # Packages start and end during the period, so six-week reviews fall due in it.
    assert CarePackage.objects.filter(start_date__range=(first, last)).exists()
    assert CarePackage.objects.filter(end_date__range=(first, last)).exists()
    handed_back = Person.objects.annotate(n=Count("packages")).filter(n=2)
    assert handed_back.exists()
    assert PackageReview.objects.filter(review_type="six_week").exists()
    assert PackageReview.objects.filter(review_type="annual").exists()
    assert not PackageReview.objects.filter(review_date__gt=last).exists()


def test_seed_builds_three_months_of_visits(seeded: str) -> None:
    dates = Visit.objects.values_list("planned_date", flat=True)
    assert {(d.year, d.month) for d in dates} == {(2026, 8), (2026, 9), (2026, 10)}
    assert min(dates) == date(2026, 8, 1)
    assert max(dates) == date(2026, 10, 31)
    # About four calls a day for each person.
    assert 40 * 92 * 2.5 < Visit.objects.count() < 40 * 92 * 4.5
    assert Visit.objects.filter(carer_count=2).exists()
    assert Visit.objects.filter(status=VisitStatus.MISSED).exists()
    assert Visit.objects.filter(status=VisitStatus.CANCELLED).exists()
    assert Visit.objects.filter(status=VisitStatus.COMPLETED, ecm_verified=False).exists()
    assert not Visit.objects.filter(status=VisitStatus.COMPLETED, carer_count=0).exists()


def test_seed_creates_one_demo_login_per_role(seeded: str) -> None:
    expected = {
        "commissioner": COMMISSIONER,
        "quality": QUALITY_OFFICER,
        "manager": CONTRACT_MANAGER,
        "provider": PROVIDER_USER,
    }
    for username, role in expected.items():
        user = User.objects.get(username=username)
        assert user.check_password(DEMO_PASSWORD)
        assert list(user.groups.values_list("name", flat=True)) == [role]
        assert not user.is_superuser
    membership = ProviderUser.objects.get(user__username="provider")
    assert membership.provider.contracts.filter(
        lot__framework__name="Care and Wellbeing 2024-2031"
    ).exists()
    admin = User.objects.get(username="admin")
    assert admin.is_superuser and admin.check_password(DEMO_PASSWORD)
    # Running it again changes nothing.
    ensure_demo_users()
    assert User.objects.count() == 5
    assert ProviderUser.objects.count() == 1

    out = StringIO()
    call_command("demo_logins", stdout=out)
    table = out.getvalue()
    for username in [*expected, "admin"]:
        assert re.search(rf"^\s+{username}\s+demo-password-2026\s+\S", table, re.MULTILINE)


def test_if_empty_leaves_an_existing_market_alone(db, tmp_path: Path) -> None:
    ProviderFactory(ref="REAL1")
    out = StringIO()
    call_command("seed_demo", *SMALL, "--if-empty", "--out", str(tmp_path), stdout=out)
    assert list(Provider.objects.values_list("ref", flat=True)) == ["REAL1"]
    assert not Visit.objects.exists()
    assert not list(tmp_path.iterdir())


def test_same_seed_writes_the_same_files(tmp_path: Path) -> None:
    options = {"people": 25, "seed": 11, "end_month": (2026, 3)}
    generate(tmp_path / "a", **options)
    generate(tmp_path / "b", **options)
    generate(tmp_path / "c", **{**options, "seed": 12})
    for kind in FILE_ORDER:
        name = f"{kind}.csv"
        assert (tmp_path / "a" / name).read_bytes() == (tmp_path / "b" / name).read_bytes(), name
    assert (tmp_path / "a" / "visits.csv").read_bytes() != (
        tmp_path / "c" / "visits.csv"
    ).read_bytes()


def test_visits_file_keeps_to_the_format(tmp_path: Path) -> None:
    # March 2026 holds the night the clocks go forward: no local time may fall in it.
    generate(tmp_path, people=25, seed=3, end_month=(2026, 3))
    lines = (tmp_path / "visits.csv").read_text().splitlines()
    assert lines[0] == ",".join(HEADERS["visits"])
    rows = [line.split(",") for line in lines[1:]]
    assert all(len(row) == 10 for row in rows)
    for row in rows:
        for stamp in row[3:7]:
            assert not stamp.startswith("2026-03-29T01:")
    # A double-handed visit is two rows with the same visit id and different carers.
    carers: dict[tuple[str, str], set[str]] = {}
    for row in rows:
        carers.setdefault((row[1], row[0]), set()).add(row[2])
    assert any(len(names) == 2 for names in carers.values())
    assert {row[7] for row in rows} == {"completed", "missed", "cancelled"}
    assert {row[8] for row in rows if row[7] == "completed"} == {"ecm", "manual"}
    # Some visits are time-critical themselves (issue 15); the rest are blank.
    assert {row[9] for row in rows} == {"yes", ""}


def test_reference_months() -> None:
    assert visit_period((2026, 10)) == (date(2026, 8, 1), date(2026, 10, 31))
    assert visit_period((2026, 1)) == (date(2025, 11, 1), date(2026, 1, 31))
    assert default_end_month(datetime(2026, 1, 1, 0, 30, tzinfo=LONDON)) == (2025, 12)
    assert default_end_month(datetime(2026, 11, 30, 23, 30, tzinfo=LONDON)) == (2026, 10)
    with pytest.raises(ValueError):
        parse_month("2026-13")
