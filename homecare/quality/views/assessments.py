"""Recording an assessment and its lifecycle: draft, issued, comments, dispute,
published. Writes go through reviews.services; who may see what comes from
providers.access (via reviews.selectors)."""

from __future__ import annotations

from django.contrib import messages
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect
from django.views.decorators.http import require_POST

from common.concurrency import EditConflict
from homecare.accounts.pages import render_page
from homecare.accounts.roles import any_role_required, may, permission_required, require
from homecare.audit import presenters as audit
from homecare.quality.forms.assessments import (
    AnswersForm,
    CommentForm,
    DetailsForm,
    OverrideForm,
    SettleForm,
    StartForm,
)
from homecare.quality.views.common import local_today
from homecare.ui.forms import error_list, show_version
from providers.access import (
    visible_providers,
)
from reviews import selectors, services
from reviews.models import (
    ActionPlan,
    AssessmentStatus,
)
from reviews.services import NotAllowed


@permission_required("quality.record_assessment")
def start(request: HttpRequest) -> HttpResponse:
    form = StartForm(request.POST or None, user=request.user)
    if request.method == "GET" and request.GET.get("provider"):
        provider = visible_providers(request.user).filter(ref=request.GET["provider"]).first()
        form.initial["provider"] = provider.pk if provider else None
    if request.method == "POST" and form.is_valid():
        assessment = services.start_assessment(
            form.cleaned_data["provider"],
            form.cleaned_data["framework"],
            request.user,
            form.cleaned_data["assessment_type"],
        )
        return redirect("assessment-edit", pk=assessment.pk)
    return render_page(request, "quality/start.html", {"form": form, "errors": error_list(form)})


@any_role_required
def edit(request: HttpRequest, pk: int) -> HttpResponse:
    # Whose it is comes first: another provider's assessment is not there (404).
    assessment = selectors.get_visible_assessment(request.user, pk)
    require(request.user, "quality.record_assessment")
    if not may(request.user, "quality.edit_assessment", assessment):
        messages.info(request, "This assessment is no longer a draft, so it cannot be changed.")
        return redirect("assessment", pk=pk)
    report = selectors.assessment_report(assessment)
    details = DetailsForm(request.POST or None, instance=assessment)
    answers = AnswersForm(request.POST or None, report=report)
    if request.method == "POST" and details.is_valid() and answers.is_valid():
        data = {name: details.cleaned_data.get(name) for name in services.DETAIL_FIELDS}
        data["assessors"] = data["assessors"] or ""
        data["evidence_notes"] = data["evidence_notes"] or ""
        try:
            services.save_draft(
                assessment, request.user, data, answers.answers(), details.cleaned_data["version"]
            )
        except EditConflict as conflict:
            # Another officer saved first: what this one typed stays on the page.
            details.add_error(None, str(conflict))
            show_version(details, conflict.version)
        else:
            if request.POST.get("action") != "issue":
                messages.success(request, "Your draft has been saved. You can continue later.")
                return redirect("assessment-edit", pk=pk)
            missing = services.missing_for_issue(assessment)
            if not missing:
                services.issue_to_provider(assessment, request.user, local_today())
                messages.success(
                    request, "The draft report has been issued to the provider for comments."
                )
                return redirect("assessment", pk=pk)
            show_version(details, assessment.version)  # saved: the next save follows on
            _completeness_errors(details, answers, report, missing)
    errors = error_list(details, answers)
    return render_page(
        request,
        "quality/edit.html",
        {
            "assessment": assessment,
            "report": report,
            "details": details,
            "answers": answers,
            "errors": errors,
            "error_title": bool(errors),
        },
    )


def _completeness_errors(
    details: DetailsForm, answers: AnswersForm, report: selectors.Report, missing: list[str]
) -> None:
    """Saved already, but not complete enough to issue: say what is missing, field by field."""
    if "start_date" in missing:
        details.add_error("start_date", "Enter the first day of the assessment")
    if "assessors" in missing:
        details.add_error("assessors", "Enter the assessors")
    for row in report.question_rows:
        if f"q{row.question.pk}" in missing:
            answers.add_error(f"q{row.question.pk}", f"Select a rating for {row.question.code}")


