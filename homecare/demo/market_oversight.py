"""The demo's market oversight (issue 12): requests for care with realistic
waits and hospital discharges, CQC ratings with a history and two downgrades,
declared capacity, three providers on the risk register, and a year of weekly
waiting snapshots.

Requests, CQC ratings and capacity are written as CSV files and loaded through
the users' importer, as the rest of the demo is; the register and snapshots are
recorded through the market services. Every draw comes from one
`random.Random(seed)`, so the same seed and month give the same market.
"""

from __future__ import annotations

import csv
import datetime as dt
import random
from decimal import Decimal
from pathlib import Path

from django.contrib.auth.models import User

from common.months import LONDON
from contracts.models import CarePackage, Contract, Lot, LotDistrict, Person
from homecare.demo.market import FRAMEWORK, LOT_DISTRICTS, LOTS
from homecare.imports import services as imports
from homecare.market.models import RiskStatus
from homecare.market.services import last_monday_midnight, record_risk, take_snapshot
from providers.models import Provider
from visits.models import ImportKind, ImportOutcome

WAITING_NOW = 48  # people waiting at the end of the demo
HISTORY_REQUESTS = 520  # placed or withdrawn over the year before
SOURCES = ("hospital", "community", "reablement", "other")
SOURCE_WEIGHTS = (35, 40, 15, 10)
CQC_HEADER = (
    "Location ID", "Location Name", "Location Type", "Provider ID", "Provider Name",
    "Service / Population Group", "Domain", "Latest Rating", "Publication Date",
    "Report Type", "Inherited Rating (Y/N)", "URL", "Location Region",
)  # fmt: skip
DOMAINS = ("Overall", "Safe", "Effective", "Caring", "Responsive", "Well-led")
WORSE = {"Outstanding": "Good", "Good": "Requires improvement"}


class DemoFileRejected(Exception):
    pass


def _write(path: Path, header: tuple[str, ...] | list[str], rows: list[list[str]]) -> Path:
    with path.open("w", encoding="utf-8", newline="") as handle:
        writer = csv.writer(handle)
        writer.writerow(header)
        writer.writerows(rows)
    return path


def _import(kind: str, path: Path) -> None:
    record = imports.import_path(kind, path, recompute_kpis=False)
    if record.outcome != ImportOutcome.SUCCEEDED:
        raise DemoFileRejected(f"{path.name}: {record.summary}\n{record.error_report}")


def _iso(moment: dt.datetime) -> str:
    return moment.astimezone(dt.UTC).strftime("%Y-%m-%dT%H:%M:%SZ")


def _wait_hours(rng: random.Random) -> float:
    """Most wait days, some weeks, a few over a month."""
    band = rng.choices((0, 1, 2, 3), weights=(30, 35, 25, 10))[0]
    low, high = ((1, 47), (48, 167), (168, 671), (672, 1500))[band]
    return rng.uniform(low, high)


def seed(directory: Path, *, now: dt.datetime, seed: int = 2026) -> None:
    rng = random.Random(seed)
    directory.mkdir(parents=True, exist_ok=True)
    lots = {lot.name: lot for lot in Lot.objects.filter(framework__name=FRAMEWORK)}
    # The council's map of districts to lots: requests with no lot find theirs.
    LotDistrict.objects.bulk_create(
        [
            LotDistrict(postcode_district=f"S{district}", lot=lots[LOTS[index]])
            for index, districts in enumerate(LOT_DISTRICTS)
            for district in districts
            if LOTS[index] in lots
        ],
        ignore_conflicts=True,
    )
    _requests(directory, rng, now, list(lots))
    _cqc(directory, rng, now)
    _capacity(directory, rng, now)
    _register(rng, now)
    monday = last_monday_midnight(now)
    for week in range(52, -1, -1):
        take_snapshot(monday - dt.timedelta(weeks=week))


# Hours from a discharge request to 09:00 on the package's first day (its first
# visit comes a little before): six of the nine start within 48 hours.
DISCHARGE_WAIT_HOURS = (20, 52, 26, 30, 60, 40, 44, 75, 47)


