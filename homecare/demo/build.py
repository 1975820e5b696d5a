"""The demo market: a made-up home care market the size of a large English city's.

It is written as the six data-exchange CSV files (shared/specs/data-exchange.md)
and then loaded through the same importer users use, so the demo exercises the
real path and its files can be opened, edited and re-imported by hand.

Everything is drawn from one `random.Random(seed)` in a fixed order, so the same
seed and reference month give byte-identical files. Nothing in it is real: the
providers, CQC IDs and people are invented, and people appear only as
pseudonymous refs with an outward postcode, as the service holds them.
"""

from __future__ import annotations

import csv
import logging
import random
import time
from collections.abc import Iterator
from dataclasses import dataclass, field
from datetime import date, datetime, timedelta
from pathlib import Path
from typing import IO
from zoneinfo import ZoneInfo

from django.contrib.auth.models import Group, User
from django.db import transaction

from homecare.imports import services as imports
from providers.access import COMMISSIONER, CONTRACT_MANAGER, PROVIDER_USER, QUALITY_OFFICER
from providers.models import Provider, ProviderUser
from visits.models import ImportKind, ImportOutcome, ImportRecord

LONDON = ZoneInfo("Europe/London")
logger = logging.getLogger(__name__)

DEFAULT_PEOPLE = 2350
DEFAULT_SEED = 2026
MONTHS_OF_VISITS = 3

# Demo-only credentials: printed on the console by `demo_logins` so anyone trying
# the app can sign in. Never use them (or seed_demo) on a real deployment.
DEMO_PASSWORD = "demo-password-2026"


@dataclass(frozen=True)
class DemoLogin:
    username: str
    role: str
    description: str


DEMO_LOGINS: tuple[DemoLogin, ...] = (
    DemoLogin("commissioner", COMMISSIONER, "sees the whole market"),
    DemoLogin("quality", QUALITY_OFFICER, "sees the whole market"),
    DemoLogin("manager", CONTRACT_MANAGER, "sees the whole market"),
    DemoLogin("provider", PROVIDER_USER, "sees one framework provider only"),
    DemoLogin("admin", "Superuser", "Django admin"),
)

FRAMEWORK = "Care and Wellbeing 2024-2031"
FRAMEWORK_START = date(2024, 4, 1)
FRAMEWORK_END = date(2031, 3, 31)
LOTS = ("Lot 1 - North East", "Lot 2 - North West", "Lot 3 - South East", "Lot 4 - South West")
SPOT_FRAMEWORK = "Spot purchase"
SPOT_LOT = "Direct award"

# Which locality lot serves each postcode district: the lot decides which
# framework providers a person's package can be called off from.
LOT_DISTRICTS: tuple[tuple[int, ...], ...] = (
    (2, 3, 4, 5, 9, 13, 25, 26, 35),
    (1, 6, 10, 30, 31, 32, 33, 34),
    (12, 14, 19, 20, 21, 27, 28, 29),
    (7, 8, 11, 15, 16, 17, 18, 22, 23, 24),
)

FRAMEWORK_NAMES = (
    "Abbeydale Home Care",
    "Brightside Care Services",
    "Castlegate Homecare",
    "Don Valley Care at Home",
    "Ecclesall Community Care",
    "Firth Park Home Support",
    "Graves Park Care",
    "Hillsborough Homecare",
    "Intake Care Partnership",
    "Kelham Care at Home",
    "Loxley Valley Care",
    "Meadowhall Support Services",
    "Norton Lees Homecare",
    "Owlerton Care Services",
)
SPOT_WORDS = (
    "Acorn", "Beacon", "Bluebell", "Cedar", "Clover", "Compass", "Daisy", "Elm",
    "Evergreen", "Fern", "Golden Years", "Harbour", "Hazel", "Heather", "Holly",
    "Ivy", "Juniper", "Kestrel", "Lantern", "Lavender", "Linden", "Maple", "Meadow",
    "Oak Tree", "Orchard", "Pennine", "Primrose", "Rowan", "Sage", "Willow",
)  # fmt: skip
SPOT_SUFFIXES = (
    "Home Care",
    "Care Services",
    "Homecare Ltd",
    "Care at Home",
    "Support Services",
    "Domiciliary Care",
)

