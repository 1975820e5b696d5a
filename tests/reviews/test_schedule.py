"""The assessment schedule, and package reviews recorded in the app."""

from __future__ import annotations

import datetime as dt

import pytest
from django.test import Client
from django.urls import reverse
from django.utils import timezone

from reviews.models import Assessment, AssessmentStatus, PackageReview
from reviews.selectors import assessment_schedule, next_assessment_due, package_reviews_due
from reviews.services import load_default_framework
from tests.conftest import login
from tests.factories import CarePackageFactory, PackageReviewFactory, ProviderFactory
from tests.quality.flow import date_parts

pytestmark = pytest.mark.django_db
TODAY = dt.date(2026, 11, 23)


@pytest.mark.parametrize(
    ("published", "rating", "red", "expected"),
    [
        (None, "", False, TODAY),
        (dt.date(2026, 1, 10), "good", False, dt.date(2027, 1, 10)),
        (dt.date(2026, 1, 10), "excellent", False, dt.date(2027, 1, 10)),
        (dt.date(2026, 6, 1), "requires_improvement", False, dt.date(2026, 11, 30)),
        (dt.date(2026, 6, 1), "poor", False, dt.date(2026, 11, 30)),
        (dt.date(2026, 6, 1), "good", True, dt.date(2026, 12, 23)),
        (dt.date(2026, 6, 1), "poor", True, dt.date(2026, 11, 30)),  # already sooner
    ],
)
def test_next_assessment_due(published, rating, red, expected) -> None:
    assert next_assessment_due(published, rating, TODAY, kpis_red=red) == expected


def test_schedule_lists_due_and_overdue(quality_officer) -> None:
    framework = load_default_framework()
    ProviderFactory(ref="PN", name="Never Assessed")
    good = ProviderFactory(ref="PG", name="Good Care")
    poor = ProviderFactory(ref="PP", name="Poor Care")
    for provider, rating, when in ((good, "good", 100), (poor, "poor", 200)):
        Assessment.objects.create(
            provider=provider,
            framework=framework,
            officer=quality_officer,
            status=AssessmentStatus.PUBLISHED,
            overall_rating=rating,
            published_at=timezone.now() - dt.timedelta(days=when),
        )
    today = timezone.localdate()
    rows = {r.provider.ref: r for r in assessment_schedule(quality_officer, today)}
    assert rows["PN"].due == today and not rows["PN"].overdue
    assert rows["PP"].overdue
    assert not rows["PG"].overdue
    red = {
        r.provider.ref: r for r in assessment_schedule(quality_officer, today, frozenset({good.pk}))
    }
    assert red["PG"].due == today + dt.timedelta(days=30)


def test_package_reviews_due_and_recorded_in_the_app(client: Client, quality_officer) -> None:
    provider = ProviderFactory(ref="PR")
    today = timezone.localdate()
    new = CarePackageFactory(
        ref="K-NEW", provider=provider, start_date=today - dt.timedelta(days=40)
    )
    late = CarePackageFactory(
        ref="K-LATE", provider=provider, start_date=today - dt.timedelta(days=60)
    )
    yearly = CarePackageFactory(
        ref="K-YEAR", provider=provider, start_date=today - dt.timedelta(days=800)
    )
    PackageReviewFactory(package=yearly, review_date=today - dt.timedelta(days=360))
    CarePackageFactory(ref="K-FINE", provider=provider, start_date=today - dt.timedelta(days=5))
    due = {r.package.ref: r for r in package_reviews_due(provider, today)}
    assert set(due) == {"K-NEW", "K-LATE", "K-YEAR"}
    assert due["K-LATE"].overdue and due["K-LATE"].review_type == "six_week"
    assert not due["K-NEW"].overdue
    assert due["K-YEAR"].review_type == "annual"
    login(client, quality_officer)
    page = client.get(reverse("provider-quality", args=["PR"])).content.decode()
    assert "K-LATE" in page and "Overdue" in page
    url = reverse("package-review", args=["PR"])
    response = client.post(
        url,
        {
            "package": "K-LATE",
            "review_type": "six_week",
            **date_parts("review_date", today + dt.timedelta(days=1)),
        },
    )
    assert "Date of the review must be today or in the past" in response.content.decode()
    response = client.post(
        url,
        {
            "package": "K-LATE",
            "review_type": "six_week",
            **date_parts("review_date", today),
            "notes": "Going well",
        },
    )
    assert response.status_code == 302
    review = PackageReview.objects.get(package=late)
    assert review.ref == f"APP-{review.pk}" and review.recorded_by == quality_officer
    assert "K-LATE" not in {r.package.ref for r in package_reviews_due(provider, today)}
    assert new.ref in {r.package.ref for r in package_reviews_due(provider, today)}


def test_package_review_form_is_for_council_staff(provider_a, provider_a_user) -> None:
    client = login(Client(), provider_a_user)
    assert client.get(reverse("package-review", args=[provider_a.ref])).status_code == 403
