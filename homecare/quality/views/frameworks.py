"""Assessment frameworks: the list, one framework, uploading a new version."""

from __future__ import annotations

from django.contrib import messages
from django.http import HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, redirect

from common.csvimport import FileRejected
from homecare.accounts.pages import render_page
from homecare.accounts.roles import council_staff_required, permission_required
from homecare.quality.forms.frameworks import FrameworkUploadForm
from homecare.ui.forms import error_list
from reviews.framework_import import import_framework
from reviews.models import (
    AssessmentFramework,
)


@council_staff_required
def frameworks(request: HttpRequest) -> HttpResponse:
    return render_page(
        request,
        "quality/frameworks.html",
        {
            "frameworks": AssessmentFramework.objects.all(),
        },
    )


@council_staff_required
def framework_detail(request: HttpRequest, pk: int) -> HttpResponse:
    framework = get_object_or_404(AssessmentFramework, pk=pk)
    domains = framework.domains.prefetch_related("standards__questions")
    return render_page(
        request, "quality/framework.html", {"framework": framework, "domains": domains}
    )


@permission_required("quality.upload_framework")
def framework_upload(request: HttpRequest) -> HttpResponse:
    form = FrameworkUploadForm(request.POST or None, request.FILES or None)
    rejected: list[str] = []
    if request.method == "POST" and form.is_valid():
        try:
            framework = import_framework(
                form.cleaned_data["file"], form.cleaned_data["name"], request.user
            )
        except FileRejected as refused:
            rejected = refused.errors
        else:
            messages.success(request, f"Loaded {framework}.")
            return redirect("framework", pk=framework.pk)
    return render_page(
        request,
        "quality/framework_upload.html",
        {
            "form": form,
            "errors": error_list(form),
            "rejected": rejected,
            "error_title": bool(rejected),
        },
    )
