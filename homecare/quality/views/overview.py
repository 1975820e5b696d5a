"""The quality overview (schedule, awaiting lists) and a provider's quality page."""

from __future__ import annotations

import datetime as dt

from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect

from homecare.accounts.pages import render_page
from homecare.accounts.roles import any_role_required, may
from homecare.quality.views.common import local_today
from homecare.ui.privacy import person_level_data
from providers.access import (
    get_visible_provider,
    user_provider,
)
from reviews import selectors
from reviews.models import (
    AssessmentStatus,
)


@any_role_required
def overview(request: HttpRequest) -> HttpResponse:
    if not may(request.user, "providers.see_all_providers"):
        provider = user_provider(request.user)
        if provider is None:
            raise Http404("No such page")
        return redirect("provider-quality", ref=provider.ref)
    today = local_today()
    schedule = selectors.assessment_schedule(request.user, today)
    horizon = today + dt.timedelta(days=selectors.DUE_SOON_DAYS)
    awaiting = selectors.assessments_awaiting(request.user)
    return render_page(
        request,
        "quality/overview.html",
        {
            "today": today,
            "overdue": [r for r in schedule if r.overdue],
            "due_soon": [r for r in schedule if not r.overdue and r.due <= horizon],
            "lists": [
                ("Awaiting senior officer review", awaiting["awaiting_review"]),
                ("Draft reports with the provider", awaiting["with_provider"]),
                ("Ready to publish", awaiting["ready_to_publish"]),
                ("Drafts being recorded", awaiting["drafts"]),
            ],
            "overdue_plans": selectors.overdue_plans(None, today),
            "overdue_actions": selectors.overdue_actions(None, today),
        },
    )


@person_level_data
@any_role_required
def provider_quality(request: HttpRequest, ref: str) -> HttpResponse:
    provider = get_visible_provider(request.user, ref)
    today = local_today()
    visible = selectors.visible_assessments(request.user).filter(provider=provider)
    if not may(request.user, "quality.see_drafts"):
        visible = visible.exclude(status=AssessmentStatus.DRAFT)
    assessments = list(visible.select_related("action_plan"))
    last = next((a for a in assessments if a.status == AssessmentStatus.PUBLISHED), None)
    due = selectors.next_assessment_due(
        last.published_at.date() if last and last.published_at else None,
        last.overall_rating if last else "",
        today,
    )
    return render_page(
        request,
        "quality/provider.html",
        {
            "provider": provider,
            "assessments": assessments,
            "next_due": due,
            "today": today,
            "overdue_plans": selectors.overdue_plans(provider, today),
            "overdue_actions": selectors.overdue_actions(provider, today),
            "reviews_due": selectors.package_reviews_due(provider, today),
        },
    )