def _requests(directory: Path, rng: random.Random, now: dt.datetime, lots: list[str]) -> None:
    rows: list[list[str]] = []
    packages = CarePackage.objects.filter(requested_at__isnull=False).values_list(
        "ref", "person__ref", "requested_at", "start_date", "hospital_discharge",
        "contract__lot__name",
    )  # fmt: skip
    discharges = 0
    for ref, person, asked, start, hospital, lot in packages.order_by("ref"):
        requested: dt.datetime = asked or dt.datetime.combine(start, dt.time(9), LONDON)
        source = "hospital" if hospital else rng.choice(SOURCES[1:])
        if hospital:
            # A discharge waits hours, not days: most start within 48 hours. The
            # waits are taken in turn, not drawn, so even a small demo has
            # discharges on both sides of the line.
            requested = dt.datetime.combine(start, dt.time(9), LONDON) - dt.timedelta(
                hours=DISCHARGE_WAIT_HOURS[discharges % len(DISCHARGE_WAIT_HOURS)]
            )
            discharges += 1
        placed = requested + (
            dt.datetime.combine(start, dt.time(8), LONDON) - requested
        ) * rng.uniform(0.3, 0.9)
        rows.append(
            [f"RQ-{ref}", person, _iso(requested), source, lot or "", "", "placed",
             _iso(placed), ref, "", ""]
        )  # fmt: skip
    # The people waiting now have no package yet: they come in a people file
    # of their own. Requests of the year before are of people already known.
    waiting = [f"W{n:05d}" for n in range(WAITING_NOW)]
    known = sorted(Person.objects.values_list("ref", flat=True))
    districts = [f"S{d}" for group in LOT_DISTRICTS for d in group]
    _write(
        directory / "people-waiting.csv",
        ["person_ref", "lives_alone", "lacks_capacity", "postcode_district"],
        [[ref, rng.choice(("yes", "no")), "no", rng.choice(districts)] for ref in waiting],
    )
    _import(ImportKind.PEOPLE, directory / "people-waiting.csv")
    people = waiting + [rng.choice(known) for _ in range(HISTORY_REQUESTS)]
    for index, person in enumerate(people):
        source = rng.choices(SOURCES, weights=SOURCE_WEIGHTS)[0]
        lot = "" if rng.random() < 0.15 else rng.choice(lots)
        hours = rng.choice(("3.5", "5", "7", "7", "10.5", "14", "21"))
        if index < WAITING_NOW:
            requested = now - dt.timedelta(hours=_wait_hours(rng))
            row = [_iso(requested), "open", "", "", ""]
        else:
            requested = now - dt.timedelta(days=rng.uniform(8, 380))
            left = requested + dt.timedelta(hours=_wait_hours(rng))
            if left >= now:
                left = now - dt.timedelta(hours=1)
            if rng.random() < 0.85:
                row = [_iso(requested), "placed", _iso(left), "", ""]
            else:
                row = [_iso(requested), "withdrawn", "", _iso(left), "Family now caring"]
        rows.append(
            [f"RQ-W{index:05d}", person, row[0], source, lot, hours, row[1], row[2], "",
             row[3], row[4]]
        )  # fmt: skip
    header = [
        "request_ref", "person_ref", "requested_at", "source", "lot", "weekly_hours",
        "status", "placed_at", "package_ref", "withdrawn_at", "withdrawn_reason",
    ]  # fmt: skip
    _import(ImportKind.REQUESTS, _write(directory / "requests.csv", header, rows))


def _cqc_rows(provider: Provider, published: dt.date, ratings: dict[str, str]) -> list[list[str]]:
    return [
        [provider.cqc_location_id, f"{provider.name}, Sheffield branch", "Social Care Org",
         provider.cqc_provider_id, provider.name, "Overall", domain, ratings[domain],
         published.strftime("%d/%m/%Y"), "Location", "N",
         f"https://www.cqc.org.uk/location/{provider.cqc_location_id}", "Yorkshire"]
        for domain in DOMAINS
    ]  # fmt: skip


