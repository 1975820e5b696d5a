"""The people who receive care and their packages: who they are (as pseudonymous
refs), which lot and provider serve them, their daily calls and care teams.

Most packages run through the period; some start or end in it, and some people
move to another provider part-way through (a handback).
"""

from __future__ import annotations

import random
from dataclasses import dataclass, field
from datetime import date, datetime, timedelta
from pathlib import Path

from homecare.demo.files import DemoCounts, csv_bool, write_rows
from homecare.demo.market import FRAMEWORK_START, LOT_DISTRICTS, LOTS, DemoProvider
from visits.models import ImportKind

# The size of the demo market: about a large English city's.
DEFAULT_PEOPLE = 2350


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
    # Every visit time-critical (insulin, say): one package in nine, chosen by
    # its number rather than drawn, so the rest of the demo stays as it was.
    time_critical: bool = False


@dataclass
class DemoPerson:
    ref: str
    lives_alone: bool | None
    lacks_capacity: bool | None
    district: int
    lot: int
    packages: list[DemoPackage] = field(default_factory=list)
    hospital_days: tuple[date, date] | None = None


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


def plan_people(
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
        spans: list[tuple[DemoProvider, str, date, date | None]]
        if story == "starts":
            start = first_day + timedelta(days=rng.randrange(period_days - 7))
            spans = [(provider, contract, start, None)]
        elif story == "started":
            start = first_day - timedelta(days=rng.randint(1, 42))
            spans = [(provider, contract, start, None)]
        elif story == "ends":
            ended = first_day + timedelta(days=rng.randrange(period_days - 3))
            spans = [(provider, contract, long_running_start(provider), ended)]
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
            opened = span_provider.first_package_start
            span_provider.first_package_start = start if opened is None else min(opened, start)
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
                    time_critical=package_number % 9 == 0,
                )
            )
        if index in hospital:
            stay_start = first_day + timedelta(days=rng.randrange(period_days - 14))
            person.hospital_days = (stay_start, stay_start + timedelta(days=rng.randint(3, 13)))
        result.append(person)
    return result


def staff_providers(
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


def write_people(directory: Path, people: list[DemoPerson], counts: DemoCounts) -> None:
    write_rows(
        directory,
        ImportKind.PEOPLE,
        (
            (p.ref, csv_bool(p.lives_alone), csv_bool(p.lacks_capacity), f"S{p.district}")
            for p in people
        ),
    )
    counts.people = len(people)


def write_packages(directory: Path, people: list[DemoPerson], counts: DemoCounts) -> None:
    packages = [pk for person in people for pk in person.packages]
    write_rows(
        directory,
        ImportKind.PACKAGES,
        (
            (
                pk.ref,
                pk.person_ref,
                pk.provider.ref,
                pk.contract_ref,
                pk.start.isoformat(),
                pk.end.isoformat() if pk.end else "",
                f"{sum(call.minutes for call in pk.calls) * 7 / 60:.2f}",
                pk.requested_at.isoformat(),
                csv_bool(pk.hospital_discharge),
                csv_bool(pk.time_critical),
            )
            for pk in packages
        ),
    )
    counts.packages = len(packages)
