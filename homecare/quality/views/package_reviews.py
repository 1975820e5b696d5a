"""Recording a six-week or annual review of a care package."""

from __future__ import annotations

from django.contrib import messages
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect

from homecare.accounts.pages import render_page
from homecare.accounts.roles import any_role_required, require
from homecare.quality.forms.frameworks import PackageReviewForm
from homecare.ui.forms import error_list
from homecare.ui.privacy import person_level_data
from providers.access import (
    get_visible_provider,
)
from reviews import services


@person_level_data
@any_role_required
def package_review(request: HttpRequest, ref: str) -> HttpResponse:
    provider = get_visible_provider(request.user, ref)
    require(request.user, "quality.record_package_review", provider)
    form = PackageReviewForm(
        request.POST or None,
        provider=provider,
        initial={"package": request.GET.get("package"), "review_type": request.GET.get("type")},
    )
    if request.method == "POST" and form.is_valid():
        review = services.record_package_review(
            form.cleaned_data["package"],
            request.user,
            form.cleaned_data["review_date"],
            form.cleaned_data["review_type"],
            form.cleaned_data["notes"],
        )
        messages.success(request, f"Review {review.ref} has been recorded.")
        return redirect("provider-quality", ref=ref)
    return render_page(
        request,
        "quality/package_review.html",
        {"provider": provider, "form": form, "errors": error_list(form)},
    )
