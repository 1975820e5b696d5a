"""CQC's "latest ratings" file as CQC publishes it."""

from __future__ import annotations

import datetime as dt
from io import StringIO

import pytest
from django.core.management import call_command
from django.core.management.base import CommandError

from homecare.market.selectors.cqc import current_ratings, downgrades_since_last_import
from providers.models import CqcImport, CqcLocationRating, Provider
from tests.csvfiles import write_csv
from tests.factories import ProviderFactory

pytestmark = pytest.mark.django_db
HEADER = (
    "\ufeffLocation ID,Location ODS Code,Location Name,Care Home?,Location Type,"
    "Location Primary Inspection Category,Location Street Address,Location Address Line 2,"
    "Location City,Location Post Code,Location Local Authority,Location Region,"
    "Provider ID,Provider Name,Service / Population Group,Domain,Latest Rating,"
    "Publication Date,Report Type,Inherited Rating (Y/N),URL,Brand ID,Brand Name\n"
)
DOMAINS = ("Overall", "Safe", "Effective", "Caring", "Responsive", "Well-led")


def rows(location: str, published: str, ratings: dict[str, str], group: str = "Overall") -> str:
    out = []
    for domain in DOMAINS:
        out.append(
            f'{location},VN1,"Alpha Home Care, Sheffield",N,Social Care Org,'
            f'Community based adult social care services,"1 Long Road, Flat 2",,'
            f"Sheffield,S8 0AA,Sheffield,Yorkshire and The Humber,1-101,"
            f'"Alpha Care, Ltd",{group},{domain},{ratings.get(domain, "Good")},'
            f"{published},Location,N,https://www.cqc.org.uk/location/{location},-,-"
        )
    return "\n".join(out) + "\n"


def cqc_import(tmp_path, name: str, text: str) -> str:
    out = StringIO()
    path = write_csv(tmp_path, name, text)
    call_command("import_csv", "cqc_ratings", str(path), stdout=out)
    return out.getvalue()


@pytest.fixture
def alpha(db) -> Provider:
    return ProviderFactory(ref="P01", cqc_location_id="1-111", cqc_rating="Good")


def test_a_file_as_cqc_publishes_it(tmp_path, alpha):
    text = (
        HEADER
        + rows("1-111", "12/03/2025", {"Safe": "Requires improvement"})
        + rows("1-111", "12/03/2025", {"Overall": "Outstanding"}, group="Older people")
        + rows("1-999", "01/02/2025", {})
    )
    summary = cqc_import(tmp_path, "latest.csv", text)
    assert "6 new" in summary
    assert "6 rows of other locations" in summary and "6 of population groups" in summary
    assert CqcLocationRating.objects.count() == 6
    safe = CqcLocationRating.objects.get(domain="Safe")
    assert (safe.rating, safe.publication_date) == ("Requires improvement", dt.date(2025, 3, 12))
    assert safe.location_name == "Alpha Home Care, Sheffield"
    assert current_ratings([alpha])[alpha.pk].rating == "Good"


def test_a_second_publication_adds_to_the_history_and_is_shown(tmp_path, alpha):
    cqc_import(tmp_path, "first.csv", HEADER + rows("1-111", "12/03/2025", {}))
    cqc_import(
        tmp_path,
        "second.csv",
        HEADER + rows("1-111", "02/09/2026", {"Overall": "Inadequate", "Safe": "Inadequate"}),
    )
    assert (
        CqcLocationRating.objects.filter(domain="Overall").values("publication_date").count() == 2
    )
    current = current_ratings([alpha])[alpha.pk]
    assert (current.rating, current.published) == ("Inadequate", dt.date(2026, 9, 2))
    [downgrade] = downgrades_since_last_import([alpha])
    assert (downgrade.before.overall, downgrade.after.overall) == ("Good", "Inadequate")


@pytest.mark.parametrize("name", ["bom", "history", "unknown"])
def test_re_importing_a_file_changes_nothing(tmp_path, alpha, name):
    files = {
        "bom": HEADER + rows("1-111", "12/03/2025", {}),
        "history": HEADER
        + rows("1-111", "12/03/2025", {})
        + rows("1-111", "02/09/2026", {"Overall": "Inadequate"}),
        "unknown": HEADER + rows("1-999", "12/03/2025", {}),
    }
    cqc_import(tmp_path, "once.csv", files[name])
    before = sorted(CqcLocationRating.objects.values_list())
    imports = CqcImport.objects.count()
    summary = cqc_import(tmp_path, "twice.csv", files[name])
    assert "0 new, 0 updated" in summary
    assert sorted(CqcLocationRating.objects.values_list()) == before
    assert CqcImport.objects.count() == imports


def test_no_provider_rating_from_the_file_falls_back_to_providers_csv(alpha):
    current = current_ratings([alpha])[alpha.pk]
    assert (current.rating, current.from_cqc_file) == ("Good", False)


def test_bad_rows_of_known_locations_reject_the_file(tmp_path, alpha):
    text = (
        HEADER
        + rows("1-111", "31/02/2025", {})
        + rows("1-999", "not a date", {})  # another council's: not checked
    )
    with pytest.raises(CommandError):
        call_command(
            "import_csv",
            "cqc_ratings",
            str(write_csv(tmp_path, "bad.csv", text)),
            stderr=StringIO(),
        )
    assert not CqcLocationRating.objects.exists()


def test_a_missing_column_rejects_the_file(tmp_path, alpha):
    err = StringIO()
    text = HEADER.replace("Publication Date,", "") + rows("1-111", "12/03/2025", {})
    with pytest.raises(CommandError):
        call_command(
            "import_csv", "cqc_ratings", str(write_csv(tmp_path, "bad.csv", text)), stderr=err
        )
    assert "line 1, publication date: required column is missing" in err.getvalue()