@any_role_required
def detail(request: HttpRequest, pk: int) -> HttpResponse:
    assessment = selectors.get_visible_assessment(request.user, pk)
    today = local_today()
    report = selectors.assessment_report(assessment)
    # Which buttons show is the template's to ask (has_perm); the view adds
    # only the lifecycle fact the rules cannot see: whether it is ready to publish.
    return render_page(
        request,
        "quality/assessment.html",
        {
            "assessment": assessment,
            "report": report,
            "plan": ActionPlan.objects.filter(assessment=assessment).first(),
            "events": assessment.events.select_related("by"),
            "history": audit.assessment_history(assessment)
            if may(request.user, "audit.see_history")
            else [],
            "comments": assessment.provider_comments.select_related("by"),
            "ready_to_publish": services.may_publish(assessment, today),
            "days_left": (assessment.comments_due - today).days
            if assessment.comments_due and assessment.status == AssessmentStatus.ISSUED
            else None,
        },
    )


@any_role_required
def comment(request: HttpRequest, pk: int) -> HttpResponse:
    assessment = selectors.get_visible_assessment(request.user, pk)
    require(request.user, "quality.comment_on_assessment", assessment)
    form = CommentForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        try:
            services.add_provider_comment(
                assessment,
                request.user,
                form.cleaned_data["comment"],
                form.cleaned_data["evidence"],
                form.cleaned_data["disputes_accuracy"],
                local_today(),
            )
        except NotAllowed as refused:
            form.add_error(None, str(refused))
        else:
            messages.success(request, "Your comments have been sent to the quality officer.")
            return redirect("assessment", pk=pk)
    return render_page(
        request,
        "quality/comment.html",
        {"assessment": assessment, "form": form, "errors": error_list(form)},
    )


@any_role_required
def override(request: HttpRequest, pk: int) -> HttpResponse:
    assessment = selectors.get_visible_assessment(request.user, pk)
    require(request.user, "quality.override_rating", assessment)
    report = selectors.assessment_report(assessment)
    form = OverrideForm(request.POST or None, report=report)
    if request.method == "POST" and form.is_valid():
        try:
            services.override_rating(
                assessment,
                request.user,
                form.cleaned_data["target"],
                form.cleaned_data["rating"],
                form.cleaned_data["reason"],
            )
        except NotAllowed as refused:
            form.add_error(None, str(refused))
        else:
            messages.success(request, "The rating has been overridden and the reason recorded.")
            return redirect("assessment", pk=pk)
    return render_page(
        request,
        "quality/override.html",
        {"assessment": assessment, "form": form, "errors": error_list(form)},
    )


@any_role_required
def settle(request: HttpRequest, pk: int) -> HttpResponse:
    assessment = selectors.get_visible_assessment(request.user, pk)
    require(request.user, "quality.settle_dispute", assessment)
    form = SettleForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        try:
            services.settle_dispute(assessment, request.user, form.cleaned_data["notes"])
        except NotAllowed as refused:
            form.add_error(None, str(refused))
        else:
            messages.success(request, "The dispute has been settled. The report can be published.")
            return redirect("assessment", pk=pk)
    return render_page(
        request,
        "quality/settle.html",
        {
            "assessment": assessment,
            "form": form,
            "errors": error_list(form),
            "comments": assessment.provider_comments.select_related("by"),
        },
    )


@require_POST
@any_role_required
def publish(request: HttpRequest, pk: int) -> HttpResponse:
    assessment = selectors.get_visible_assessment(request.user, pk)
    require(request.user, "quality.publish_assessment", assessment)
    try:
        services.publish(assessment, request.user, local_today())
    except NotAllowed as refused:
        messages.error(request, str(refused))
    else:
        messages.success(request, "The report has been published.")
    return redirect("assessment", pk=pk)