# The files in the order they must be imported: each refers only to earlier ones.
FILE_ORDER: tuple[str, ...] = (
    ImportKind.PROVIDERS,
    ImportKind.CONTRACTS,
    ImportKind.PEOPLE,
    ImportKind.PACKAGES,
    ImportKind.REVIEWS,
    ImportKind.VISITS,
)
HEADERS: dict[str, tuple[str, ...]] = {
    ImportKind.PROVIDERS: (
        "provider_ref", "name", "cqc_provider_id", "cqc_location_id", "cqc_rating",
        "cqc_rating_date",
    ),
    ImportKind.CONTRACTS: (
        "contract_ref", "provider_ref", "framework", "lot", "start_date", "end_date",
        "hourly_rate",
    ),
    ImportKind.PEOPLE: ("person_ref", "lives_alone", "lacks_capacity", "postcode_district"),
    ImportKind.PACKAGES: (
        "package_ref", "person_ref", "provider_ref", "contract_ref", "start_date", "end_date",
        "planned_weekly_hours", "requested_at", "hospital_discharge",
    ),
    ImportKind.REVIEWS: ("review_ref", "package_ref", "review_date", "review_type"),
    ImportKind.VISITS: (
        "visit_id", "package_ref", "carer_ref", "planned_start", "planned_end",
        "actual_start", "actual_end", "status", "verification",
    ),
}  # fmt: skip

# "HH:MM:SS" for every second of a day: formatting ~1M timestamps by table
# look-up rather than strftime keeps generation to seconds.
_CLOCK = [f"{s // 3600:02d}:{s // 60 % 60:02d}:{s % 60:02d}" for s in range(86_400)]


class DemoImportRejected(Exception):
    """A demo file failed to import: the generator and importer disagree."""

    def __init__(self, record: ImportRecord):
        super().__init__(
            f"The demo {record.kind} file was rejected ({record.summary}):\n{record.error_report}"
        )
        self.record = record


# --- reference period -------------------------------------------------------------


def parse_month(text: str) -> tuple[int, int]:
    """'2026-10' -> (2026, 10), or ValueError."""
    year_text, _, month_text = text.strip().partition("-")
    year, month = int(year_text), int(month_text)
    if not (1 <= month <= 12 and 2000 <= year <= 2100) or len(month_text) != 2:
        raise ValueError(f"'{text}' is not a month (use YYYY-MM, e.g. 2026-10)")
    return year, month


def default_end_month(now: datetime | None = None) -> tuple[int, int]:
    """The last complete month in London: the demo shows the three months before this one."""
    today = (now or datetime.now(LONDON)).astimezone(LONDON).date()
    return (today.year, today.month - 1) if today.month > 1 else (today.year - 1, 12)


def _add_months(year: int, month: int, delta: int) -> tuple[int, int]:
    index = year * 12 + (month - 1) + delta
    return index // 12, index % 12 + 1


def visit_period(end_month: tuple[int, int]) -> tuple[date, date]:
    """First and last day of the three months of visits ending with end_month."""
    first = date(*_add_months(*end_month, -(MONTHS_OF_VISITS - 1)), 1)
    after = date(*_add_months(*end_month, 1), 1)
    return first, after - timedelta(days=1)


# --- the plan of the market ----------------------------------------------------------


@dataclass
class ServiceProfile:
    """How a provider performs: the knobs that make some providers clearly worse."""

    label: str
    late_tail: float  # share of visits over 30 minutes late
    very_late_share: float  # of those, the share over 60 minutes late
    punctual_sd: float  # minutes: spread of ordinary arrival times
    missed: float
    short: float
    ecm: float
    team_size: int  # regular care workers per person
    regular_share: float  # visits covered by the person's regular team
    cover_size: int  # the wider round whose workers cover the rest


@dataclass
class DemoProvider:
    ref: str
    name: str
    framework: bool
    lots: list[int]
    weight: float
    profile: ServiceProfile
    cqc_provider_id: str
    cqc_location_id: str
    cqc_rating: str
    cqc_rating_date: date | None
    contracts: dict[int, str] = field(default_factory=dict)  # lot index (-1 = spot) -> ref
    carers: list[str] = field(default_factory=list)
    people: int = 0
    next_visit: int = 0


@dataclass
class Call:
    start: int  # seconds after local midnight
    minutes: int
    double_handed: bool


