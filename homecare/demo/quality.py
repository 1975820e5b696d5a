"""Quality in the demo: the package reviews the council has done (six-week,
annual, change of need), and a published PAMMS-style assessment with an action
plan for the `provider` login's provider, so every quality page has something
real to show."""

from __future__ import annotations

import random
from collections.abc import Iterator
from datetime import date, timedelta
from pathlib import Path

from django.contrib.auth.models import User

from homecare.demo.files import DemoCounts, write_rows
from homecare.demo.people import DemoPackage, DemoPerson
from homecare.demo.users import demo_provider
from reviews import rating, services
from reviews.models import AssessmentType
from visits.models import ImportKind


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


def write_reviews(
    directory: Path,
    rng: random.Random,
    people: list[DemoPerson],
    first_day: date,
    last_day: date,
    counts: DemoCounts,
) -> None:
    def rows() -> Iterator[tuple[str, ...]]:
        for person in people:
            for pk in person.packages:
                for review_date, review_type in _reviews(rng, pk, first_day, last_day):
                    counts.reviews += 1
                    yield (f"RV{counts.reviews:07d}", pk.ref, review_date.isoformat(), review_type)

    write_rows(directory, ImportKind.REVIEWS, rows())


def seed_quality(last_month: tuple[int, int]) -> None:
    """The default assessment framework, and for the `provider` login's provider
    a published assessment with an action plan awaiting the provider."""
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