def _cqc(directory: Path, rng: random.Random, now: dt.datetime) -> None:
    """Two files, imported in turn: an earlier publication of every rated
    provider, then the latest file with new publications for some, two of them
    downgrades (so the CQC page lists them)."""
    providers = list(Provider.objects.exclude(cqc_location_id="").order_by("ref"))
    rated = [p for p in providers if p.cqc_rating]
    earlier: list[list[str]] = []
    latest: list[list[str]] = []
    other = Provider(name="Not this council's", cqc_location_id="1-999999999")
    for provider in rated:
        day = provider.cqc_rating_date or (now.date() - dt.timedelta(days=900))
        ratings = {d: provider.cqc_rating for d in DOMAINS}
        earlier += _cqc_rows(provider, day, ratings)
    goods = [p for p in rated if p.cqc_rating in WORSE]
    for n, provider in enumerate(goods[:6]):
        day = now.date() - dt.timedelta(days=rng.randint(10, 60))
        if n < 2:
            # The two downgrades: Good to Requires improvement, then to Inadequate.
            fell = "Requires improvement" if n == 0 else "Inadequate"
            ratings = {d: fell if d in ("Overall", "Safe", "Well-led") else "Good" for d in DOMAINS}
        else:
            ratings = {d: provider.cqc_rating for d in DOMAINS}
        latest += _cqc_rows(provider, day, ratings)
    latest += _cqc_rows(other, now.date() - dt.timedelta(days=5), dict.fromkeys(DOMAINS, "Good"))
    _import(ImportKind.CQC_RATINGS, _write(directory / "cqc-earlier.csv", CQC_HEADER, earlier))
    _import(
        ImportKind.CQC_RATINGS, _write(directory / "cqc-latest.csv", CQC_HEADER, latest + earlier)
    )


def _capacity(directory: Path, rng: random.Random, now: dt.datetime) -> None:
    rows = []
    contracts = Contract.objects.filter(lot__framework__name=FRAMEWORK).values_list(
        "provider__ref", "lot__name"
    )
    for provider_ref, lot in sorted(set(contracts)):
        if rng.random() < 0.7:
            for weeks_ago in (8, 4, 0):
                day = now.astimezone(LONDON).date() - dt.timedelta(
                    weeks=weeks_ago, days=rng.randint(0, 3)
                )
                hours = Decimal(rng.choice((0, 5, 10, 15, 20, 30, 40)))
                rows.append([provider_ref, lot, day.isoformat(), str(hours)])
    header = ["provider_ref", "lot", "declared_on", "spare_weekly_hours"]
    _import(ImportKind.CAPACITY, _write(directory / "capacity.csv", header, rows))


def _register(rng: random.Random, now: dt.datetime) -> None:
    owner = User.objects.filter(username="commissioner").first()
    quality = User.objects.filter(username="quality").first() or owner
    if owner is None or quality is None:
        return
    framework = list(
        Provider.objects.filter(contracts__lot__framework__name=FRAMEWORK)
        .distinct()
        .order_by("ref")
    )
    if len(framework) < 4:
        return
    today = now.astimezone(LONDON).date()
    entries = [
        (framework[-1], RiskStatus.EMBARGO, "Safeguarding concerns under investigation: no new "
         "placements until the investigation closes.", quality, today + dt.timedelta(days=14)),
        (framework[-2], RiskStatus.ENHANCED, "Missed visits above the red limit for two months; "
         "action plan agreed.", owner, today - dt.timedelta(days=6)),
        (framework[-3], RiskStatus.MONITORING, "New registered manager; CQC inspection due.",
         owner, today + dt.timedelta(weeks=14)),
    ]  # fmt: skip
    for provider, status, reasons, who, review in entries:
        if status == RiskStatus.ENHANCED:
            record_risk(
                provider=provider,
                status=RiskStatus.MONITORING,
                reasons="Late visits rising in two lots.",
                owner=who,
                next_review=review - dt.timedelta(weeks=8),
                by=owner,
            )
        record_risk(
            provider=provider,
            status=status,
            reasons=reasons,
            owner=who,
            next_review=review,
            by=owner,
        )
