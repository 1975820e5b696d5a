"""Action plans: the provider writes and updates actions, the officer reviews
the plan and verifies each action."""

from __future__ import annotations

from django import forms
from django.contrib import messages
from django.core.exceptions import PermissionDenied
from django.http import HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, redirect

from common.concurrency import EditConflict
from homecare.accounts.pages import render_page
from homecare.accounts.roles import any_role_required, may
from homecare.quality.forms.plans import ActionForm, PlanReviewForm, ProgressForm, VerifyForm
from homecare.quality.views.common import local_today
from homecare.ui.forms import error_list, show_version
from reviews import selectors, services
from reviews.models import (
    ActionPlan,
    PlanAction,
)
from reviews.services import NotAllowed


def _visible_plan(request: HttpRequest, pk: int) -> ActionPlan:
    assessment = selectors.get_visible_assessment(request.user, pk)
    return get_object_or_404(
        ActionPlan.objects.select_related("assessment__provider"), assessment=assessment
    )


def _posted_version(request: HttpRequest) -> int | None:
    try:
        return int(request.POST["version"])
    except (KeyError, ValueError):
        return None


@any_role_required
def action_plan(request: HttpRequest, pk: int) -> HttpResponse:
    plan = _visible_plan(request, pk)
    user = request.user
    editing = may(user, "quality.write_action_plan", plan)
    reviewing = may(user, "quality.review_action_plan", plan)
    add_form = ActionForm(plan=plan, initial={"version": plan.version}) if editing else None
    review_form = PlanReviewForm(initial={"version": plan.version}) if reviewing else None
    conflicts: list[tuple[str, str]] = []
    posted = _posted_version(request) if request.method == "POST" else None
    if posted is not None and posted != plan.version:
        # The page was stale before anything was tried (the plan may have
        # moved on, so the step may no longer be open): say who changed it.
        conflicts.append(("main-content", str(EditConflict(plan))))
    elif request.method == "POST":
        step = request.POST.get("step")
        try:
            if step == "add" and editing:
                add_form = ActionForm(request.POST, plan=plan)
                if add_form.is_valid():
                    data = add_form.cleaned_data
                    services.add_action(
                        plan,
                        user,
                        data["issue"],
                        data["description"],
                        data["owner"],
                        data["due_date"],
                        data["version"],
                    )
                    messages.success(request, "The action has been added.")
                    return redirect("action-plan", pk=pk)
            elif step == "submit" and editing:
                services.submit_plan(plan, user, local_today(), _posted_version(request))
                messages.success(request, "Your action plan has been sent to the quality officer.")
                return redirect("action-plan", pk=pk)
            elif step == "review" and reviewing:
                review_form = PlanReviewForm(request.POST)
                if review_form.is_valid():
                    accept = review_form.cleaned_data["decision"] == "accept"
                    services.review_plan(
                        plan,
                        user,
                        accept,
                        review_form.cleaned_data["reason"],
                        review_form.cleaned_data["version"],
                    )
                    messages.success(
                        request,
                        "The plan has been accepted."
                        if accept
                        else "The plan has been returned to the provider.",
                    )
                    return redirect("action-plan", pk=pk)
            else:
                raise PermissionDenied
        except NotAllowed as refused:
            messages.error(request, str(refused))
            return redirect("action-plan", pk=pk)
        except EditConflict as conflict:
            # Someone changed the plan since this page was shown: say who and when,
            # keep what was typed, and show the plan as it now is.
            conflicts.append(("main-content", str(conflict)))
            editing = may(user, "quality.write_action_plan", plan)
            reviewing = may(user, "quality.review_action_plan", plan)
            add_form = add_form if editing else None
            review_form = review_form if reviewing else None
            for form in (add_form, review_form):
                if form is not None:
                    show_version(form, conflict.version)
    issues = plan.issues.select_related("question__standard").prefetch_related("actions")
    errors = conflicts + error_list(add_form, review_form)
    return render_page(
        request,
        "quality/action_plan.html",
        {
            "plan": plan,
            "assessment": plan.assessment,
            "issues": issues,
            "add_form": add_form,
            "review_form": review_form,
            "editing": editing,
            "errors": errors,
            "error_title": bool(errors),
            "today": local_today(),
        },
    )


@any_role_required
def action(request: HttpRequest, pk: int, action_pk: int) -> HttpResponse:
    plan = _visible_plan(request, pk)
    item = get_object_or_404(
        PlanAction.objects.select_related("issue__question"), pk=action_pk, issue__plan=plan
    )
    # The officer checks an action, the provider reports progress on it.
    form: forms.Form
    is_provider = False
    if may(request.user, "quality.verify_actions", plan):
        form = VerifyForm(request.POST or None)
    elif may(request.user, "quality.update_actions", plan):
        is_provider = True
        form = ProgressForm(
            request.POST or None,
            initial={"status": item.status, "progress": item.progress, "evidence": item.evidence},
        )
    else:
        raise PermissionDenied
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        try:
            if is_provider:
                services.update_action(
                    item, request.user, data["status"], data["progress"], data["evidence"]
                )
            else:
                services.verify_action(
                    item, request.user, data["decision"] == "verify", data["note"]
                )
        except NotAllowed as refused:
            form.add_error(None, str(refused))
        else:
            messages.success(request, "The action has been updated.")
            return redirect("action-plan", pk=pk)
    return render_page(
        request,
        "quality/action.html",
        {
            "plan": plan,
            "assessment": plan.assessment,
            "item": item,
            "form": form,
            "is_provider": is_provider,
            "errors": error_list(form),
        },
    )