@dataclass
class DemoPackage:
    ref: str
    person_ref: str
    provider: DemoProvider
    contract_ref: str
    start: date
    end: date | None
    calls: list[Call]
    team: list[str]
    cover: list[str]
    late_factor: float
    requested_at: datetime
    hospital_discharge: bool


@dataclass
class DemoPerson:
    ref: str
    lives_alone: bool | None
    lacks_capacity: bool | None
    district: int
    lot: int
    packages: list[DemoPackage] = field(default_factory=list)
    hospital_days: tuple[date, date] | None = None


@dataclass
class DemoCounts:
    """What was built, for the command to report."""

    first_day: date
    last_day: date
    providers: int = 0
    framework_providers: int = 0
    contracts: int = 0
    people: int = 0
    packages: int = 0
    reviews: int = 0
    care_workers: int = 0
    visit_rows: int = 0
    visits: int = 0
    double_handed_visits: int = 0
    missed_visits: int = 0
    cancelled_visits: int = 0
    kpi_months: list[str] = field(default_factory=list)
    generate_seconds: float = 0.0
    import_seconds: float = 0.0
    kpi_seconds: float = 0.0


def _profile(rng: random.Random, label: str) -> ServiceProfile:
    u = rng.uniform
    if label == "struggling":
        return ServiceProfile(
            label, u(0.11, 0.15), u(0.10, 0.16), u(9, 13), u(0.012, 0.018), u(0.08, 0.13),
            u(0.70, 0.80), rng.randint(6, 9), u(0.5, 0.65),
            rng.randint(8, 12),
        )  # fmt: skip
    if label == "rotating":
        return ServiceProfile(
            label, u(0.01, 0.03), u(0.08, 0.15), u(5, 8), u(0.006, 0.01), u(0.04, 0.07),
            u(0.88, 0.95), rng.randint(8, 12), u(0.35, 0.5),
            rng.randint(12, 18),
        )  # fmt: skip
    if label == "fair":
        return ServiceProfile(
            label, u(0.025, 0.05), u(0.08, 0.15), u(6, 9), u(0.007, 0.013), u(0.04, 0.08),
            u(0.84, 0.94), rng.randint(4, 6), u(0.7, 0.85),
            rng.randint(5, 8),
        )  # fmt: skip
    return ServiceProfile(
        "good", u(0.004, 0.02), u(0.05, 0.12), u(3.5, 6), u(0.004, 0.008), u(0.02, 0.05),
        u(0.93, 0.99), rng.randint(3, 5), u(0.85, 0.95),
        rng.randint(3, 5),
    )  # fmt: skip


def _cqc_id(rng: random.Random) -> str:
    return f"1-{rng.randint(101_000_000, 199_999_999)}"


def _provider_labels(rng: random.Random, count: int, struggling: int, rotating: int) -> list[str]:
    labels = ["struggling"] * struggling + ["rotating"] * rotating
    while len(labels) < count:
        labels.append("fair" if rng.random() < 0.4 else "good")
    rng.shuffle(labels)
    return labels[:count]


def _rating_for(rng: random.Random, label: str) -> str:
    if label == "struggling":
        return rng.choice(["Requires improvement", "Requires improvement", "Inadequate"])
    if label == "good":
        return rng.choice(["Good", "Good", "Good", "Outstanding"])
    return rng.choice(["Good", "Good", "Requires improvement"])


