"""The market itself: the framework and its lots, the providers and their contracts.

Providers are drawn with a service profile (good, fair, struggling, rotating)
that decides how punctual and consistent their visits will be in ecm.py.
"""

from __future__ import annotations

import random
from collections.abc import Iterator
from dataclasses import dataclass, field
from datetime import date, timedelta
from pathlib import Path

from homecare.demo.files import DemoCounts, write_rows
from visits.models import ImportKind

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
    first_package_start: date | None = None  # opens a spot contract
    next_visit: int = 0


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


def plan_providers(
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


def write_providers(directory: Path, providers: list[DemoProvider], counts: DemoCounts) -> None:
    write_rows(
        directory,
        ImportKind.PROVIDERS,
        (
            (p.ref, p.name, p.cqc_provider_id, p.cqc_location_id, p.cqc_rating,
             p.cqc_rating_date.isoformat() if p.cqc_rating_date else "")
            for p in providers
        ),
    )  # fmt: skip
    counts.providers = len(providers)
    counts.framework_providers = sum(p.framework for p in providers)


def write_contracts(
    directory: Path,
    rng: random.Random,
    providers: list[DemoProvider],
    first_day: date,
    counts: DemoCounts,
) -> None:
    """Each framework provider's lot contracts and each spot provider's contract,
    at an hourly rate drawn in file order."""

    def rows() -> Iterator[tuple[str, ...]]:
        for p in providers:
            for lot in sorted(p.contracts):
                if lot >= 0:
                    terms = (FRAMEWORK, LOTS[lot], FRAMEWORK_START, FRAMEWORK_END.isoformat())
                    rate = rng.uniform(23.10, 25.90)
                else:
                    # A spot contract is opened when the first package is placed with it.
                    start = p.first_package_start or first_day - timedelta(days=400)
                    terms = (SPOT_FRAMEWORK, SPOT_LOT, start, "")
                    rate = rng.uniform(24.50, 31.00)
                framework_name, lot_name, start_date, end_text = terms
                counts.contracts += 1
                yield (p.contracts[lot], p.ref, framework_name, lot_name, start_date.isoformat(),
                       end_text, f"{rate:.2f}")  # fmt: skip

    write_rows(directory, ImportKind.CONTRACTS, rows())
