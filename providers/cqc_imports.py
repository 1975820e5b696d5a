"""CQC's "latest ratings" locations file, taken exactly as CQC publishes it.

The national file has about 250,000 rows, of which a council's providers are a
few hundred. The file is streamed once and each row is tested against the set
of location IDs the council's providers hold; only those rows are checked and
stored. Rows of other locations are counted and skipped (they are not errors:
the file is national). So the database sees hundreds of rows, not 250,000, and
memory stays flat whatever the file's size (see docs/decisions.md, issue 12).
"""

from __future__ import annotations

from datetime import date, datetime
from typing import IO, Any

from django.db import transaction

from common.cells import CellError, check_date, parse_bool, shown
from common.csvimport import ImportResult, open_csv
from providers.models import CQC_DOMAINS, CqcImport, CqcLocationRating, Provider

LOCATION = "location id"
GROUP = "service / population group"
DOMAIN = "domain"
RATING = "latest rating"
PUBLISHED = "publication date"
REQUIRED = [LOCATION, GROUP, DOMAIN, RATING, PUBLISHED]
OPTIONAL = [
    "location name",
    "provider id",
    "provider name",
    "report type",
    "inherited rating (y/n)",
    "url",
]
DOMAINS = {name.lower(): name for name in CQC_DOMAINS}
DATE_FORMATS = ("%Y-%m-%d", "%d/%m/%Y", "%d-%b-%y", "%d %B %Y")


def parse_publication_date(raw: str) -> date:
    """CQC's file writes dates as dd/mm/yyyy; ISO dates are taken too."""
    text = raw.strip()
    if not text:
        raise CellError("is blank")
    for fmt in DATE_FORMATS:
        try:
            return check_date(datetime.strptime(text, fmt).date(), text)
        except ValueError:
            continue
    raise CellError(f"{shown(text)} is not a date (CQC writes 31/01/2026; 2026-01-31 also works)")


def import_cqc_ratings(binary: IO[bytes], *, file_name: str = "") -> ImportResult:
    locations: dict[str, int] = {}
    for pk, location in Provider.objects.exclude(cqc_location_id="").values_list(
        "id", "cqc_location_id"
    ):
        locations.setdefault(location.strip(), pk)
    csv_file = open_csv(binary, required=REQUIRED, optional=OPTIONAL)
    result = ImportResult(kind="CQC ratings", ignored_columns=[])
    # CQC's file carries dozens of columns the service does not use: ignoring
    # them is the normal case, so the summary says how many, not which.
    ignored = len(csv_file.ignored_columns)
    errors = csv_file.errors
    col = csv_file.column
    i_loc, i_group, i_domain = col(LOCATION), col(GROUP), col(DOMAIN)
    i_rating, i_date = col(RATING), col(PUBLISHED)
    i_name, i_type, i_inherited, i_url = (
        col("location name"),
        col("report type"),
        col("inherited rating (y/n)"),
        col("url"),
    )
    unknown = other_groups = 0
    found: dict[tuple[str, date, str], dict[str, Any]] = {}
    first_line: dict[tuple[str, date, str], int] = {}
    for line, cells in csv_file.records():
        result.rows += 1
        location = cells[i_loc].strip()
        provider_id = locations.get(location)
        if provider_id is None:
            unknown += 1
            continue
        if cells[i_group].strip().lower() != "overall":
            # Ratings of a population group (older people, say) are not the
            # location's: the Overall group carries the five key questions.
            other_groups += 1
            continue
        domain = DOMAINS.get(cells[i_domain].strip().lower().replace("well led", "well-led"))
        if domain is None:
            errors.add(line, "Domain", f"{shown(cells[i_domain].strip())} is not a CQC domain")
            continue
        try:
            published = parse_publication_date(cells[i_date])
        except CellError as exc:
            errors.add(line, "Publication Date", str(exc))
            continue
        rating = cells[i_rating].strip()
        if not rating or len(rating) > 64:
            errors.add(line, "Latest Rating", "is blank" if not rating else "is too long")
            continue
        try:
            inherited = parse_bool(cells[i_inherited])
        except CellError as exc:
            errors.add(line, "Inherited Rating (Y/N)", str(exc))
            continue
        key = (location, published, domain)
        if key in first_line:
            errors.add(
                line,
                "Domain",
                f"{domain} of {location} published {published} appears again "
                f"(first on line {first_line[key]})",
            )
            continue
        first_line[key] = line
        found[key] = {
            "provider_id": provider_id,
            "rating": rating,
            "report_type": cells[i_type].strip()[:64],
            "inherited": inherited,
            "url": cells[i_url].strip()[:500],
            "location_name": cells[i_name].strip()[:300],
        }
    if result.rows == 0:
        errors.add(2, LOCATION, "the file has a header but no rows")
    errors.raise_if_any()
    with transaction.atomic():
        matched = {key[0] for key in found}
        existing = {
            (loc, day, domain): (rating, provider)
            for loc, day, domain, rating, provider in CqcLocationRating.objects.filter(
                location_id__in=matched
            ).values_list("location_id", "publication_date", "domain", "rating", "provider_id")
        }
        known_publications = {(loc, day) for loc, day, _ in existing}
        new_publications = {(loc, day) for loc, day, _ in found} - known_publications
        new_rows = [key for key in found if key not in existing]
        changed = [
            key
            for key in found
            if key in existing
            and existing[key] != (found[key]["rating"], found[key]["provider_id"])
        ]
        record = None
        if new_rows or changed:
            # A run that changes nothing leaves nothing behind, so the
            # downgrades "since the last import" stay those of the last real one.
            record = CqcImport.objects.create(
                file_name=file_name[:255],
                rows=result.rows,
                matched_rows=len(found),
                unknown_location_rows=unknown,
                new_publications=len(new_publications),
            )
        CqcLocationRating.objects.bulk_create(
            [
                CqcLocationRating(
                    location_id=loc,
                    publication_date=day,
                    domain=domain,
                    cqc_import=record,
                    **found[(loc, day, domain)],
                )
                for loc, day, domain in new_rows
            ]
        )
        for loc, day, domain in changed:
            values = found[(loc, day, domain)]
            CqcLocationRating.objects.filter(
                location_id=loc, publication_date=day, domain=domain
            ).update(**values)
    result.created = len(new_rows)
    result.updated = len(changed)
    result.detail = (
        f"{len(found):,} rows for the council's {len(matched):,} locations, "
        f"{len(new_publications):,} new publications; {unknown:,} rows of other "
        f"locations and {other_groups:,} of population groups skipped; "
        f"{ignored:,} columns not used"
    )
    return result