def _plan_providers(
    rng: random.Random, people: int, first_day: date
) -> tuple[list[DemoProvider], list[DemoProvider]]:
    framework_count = max(len(LOTS), min(len(FRAMEWORK_NAMES), people // 10))
    spot_count = max(2, min(60, round(people / 39)))
    framework_labels = _provider_labels(
        rng, framework_count, struggling=max(1, round(framework_count / 7)), rotating=1
    )
    spot_labels = _provider_labels(rng, spot_count, struggling=max(1, spot_count // 10), rotating=0)
    spot_names = rng.sample([f"{w} {s}" for w in SPOT_WORDS for s in SPOT_SUFFIXES], spot_count)

    def make(index: int, name: str, framework: bool, label: str) -> DemoProvider:
        rated = rng.random() > (0.02 if framework else 0.08)  # new registrations await a rating
        return DemoProvider(
            ref=f"P{index:03d}",
            name=name,
            framework=framework,
            lots=[],
            weight=rng.uniform(0.6, 1.6) if framework else rng.uniform(0.3, 2.0),
            profile=_profile(rng, label),
            cqc_provider_id=_cqc_id(rng),
            cqc_location_id=_cqc_id(rng),
            cqc_rating=_rating_for(rng, label) if rated else "",
            cqc_rating_date=first_day - timedelta(days=rng.randint(60, 1400)) if rated else None,
        )

    framework = [
        make(i + 1, FRAMEWORK_NAMES[i], True, label) for i, label in enumerate(framework_labels)
    ]
    spot = [
        make(framework_count + i + 1, spot_names[i], False, label)
        for i, label in enumerate(spot_labels)
    ]
    # Every lot needs providers: each framework provider holds its "home" lot,
    # and some won a second one.
    for i, provider in enumerate(framework):
        provider.lots.append(i % len(LOTS))
        if rng.random() < 0.45:
            provider.lots.append((i + rng.randint(1, len(LOTS) - 1)) % len(LOTS))
        for lot in provider.lots:
            provider.contracts[lot] = f"CW24-L{lot + 1}-{provider.ref}"
    for provider in spot:
        provider.contracts[-1] = f"SP-{provider.ref}"
    return framework, spot


def _calls(rng: random.Random, double_handed: bool) -> list[Call]:
    """A person's daily rota: the usual four calls, fewer for some."""
    count = rng.choices([4, 3, 2, 1], weights=[90, 5, 3, 2])[0]
    morning = Call(7 * 3600 + rng.choice([0, 1, 2, 2, 2, 3, 4, 6]) * 900, 30, double_handed)
    if rng.random() < 0.25:
        morning.minutes = rng.choice([45, 60])
    lunch = Call(12 * 3600 + rng.choice([0, 1, 2, 2, 3, 4]) * 900, 30, False)
    tea = Call(16 * 3600 + rng.choice([2, 3, 4, 4, 4, 5, 6]) * 900, 30, False)
    bed = Call(
        20 * 3600 + rng.choice([0, 2, 3, 4, 4, 4, 5, 6]) * 900,
        rng.choice([15, 20, 30, 30, 30, 45]),
        double_handed,
    )
    rota = {4: [morning, lunch, tea, bed], 3: [morning, lunch, bed], 2: [morning, bed]}
    return rota.get(count, [morning])


def _plan_people(
    rng: random.Random,
    people: int,
    framework: list[DemoProvider],
    spot: list[DemoProvider],
    first_day: date,
    last_day: date,
) -> list[DemoPerson]:
    period_days = (last_day - first_day).days + 1
    lot_holders = [[p for p in framework if lot in p.lots] for lot in range(len(LOTS))]
    double_handed = set(rng.sample(range(people), max(1, round(people * 0.08))))
    hospital = set(rng.sample(range(people), max(1, round(people * 0.04))))
    # Most packages run through the period; some start or end in it, and some
    # people move to another provider part-way through (a handback). Quotas
    # rather than chance, so even a small test market has one of each.
    stories = (
        ["starts"] * max(1, round(people * 0.06))
        + ["started"] * max(1, round(people * 0.04))
        + ["ends"] * max(1, round(people * 0.04))
        + ["handback"] * max(1, round(people * 0.025))
    )
    stories = (stories + ["ongoing"] * max(0, people - len(stories)))[:people]
    rng.shuffle(stories)
    package_number = 0
    result: list[DemoPerson] = []

    def choose_provider(lot: int, avoid: DemoProvider | None = None) -> tuple[DemoProvider, str]:
        holders = [p for p in lot_holders[lot] if p is not avoid]
        if holders and rng.random() < 0.7:
            provider = rng.choices(holders, weights=[p.weight for p in holders])[0]
            return provider, provider.contracts[lot]
        choices = [p for p in spot if p is not avoid]
        provider = (
            rng.choices(choices, weights=[p.weight for p in choices])[0] if choices else spot[0]
        )
        return provider, provider.contracts[-1]

    def long_running_start(provider: DemoProvider) -> date:
        earliest = first_day - timedelta(days=4 * 365)
        if provider.framework and first_day - timedelta(days=43) > FRAMEWORK_START:
            earliest = max(earliest, FRAMEWORK_START)
        latest = first_day - timedelta(days=43)
        return earliest + timedelta(days=rng.randint(0, max(0, (latest - earliest).days)))

    for index in range(people):
        lot = rng.randrange(len(LOTS))
        district = rng.choice(LOT_DISTRICTS[lot])
        lives_alone = None if rng.random() < 0.02 else rng.random() < 0.45
        lacks_capacity = None if rng.random() < 0.03 else rng.random() < 0.12
        person = DemoPerson(f"R{index + 1:06d}", lives_alone, lacks_capacity, district, lot)
        calls = _calls(rng, index in double_handed)
        late_factor = rng.lognormvariate(0, 0.5)
        provider, contract = choose_provider(lot)
        story = stories[index]
        if story == "starts":
            start = first_day + timedelta(days=rng.randrange(period_days - 7))
            spans = [(provider, contract, start, None)]
        elif story == "started":
            start = first_day - timedelta(days=rng.randint(1, 42))
            spans = [(provider, contract, start, None)]
        elif story == "ends":
            end = first_day + timedelta(days=rng.randrange(period_days - 3))
            spans = [(provider, contract, long_running_start(provider), end)]
        elif story == "handback":
            switch = first_day + timedelta(days=rng.randint(10, period_days - 20))
            second, second_contract = choose_provider(lot, avoid=provider)
            spans = [
                (provider, contract, long_running_start(provider), switch - timedelta(days=1)),
                (second, second_contract, switch, None),
            ]
        else:
            spans = [(provider, contract, long_running_start(provider), None)]
        for span_provider, span_contract, start, end in spans:
            package_number += 1
            span_provider.people += 1
            requested = datetime.combine(
                start - timedelta(days=rng.randint(1, 12)), datetime.min.time()
            ) + timedelta(minutes=rng.randint(9 * 60, 17 * 60 - 1))
            person.packages.append(
                DemoPackage(
                    ref=f"PKG{package_number:06d}",
                    person_ref=person.ref,
                    provider=span_provider,
                    contract_ref=span_contract,
                    start=start,
                    end=end,
                    calls=calls,
                    team=[],
                    cover=[],
                    late_factor=late_factor,
                    requested_at=requested,
                    hospital_discharge=rng.random() < 0.3,
                )
            )
        if index in hospital:
            stay_start = first_day + timedelta(days=rng.randrange(period_days - 14))
            person.hospital_days = (stay_start, stay_start + timedelta(days=rng.randint(3, 13)))
        result.append(person)
    return result


def _staff_providers(
    rng: random.Random, providers: list[DemoProvider], people: list[DemoPerson]
) -> None:
    """Give each provider its care workers and each package its regular team."""
    # Small providers still need a minimum staff, so the ratio is a little under 1,200 / 2,350.
    carers_per_person = 1120 / DEFAULT_PEOPLE
    for provider in providers:
        profile = provider.profile
        size = max(
            profile.team_size + 2,
            profile.cover_size + 2,
            round(provider.people * carers_per_person),
        )
        provider.carers = [f"C{n:04d}" for n in range(1, size + 1)]
    for person in people:
        for package in person.packages:
            carers = package.provider.carers
            profile = package.provider.profile
            package.team = rng.sample(carers, profile.team_size)
            package.cover = rng.sample(carers, profile.cover_size)


# --- writing the files ---------------------------------------------------------------


def _bool(value: bool | None) -> str:
    return "" if value is None else ("true" if value else "false")


def _open(directory: Path, kind: str) -> IO[str]:
    return (directory / f"{kind}.csv").open("w", encoding="utf-8", newline="")


def _write_small_files(
    directory: Path,
    rng: random.Random,
    providers: list[DemoProvider],
    people: list[DemoPerson],
    first_day: date,
    last_day: date,
    counts: DemoCounts,
) -> None:
    with _open(directory, ImportKind.PROVIDERS) as handle:
        writer = csv.writer(handle, lineterminator="\n")
        writer.writerow(HEADERS[ImportKind.PROVIDERS])
        for p in providers:
            rating_date = p.cqc_rating_date.isoformat() if p.cqc_rating_date else ""
            writer.writerow(
                (p.ref, p.name, p.cqc_provider_id, p.cqc_location_id, p.cqc_rating, rating_date)
            )
    counts.providers = len(providers)
    counts.framework_providers = sum(p.framework for p in providers)

    with _open(directory, ImportKind.CONTRACTS) as handle:
        writer = csv.writer(handle, lineterminator="\n")
        writer.writerow(HEADERS[ImportKind.CONTRACTS])
        for p in providers:
            for lot in sorted(p.contracts):
                if lot >= 0:
                    terms = (FRAMEWORK, LOTS[lot], FRAMEWORK_START, FRAMEWORK_END.isoformat())
                    rate = rng.uniform(23.10, 25.90)
                else:
                    # A spot contract is opened when the first package is placed with it.
                    start = min(
                        (pk.start for person in people for pk in person.packages
                         if pk.provider is p),
                        default=first_day - timedelta(days=400),
                    )  # fmt: skip
                    terms = (SPOT_FRAMEWORK, SPOT_LOT, start, "")
                    rate = rng.uniform(24.50, 31.00)
                framework_name, lot_name, start_date, end_text = terms
                writer.writerow(
                    (p.contracts[lot], p.ref, framework_name, lot_name, start_date.isoformat(),
                     end_text, f"{rate:.2f}")
                )  # fmt: skip
                counts.contracts += 1

    with _open(directory, ImportKind.PEOPLE) as handle:
        writer = csv.writer(handle, lineterminator="\n")
        writer.writerow(HEADERS[ImportKind.PEOPLE])
        for person in people:
            writer.writerow(
                (
                    person.ref,
                    _bool(person.lives_alone),
                    _bool(person.lacks_capacity),
                    f"S{person.district}",
                )
            )
    counts.people = len(people)

    with _open(directory, ImportKind.PACKAGES) as handle:
        writer = csv.writer(handle, lineterminator="\n")
        writer.writerow(HEADERS[ImportKind.PACKAGES])
        for person in people:
            for pk in person.packages:
                weekly = sum(call.minutes for call in pk.calls) * 7 / 60
                writer.writerow(
                    (
                        pk.ref,
                        pk.person_ref,
                        pk.provider.ref,
                        pk.contract_ref,
                        pk.start.isoformat(),
                        pk.end.isoformat() if pk.end else "",
                        f"{weekly:.2f}",
                        pk.requested_at.isoformat(),
                        _bool(pk.hospital_discharge),
                    )
                )
                counts.packages += 1

    with _open(directory, ImportKind.REVIEWS) as handle:
        writer = csv.writer(handle, lineterminator="\n")
        writer.writerow(HEADERS[ImportKind.REVIEWS])
        number = 0
        for person in people:
            for pk in person.packages:
                for review_date, review_type in _reviews(rng, pk, first_day, last_day):
                    number += 1
                    writer.writerow(
                        (f"RV{number:07d}", pk.ref, review_date.isoformat(), review_type)
                    )
        counts.reviews = number


def _reviews(
    rng: random.Random, pk: DemoPackage, first_day: date, last_day: date
) -> list[tuple[date, str]]:
    """The reviews the council has completed on a package by the end of the period:
    most six-week reviews on time, some late, some never done."""
    reviews: list[tuple[date, str]] = []
    ends = min(pk.end, last_day) if pk.end else last_day
    due = pk.start + timedelta(days=42)
    outcome = rng.random()
    if outcome < 0.78:
        done: date | None = pk.start + timedelta(days=rng.randint(24, 42))
    elif outcome < 0.92:
        done = due + timedelta(days=rng.randint(1, 45))
    else:
        done = None
    if done is not None and done <= ends:
        reviews.append((done, "six_week"))
    year = 1
    while pk.start + timedelta(days=365 * year) <= ends:
        annual = pk.start + timedelta(days=365 * year + rng.randint(-35, 25))
        if rng.random() < 0.88 and annual <= ends:
            reviews.append((annual, "annual"))
        year += 1
    if rng.random() < 0.06:
        earliest = max(pk.start, first_day - timedelta(days=180))
        if earliest <= ends:
            reviews.append((earliest + timedelta(days=rng.randint(0, (ends - earliest).days)),
                            "change_of_need"))  # fmt: skip
    reviews.sort()
    return reviews


def _visit_lines(
    rng: random.Random, person: DemoPerson, first_day: date, last_day: date, counts: DemoCounts
) -> Iterator[str]:
    """The ECM rows of one person's visits over the period, one line each."""
    rnd = rng.random
    gauss = rng.gauss
    uniform = rng.uniform
    day_count = (last_day - first_day).days + 1
    # One extra day: a late bedtime call can end after midnight.
    day_text = [(first_day + timedelta(days=d)).isoformat() for d in range(day_count + 1)]
    clock = _CLOCK
    hospital = person.hospital_days

    def stamp(day: int, seconds: int) -> str:
        if seconds >= 86_400:
            return f"{day_text[day + 1]}T{clock[seconds - 86_400]}"
        return f"{day_text[day]}T{clock[seconds]}"

    for pk in person.packages:
        provider = pk.provider
        profile = provider.profile
        late_tail = profile.late_tail * pk.late_factor
        very_late = profile.very_late_share
        sd = profile.punctual_sd
        missed_p = profile.missed
        short_p = profile.short
        ecm_p = profile.ecm
        regular = profile.regular_share
        team = pk.team
        cover = pk.cover
        first = max(pk.start, first_day)
        last = min(pk.end, last_day) if pk.end else last_day
        for day in range((first - first_day).days, (last - first_day).days + 1):
            on_day = first_day + timedelta(days=day)
            in_hospital = hospital is not None and hospital[0] <= on_day <= hospital[1]
            for call in pk.calls:
                provider.next_visit += 1
                visit_id = f"V{provider.next_visit:07d}"
                planned_start = stamp(day, call.start)
                planned_end = stamp(day, call.start + call.minutes * 60)
                head = f"{visit_id},{pk.ref},"
                timing = f"{planned_start},{planned_end},"
                counts.visits += 1
                r = rnd()
                if in_hospital or r < 0.007:
                    counts.cancelled_visits += 1
                    counts.visit_rows += 1
                    yield f"{head},{timing},,cancelled,\n"
                    continue
                if r < 0.007 + missed_p:
                    counts.missed_visits += 1
                    counts.visit_rows += 1
                    yield f"{head},{timing},,missed,\n"
                    continue
                if rnd() < late_tail:
                    if rnd() < very_late:
                        delay = int(uniform(61, 100) * 60)
                    else:
                        delay = int(uniform(30.5, 60) * 60)
                else:
                    delay = int(min(29.0, max(-10.0, gauss(2.0, sd))) * 60)
                factor = uniform(0.35, 0.74) if rnd() < short_p else uniform(0.78, 1.2)
                start = call.start + delay + int(rnd() * 60)
                end = start + max(180, int(call.minutes * 60 * factor))
                carer = (
                    team[int(rnd() * len(team))]
                    if rnd() < regular
                    else cover[int(rnd() * len(cover))]
                )
                verification = "ecm" if rnd() < ecm_p else "manual"
                counts.visit_rows += 1
                yield (
                    f"{head}{carer},{timing}{stamp(day, start)},{stamp(day, end)},"
                    f"completed,{verification}\n"
                )
                if call.double_handed:
                    second = carer
                    while second == carer:
                        second = cover[int(rnd() * len(cover))]
                    # The second worker arrives and leaves a little apart from the first.
                    start2 = start + int(uniform(-180, 240))
                    end2 = max(start2 + 180, end + int(uniform(-120, 180)))
                    counts.visit_rows += 1
                    counts.double_handed_visits += 1
                    yield (
                        f"{head}{second},{timing}{stamp(day, start2)},{stamp(day, end2)},"
                        f"completed,{verification}\n"
                    )


def generate(
    directory: Path,
    *,
    people: int = DEFAULT_PEOPLE,
    seed: int = DEFAULT_SEED,
    end_month: tuple[int, int] | None = None,
) -> DemoCounts:
    """Write the six CSV files of the demo market into `directory`."""
    if people < 1:
        raise ValueError("the demo market needs at least one person")
    began = time.monotonic()
    first_day, last_day = visit_period(end_month or default_end_month())
    directory.mkdir(parents=True, exist_ok=True)
    rng = random.Random(seed)
    framework, spot = _plan_providers(rng, people, first_day)
    providers = framework + spot
    persons = _plan_people(rng, people, framework, spot, first_day, last_day)
    _staff_providers(rng, providers, persons)
    counts = DemoCounts(first_day=first_day, last_day=last_day)
    _write_small_files(directory, rng, providers, persons, first_day, last_day, counts)
    with _open(directory, ImportKind.VISITS) as handle:
        handle.write(",".join(HEADERS[ImportKind.VISITS]) + "\n")
        for person in persons:
            handle.writelines(_visit_lines(rng, person, first_day, last_day, counts))
    counts.care_workers = sum(len(p.carers) for p in providers)
    counts.generate_seconds = time.monotonic() - began
    return counts


def load(directory: Path) -> list[ImportRecord]:
    """Import the demo files in dependency order through the users' importer;
    DemoImportRejected (with the error report) if any file is refused."""
    records = []
    for kind in FILE_ORDER:
        record = imports.import_path(kind, directory / f"{kind}.csv", recompute_kpis=False)
        if record.outcome != ImportOutcome.SUCCEEDED:
            raise DemoImportRejected(record)
        records.append(record)
    return records


def build(
    directory: Path,
    *,
    people: int = DEFAULT_PEOPLE,
    seed: int = DEFAULT_SEED,
    end_month: tuple[int, int] | None = None,
) -> DemoCounts:
    """Generate the demo market, load it and compute its monthly KPIs. The load
    is one transaction, so a failure leaves an empty database that
    `seed_demo --if-empty` will fill next time."""
    counts = generate(directory, people=people, seed=seed, end_month=end_month)
    began = time.monotonic()
    # Each month is computed once after the load, not once per file.
    with transaction.atomic():
        records = load(directory)
        ensure_demo_users()
        seed_quality(end_month or default_end_month())
    counts.import_seconds = time.monotonic() - began
    began = time.monotonic()
    counts.kpi_months = _compute_kpis(records)
    counts.kpi_seconds = time.monotonic() - began
    return counts


def _compute_kpis(records: list[ImportRecord]) -> list[str]:
    """Compute each month the demo's visits fall in."""
    from homecare.kpis.tasks import compute_month

    months = {month for record in records for month in record.months_touched}
    for month in sorted(months):
        try:
            compute_month.delay(month, None)
        except Exception:
            # The market is loaded; `compute_kpis --month` can bring a month up to date.
            logger.exception("Could not compute the demo KPIs of %s", month)
    return sorted(months)


# --- demo users ----------------------------------------------------------------------


def demo_provider() -> Provider | None:
    """The framework provider whose user the `provider` login is: the first by ref."""
    return (
        Provider.objects.filter(contracts__lot__framework__name=FRAMEWORK)
        .order_by("ref")
        .distinct()
        .first()
    )


def seed_quality(last_month: tuple[int, int]) -> None:
    """The default assessment framework, and for the `provider` login's provider
    a published assessment with an action plan awaiting the provider, so every
    quality page has something real to show."""
    from reviews import rating, services
    from reviews.models import AssessmentType

    framework = services.load_default_framework()
    provider = demo_provider()
    officer = User.objects.filter(username="quality").first()
    if provider is None or officer is None:
        return
    # The monitoring visit fell in the second of the three months.
    visited = date(*last_month, 1) - timedelta(days=40)
    questions = list(framework.questions.order_by("code"))
    # Mostly good, with a few shortfalls that open issues on the action plan.
    answers = {
        question.pk: (
            rating.REQUIRES_IMPROVEMENT if n % 9 == 4 else rating.GOOD,
            "Files sampled and people spoken with; see the visit notes.",
        )
        for n, question in enumerate(questions)
    }
    assessment = services.start_assessment(provider, framework, officer, AssessmentType.ROUTINE)
    details = {
        "start_date": visited,
        "end_date": visited + timedelta(days=1),
        "assessors": "Quality and Monitoring Team",
        "files_sampled": 8,
        "people_spoken_with": 6,
        "staff_spoken_with": 5,
        "evidence_notes": "Two-day monitoring visit: care files, MAR charts, rotas, spot checks.",
    }
    services.save_draft(assessment, officer, details, answers)
    services.issue_to_provider(assessment, officer, visited + timedelta(days=7))
    services.publish(assessment, officer, visited + timedelta(days=22))


def ensure_demo_users() -> list[User]:
    """Create (or reset) one login per role, all with DEMO_PASSWORD. Idempotent."""
    users = []
    provider = demo_provider()
    for login in DEMO_LOGINS:
        user, _ = User.objects.get_or_create(username=login.username)
        user.set_password(DEMO_PASSWORD)
        user.is_active = True
        if login.role == "Superuser":
            user.is_staff = user.is_superuser = True
            user.save()
        else:
            user.save()
            user.groups.set([Group.objects.get_or_create(name=login.role)[0]])
        if login.role == PROVIDER_USER and provider is not None:
            ProviderUser.objects.update_or_create(user=user, defaults={"provider": provider})
        users.append(user)
    return users
