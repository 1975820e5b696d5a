"""Recording a care package review made in the app."""

from __future__ import annotations

import datetime as dt
from typing import Any

from django.utils import timezone

from contracts.models import CarePackage
from reviews.models import (
    PackageReview,
)


def record_package_review(
    package: CarePackage, user: Any, review_date: dt.date, review_type: str, notes: str = ""
) -> PackageReview:
    # The ref must be unique before the id exists: save under a placeholder,
    # then give it the APP-<id> ref that marks it as made in the app.
    review = PackageReview.objects.create(
        ref=f"APP-pending-{timezone.now().timestamp()}-{package.pk}",
        package=package,
        review_date=review_date,
        review_type=review_type,
        recorded_by=user,
        notes=notes,
    )
    review.ref = f"APP-{review.pk}"
    review.save(update_fields=["ref"])
    return review
