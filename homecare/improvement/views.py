"""The improvement tracker's pages: the tracker (every item, filtered by
provider, grade and quarter), a plan with its items and their grades quarter by
quarter, the forms for plans, recommendations and progress updates, and the
evidence files (uploaded, listed, downloaded only by those who see their plan
or assessment)."""

from __future__ import annotations

from typing import Any

from django import forms
from django.contrib import messages
from django.core.exceptions import ValidationError
from django.core.paginator import Paginator
from django.http import FileResponse, Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect
from django.urls import reverse
from django.utils import timezone
from django.views.decorators.cache import never_cache

from homecare.accounts.pages import render_page
from homecare.accounts.roles import may, permission_required, require
from homecare.improvement import selectors, services
from homecare.improvement.forms import (
    AssessmentEvidenceForm,
    ItemForm,
    PlanForm,
    TrackerFilterForm,
    UpdateForm,
)
from homecare.improvement.presenters import PlanPage, TrackerRow
from homecare.ui.forms import error_list
from homecare.ui.query import MAX_PAGE, QueryForm, read_query
from reviews import selectors as review_selectors

PER_PAGE = 50
tracker_required = permission_required("improvement.see_tracker")


class PageQueryForm(QueryForm):
    page = forms.IntegerField(
        required=False,
        min_value=1,
        max_value=MAX_PAGE,
        error_messages={"invalid": "Page must be a whole number, like 2"},
    )


@tracker_required
def tracker(request: HttpRequest) -> HttpResponse:
    user = request.user
    providers = [(p.ref, p.name) for p in selectors.tracker_providers(user).order_by("name")]
    quarters = selectors.tracker_quarters()
    asked = read_query(request, TrackerFilterForm, providers=providers, quarters=quarters)
    page_number = read_query(request, PageQueryForm)["page"] or 1
    # Bound again only to draw the filters as asked (the values are already checked).
    filters = TrackerFilterForm(request.GET or None, providers=providers, quarters=quarters)
    filters.is_valid()
    items = selectors.tracker_items(
        user, provider=asked["provider"], grade=asked["grade"], quarter=asked["quarter"]
    )
    page = Paginator(items, PER_PAGE).get_page(page_number)
    query = request.GET.copy()
    query.pop("page", None)
    return render_page(
        request,
        "improvement/tracker.html",
        {
            "filters": filters,
            "filtered": any(asked[name] for name in ("provider", "grade", "quarter")),
            "quarter": asked["quarter"],
            "rows": [TrackerRow(item) for item in page.object_list],
            "page": page,
            "page_query": query.urlencode(),
            "may_manage": may(user, "improvement.manage_plans"),
        },
    )


@tracker_required
def plan_detail(request: HttpRequest, pk: int) -> HttpResponse:
    plan = selectors.get_visible_plan(request.user, pk)
    page = PlanPage.load(plan, request.user)
    return render_page(request, "improvement/plan.html", {"plan": plan, "page": page})


@permission_required("improvement.manage_plans")
def plan_new(request: HttpRequest) -> HttpResponse:
    form = PlanForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        plan = services.create_plan(request.user, **form.cleaned_data)
        messages.success(request, "The plan has been created. Add its recommendations.")
        return redirect("improvement-plan", pk=plan.pk)
    return render_page(
        request, "improvement/plan_form.html", {"form": form, "errors": error_list(form)}
    )


@permission_required("improvement.manage_plans")
def item_new(request: HttpRequest, pk: int) -> HttpResponse:
    plan = selectors.get_visible_plan(request.user, pk)
    if not plan.council_wide:
        raise Http404("A provider's actions are added on its action plan")
    form = ItemForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        services.add_item(plan, request.user, **form.cleaned_data)
        messages.success(request, "The recommendation has been added.")
        return redirect("improvement-plan", pk=plan.pk)
    return render_page(
        request,
        "improvement/item_form.html",
        {"plan": plan, "form": form, "errors": error_list(form)},
    )


@tracker_required
def update_new(request: HttpRequest, pk: int) -> HttpResponse:
    item = selectors.get_visible_item(request.user, pk)
    plan = item.plan
    require(request.user, "improvement.update_item", plan)
    today = timezone.localdate()
    form = UpdateForm(request.POST or None, request.FILES or None, today=today)
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        try:
            services.add_update(
                item,
                request.user,
                as_of=data["as_of"],
                progress=data["progress"],
                grade=data["grade"],
                impact=data["impact"],
                evidence=data["evidence"],
                today=today,
            )
        except services.NotAllowed as refused:
            form.add_error(None, str(refused))
        except ValidationError as invalid:
            form.add_error("evidence" if data["evidence"] else None, invalid)
        else:
            messages.success(request, "The progress update has been saved.")
            return redirect(reverse("improvement-plan", args=[plan.pk]) + f"#item-{item.pk}")
    return render_page(
        request,
        "improvement/update_form.html",
        {
            "plan": plan,
            "item": item,
            "form": form,
            "errors": error_list(form),
            "history": selectors.item_updates(item),
        },
    )


@never_cache
@tracker_required
def evidence_download(request: HttpRequest, pk: int) -> FileResponse:
    """The file, to those who see its plan or assessment (404 to anyone else),
    always as a download (never shown inline in the service's origin) and
    never kept by a browser's or proxy's cache."""
    evidence = selectors.get_visible_evidence(request.user, pk)
    if not evidence.file or not evidence.file.storage.exists(evidence.file.name):
        raise Http404("The file is missing")
    response = FileResponse(
        evidence.file.open("rb"),
        as_attachment=True,
        filename=evidence.name,
        content_type=evidence.content_type,
    )
    response["Cache-Control"] = "no-store"
    response["X-Content-Type-Options"] = "nosniff"
    return response


@tracker_required
def assessment_evidence(request: HttpRequest, pk: int) -> HttpResponse:
    assessment = review_selectors.get_visible_assessment(request.user, pk)
    may_add = may(request.user, "improvement.add_assessment_evidence", assessment)
    form: Any = AssessmentEvidenceForm(request.POST or None, request.FILES or None)
    if request.method == "POST":
        require(request.user, "improvement.add_assessment_evidence", assessment)
        if form.is_valid():
            try:
                services.add_assessment_evidence(
                    assessment,
                    request.user,
                    form.cleaned_data["evidence"],
                    form.cleaned_data["description"],
                )
            except ValidationError as invalid:
                form.add_error("evidence", invalid)
            else:
                messages.success(request, "The file has been added to the assessment.")
                return redirect("assessment-evidence", pk=assessment.pk)
    return render_page(
        request,
        "improvement/assessment_evidence.html",
        {
            "assessment": assessment,
            "files": selectors.assessment_evidence(assessment),
            "form": form if may_add else None,
            "errors": error_list(form),
        },
    )
