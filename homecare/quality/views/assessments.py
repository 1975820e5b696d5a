"""Quality monitoring pages: assessment frameworks, recording an assessment,
its lifecycle (draft, issued, comments, dispute, published), action plans, the
assessment schedule and package reviews. Writes go through reviews.services;
who may see what comes from providers.access (via reviews.selectors)."""

from __future__ import annotations

import datetime as dt
from typing import Any

from django import forms
from django.contrib import messages
from django.core.exceptions import PermissionDenied
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, redirect
from django.utils import timezone
from django.views.decorators.http import require_POST

from common.csvimport import FileRejected
from contracts.models import CarePackage
from homecare.accounts.pages import render_page
from homecare.accounts.roles import any_role_required, council_staff_required
from homecare.audit import presenters as audit
from providers.access import (
    get_visible_provider,
    is_council_staff,
    user_provider,
    visible_providers,
)
from reviews import selectors, services
from reviews.framework_import import import_framework
from reviews.models import (
    ActionPlan,
    ActionStatus,
    Assessment,
    AssessmentFramework,
    AssessmentStatus,
    AssessmentType,
    PlanAction,
    PlanIssue,
    PlanStatus,
    Rating,
    ReviewType,
)
from reviews.services import NotAllowed

RATING_CHOICES = list(Rating.choices)


def _today() -> dt.date:
    return timezone.localdate()


def _officer_only(request: HttpRequest) -> None:
    if not services.is_quality_officer(request.user):
        raise PermissionDenied


def _staff_only(request: HttpRequest) -> None:
    """Called after the scoped lookup, so a provider's user asking for another
    provider's record gets 404 before any question of role."""
    if not is_council_staff(request.user):
        raise PermissionDenied


def _error_list(form: forms.Form | None) -> list[tuple[str, str]]:
    """(anchor, message) pairs for the error summary, in the form's field order."""
    if form is None or not form.is_bound:
        return []
    found = [("main-content", str(e)) for e in form.non_field_errors()]
    for name, field in form.fields.items():
        bound = form[name]
        anchor = bound.auto_id
        if isinstance(field.widget, forms.RadioSelect):
            anchor = f"{bound.auto_id}_0"
        found += [(anchor, str(e)) for e in bound.errors]
    return found


# --- forms --------------------------------------------------------------------------


class DateInput(forms.DateInput):
    input_type = "date"

    def format_value(self, value: Any) -> str | None:
        # The browser's date input wants ISO dates whatever the locale.
        if isinstance(value, dt.date):
            return value.isoformat()
        return value


class StartForm(forms.Form):
    provider = forms.ModelChoiceField(
        queryset=None,
        label="Provider",
        empty_label="Choose a provider",
        error_messages={"required": "Select the provider being assessed"},
    )
    framework = forms.ModelChoiceField(
        queryset=AssessmentFramework.objects.all(),
        label="Framework",
        empty_label=None,
        error_messages={"required": "Select a framework"},
    )
    assessment_type = forms.ChoiceField(
        label="Type of assessment",
        choices=AssessmentType.choices,
        widget=forms.RadioSelect,
        error_messages={"required": "Select the type of assessment"},
    )

    def __init__(self, *args: Any, user: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.fields["provider"].queryset = visible_providers(user).filter(status="active")
        # Only each framework's latest version: older ones stay for old assessments.
        latest = (
            AssessmentFramework.objects.order_by("name", "-version")
            .distinct("name")
            .values_list("pk", flat=True)
        )
        self.fields["framework"].queryset = AssessmentFramework.objects.filter(pk__in=latest)


class DetailsForm(forms.ModelForm):
    class Meta:
        model = Assessment
        fields = list(services.DETAIL_FIELDS)
        labels = {
            "assessment_type": "Type of assessment",
            "start_date": "First day of the assessment",
            "end_date": "Last day of the assessment",
            "assessors": "Assessors",
            "files_sampled": "Care files sampled",
            "people_spoken_with": "People receiving care spoken with",
            "staff_spoken_with": "Staff spoken with",
            "evidence_notes": "Notes on the evidence sampled",
        }
        help_texts = {
            "assessors": "Names of the council officers who carried out the assessment",
            "people_spoken_with": "A number only. Do not record names of people receiving care.",
            "evidence_notes": "For example, which records were looked at. "
            "Do not include names of people receiving care.",
        }
        widgets = {
            "start_date": DateInput(),
            "end_date": DateInput(),
            "assessment_type": forms.RadioSelect,
            "evidence_notes": forms.Textarea(attrs={"rows": 4}),
        }
        error_messages = {
            "start_date": {"invalid": "First day of the assessment must be a real date"},
            "end_date": {"invalid": "Last day of the assessment must be a real date"},
            "files_sampled": {"invalid": "Care files sampled must be a whole number"},
            "people_spoken_with": {"invalid": "People spoken with must be a whole number"},
            "staff_spoken_with": {"invalid": "Staff spoken with must be a whole number"},
        }

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.fields["assessment_type"].choices = AssessmentType.choices
        self.fields["assessment_type"].error_messages["required"] = "Select the type of assessment"

    def clean(self) -> dict[str, Any]:
        data = super().clean()
        start, end = data.get("start_date"), data.get("end_date")
        if start and end and end < start:
            self.add_error("end_date", "Last day of the assessment must be on or after the first")
        return data


class AnswersForm(forms.Form):
    """A rating and evidence notes for every question of the framework."""

    def __init__(self, *args: Any, report: selectors.Report, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.report = report
        for row in report.question_rows:
            q = row.question
            self.fields[f"q{q.pk}"] = forms.ChoiceField(
                choices=RATING_CHOICES,
                required=False,
                initial=row.rating,
                widget=forms.RadioSelect,
                label=f"{q.code} {q.text}",
            )
            self.fields[f"e{q.pk}"] = forms.CharField(
                required=False,
                initial=row.evidence,
                widget=forms.Textarea(attrs={"rows": 2}),
                label=f"Evidence for {q.code}",
            )

    def answers(self) -> dict[int, tuple[str, str]]:
        return {
            row.question.pk: (
                self.cleaned_data.get(f"q{row.question.pk}") or "",
                self.cleaned_data.get(f"e{row.question.pk}") or "",
            )
            for row in self.report.question_rows
        }

    def rows(self) -> list[dict[str, Any]]:
        """The form laid out as the framework is: domains, standards, questions."""
        out = []
        for domain in self.report.domains:
            standards = []
            for standard in domain.standards:
                questions = [
                    {
                        "question": q.question,
                        "rating": self[f"q{q.question.pk}"],
                        "evidence": self[f"e{q.question.pk}"],
                    }
                    for q in standard.questions
                ]
                standards.append({"name": standard.name, "questions": questions})
            out.append({"name": domain.name, "standards": standards})
        return out


class CommentForm(forms.Form):
    comment = forms.CharField(
        label="Your comments on the draft report",
        widget=forms.Textarea(attrs={"rows": 6}),
        error_messages={"required": "Enter your comments on the draft report"},
    )
    evidence = forms.CharField(
        label="Further evidence (optional)",
        required=False,
        widget=forms.Textarea(attrs={"rows": 4}),
        help_text="Describe the evidence and where the officer can see it.",
    )
    disputes_accuracy = forms.TypedChoiceField(
        label="Do you dispute the factual accuracy of the report?",
        choices=[("yes", "Yes, we dispute it"), ("no", "No, these are comments only")],
        coerce=lambda v: v == "yes",
        widget=forms.RadioSelect,
        error_messages={"required": "Select whether you dispute the factual accuracy"},
    )


class OverrideForm(forms.Form):
    target = forms.ChoiceField(
        label="Rating to override", error_messages={"required": "Select the rating to override"}
    )
    rating = forms.ChoiceField(
        label="New rating",
        choices=RATING_CHOICES,
        widget=forms.RadioSelect,
        error_messages={"required": "Select the new rating"},
    )
    reason = forms.CharField(
        label="Reason for the override",
        widget=forms.Textarea(attrs={"rows": 3}),
        error_messages={"required": "Enter the reason for the override"},
    )

    def __init__(self, *args: Any, report: selectors.Report, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        choices = [("overall", f"Overall rating (now {report.overall_label})")]
        for domain in report.domains:
            choices.append((domain.key, f"Domain: {domain.name} (now {domain.label})"))
            choices += [(s.key, f"Standard: {s.name} (now {s.label})") for s in domain.standards]
        self.fields["target"].choices = choices


class SettleForm(forms.Form):
    notes = forms.CharField(
        label="How the dispute was settled",
        widget=forms.Textarea(attrs={"rows": 5}),
        help_text="Say which points were upheld and what was changed in the report.",
        error_messages={"required": "Enter how the dispute was settled"},
    )


class ActionForm(forms.Form):
    issue = forms.ModelChoiceField(
        queryset=PlanIssue.objects.none(),
        label="Issue",
        empty_label=None,
        error_messages={"required": "Select the issue this action addresses"},
    )
    description = forms.CharField(
        label="Action",
        widget=forms.Textarea(attrs={"rows": 3}),
        error_messages={"required": "Enter what will be done"},
    )
    owner = forms.CharField(
        label="Named owner",
        max_length=200,
        help_text="The person responsible, with their role",
        error_messages={"required": "Enter the name of the person responsible"},
    )
    due_date = forms.DateField(
        label="Date it will be done by",
        widget=DateInput(),
        error_messages={
            "required": "Enter the date it will be done by",
            "invalid": "Date it will be done by must be a real date",
        },
    )

    def __init__(self, *args: Any, plan: ActionPlan, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        field = self.fields["issue"]
        field.queryset = plan.issues.select_related("question")
        field.label_from_instance = lambda i: f"{i.question.code} {i.question.text}"


class _DecisionForm(forms.Form):
    """A two-way decision whose negative answer must say why."""

    needs_reason: str
    reason_field: str
    missing_reason: str

    def clean(self) -> dict[str, Any]:
        data = super().clean()
        if (
            data.get("decision") == self.needs_reason
            and not (data.get(self.reason_field) or "").strip()
        ):
            self.add_error(self.reason_field, self.missing_reason)
        return data


class PlanReviewForm(_DecisionForm):
    needs_reason, reason_field, missing_reason = (
        "return",
        "reason",
        "Enter why the plan is returned",
    )
    decision = forms.ChoiceField(
        label="Your decision",
        choices=[("accept", "Accept the plan"), ("return", "Return it to the provider")],
        widget=forms.RadioSelect,
        error_messages={"required": "Select whether to accept or return the plan"},
    )
    reason = forms.CharField(
        label="Reason (needed when returning the plan)",
        required=False,
        widget=forms.Textarea(attrs={"rows": 3}),
    )


class ProgressForm(forms.Form):
    status = forms.ChoiceField(
        label="Progress",
        choices=[
            (ActionStatus.IN_PROGRESS, "In progress"),
            (ActionStatus.COMPLETED, "Completed, ready for the officer to verify"),
        ],
        widget=forms.RadioSelect,
        error_messages={"required": "Select the action's progress"},
    )
    progress = forms.CharField(
        label="What has been done",
        widget=forms.Textarea(attrs={"rows": 3}),
        error_messages={"required": "Enter what has been done"},
    )
    evidence = forms.CharField(
        label="Evidence",
        required=False,
        widget=forms.Textarea(attrs={"rows": 3}),
        help_text="Describe the evidence and where the officer can see it.",
    )


class VerifyForm(_DecisionForm):
    needs_reason, reason_field, missing_reason = (
        "reopen",
        "note",
        "Enter why the action is reopened",
    )
    decision = forms.ChoiceField(
        label="Is the action done?",
        choices=[("verify", "Yes, verify it"), ("reopen", "No, reopen it")],
        widget=forms.RadioSelect,
        error_messages={"required": "Select whether the action is verified"},
    )
    note = forms.CharField(
        label="Note (needed when reopening)",
        required=False,
        widget=forms.Textarea(attrs={"rows": 3}),
    )


class FrameworkUploadForm(forms.Form):
    name = forms.CharField(
        label="Framework name",
        max_length=200,
        help_text="Using the name of an existing framework makes a new version of it.",
        error_messages={"required": "Enter the framework's name"},
    )
    file = forms.FileField(
        label="Upload a CSV file",
        help_text="Columns: domain, standard, code, question, guidance.",
        error_messages={"required": "Select a CSV file", "empty": "The selected file is empty"},
    )

    def clean_file(self) -> Any:
        upload = self.cleaned_data["file"]
        if not (upload.name or "").lower().endswith(".csv"):
            raise forms.ValidationError("The selected file must be a CSV file")
        return upload


class PackageReviewForm(forms.Form):
    package = forms.ModelChoiceField(
        queryset=CarePackage.objects.none(),
        label="Care package",
        to_field_name="ref",
        empty_label="Choose a care package",
        error_messages={"required": "Select the care package reviewed"},
    )
    review_type = forms.ChoiceField(
        label="Type of review",
        choices=ReviewType.choices,
        widget=forms.RadioSelect,
        error_messages={"required": "Select the type of review"},
    )
    review_date = forms.DateField(
        label="Date of the review",
        widget=DateInput(),
        error_messages={
            "required": "Enter the date of the review",
            "invalid": "Date of the review must be a real date",
        },
    )
    notes = forms.CharField(
        label="Notes (optional)",
        required=False,
        widget=forms.Textarea(attrs={"rows": 3}),
        help_text="Do not include the person's name.",
    )

    def __init__(self, *args: Any, provider: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.fields["package"].queryset = CarePackage.objects.filter(provider=provider)

    def clean_review_date(self) -> dt.date:
        value = self.cleaned_data["review_date"]
        if value > _today():
            raise forms.ValidationError("Date of the review must be today or in the past")
        return value


# --- the overview -----------------------------------------------------------------


@any_role_required
def overview(request: HttpRequest) -> HttpResponse:
    if not is_council_staff(request.user):
        provider = user_provider(request.user)
        if provider is None:
            raise Http404("No such page")
        return redirect("provider-quality", ref=provider.ref)
    today = _today()
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
            "is_officer": services.is_quality_officer(request.user),
        },
    )


@any_role_required
def provider_quality(request: HttpRequest, ref: str) -> HttpResponse:
    provider = get_visible_provider(request.user, ref)
    today = _today()
    assessments = selectors.visible_assessments(request.user).filter(provider=provider)
    if not is_council_staff(request.user):
        assessments = assessments.exclude(status=AssessmentStatus.DRAFT)
    assessments = list(assessments.select_related("action_plan"))
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
            "is_council": is_council_staff(request.user),
            "is_officer": services.is_quality_officer(request.user),
        },
    )


# --- recording an assessment ------------------------------------------------------


@council_staff_required
def start(request: HttpRequest) -> HttpResponse:
    _officer_only(request)
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
    return render_page(request, "quality/start.html", {"form": form, "errors": _error_list(form)})


@any_role_required
def edit(request: HttpRequest, pk: int) -> HttpResponse:
    # Whose it is comes first: another provider's assessment is not there (404).
    assessment = selectors.get_visible_assessment(request.user, pk)
    _officer_only(request)
    if assessment.status != AssessmentStatus.DRAFT:
        messages.info(request, "This assessment is no longer a draft, so it cannot be changed.")
        return redirect("assessment", pk=pk)
    report = selectors.assessment_report(assessment)
    details = DetailsForm(request.POST or None, instance=assessment)
    answers = AnswersForm(request.POST or None, report=report)
    if request.method == "POST" and details.is_valid() and answers.is_valid():
        data = {name: details.cleaned_data.get(name) for name in services.DETAIL_FIELDS}
        data["assessors"] = data["assessors"] or ""
        data["evidence_notes"] = data["evidence_notes"] or ""
        services.save_draft(assessment, request.user, data, answers.answers())
        if request.POST.get("action") != "issue":
            messages.success(request, "Your draft has been saved. You can continue later.")
            return redirect("assessment-edit", pk=pk)
        missing = services.missing_for_issue(assessment)
        if not missing:
            services.issue_to_provider(assessment, request.user, _today())
            messages.success(
                request, "The draft report has been issued to the provider for comments."
            )
            return redirect("assessment", pk=pk)
        _completeness_errors(details, answers, report, missing)
    errors = _error_list(details) + _error_list(answers)
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
    today = _today()
    report = selectors.assessment_report(assessment)
    user = request.user
    is_officer = services.is_quality_officer(user)
    is_provider = not is_council_staff(user)
    may_settle = services.may_settle(assessment, user)
    return render_page(
        request,
        "quality/assessment.html",
        {
            "assessment": assessment,
            "report": report,
            "plan": ActionPlan.objects.filter(assessment=assessment).first(),
            "events": assessment.events.select_related("by"),
            "history": [] if is_provider else audit.assessment_history(assessment),
            "comments": assessment.provider_comments.select_related("by"),
            "is_provider": is_provider,
            "can_edit": is_officer and assessment.status == AssessmentStatus.DRAFT,
            "can_override": (is_officer and assessment.status == AssessmentStatus.DRAFT)
            or (may_settle and assessment.status == AssessmentStatus.DISPUTED),
            "can_comment": is_provider and services.comment_window_open(assessment, today),
            "can_settle": assessment.status == AssessmentStatus.DISPUTED and may_settle,
            "can_publish": (is_officer or may_settle) and services.may_publish(assessment, today),
            "days_left": (assessment.comments_due - today).days
            if assessment.comments_due and assessment.status == AssessmentStatus.ISSUED
            else None,
        },
    )


@any_role_required
def comment(request: HttpRequest, pk: int) -> HttpResponse:
    assessment = selectors.get_visible_assessment(request.user, pk)
    if is_council_staff(request.user):
        raise PermissionDenied
    form = CommentForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        try:
            services.add_provider_comment(
                assessment,
                request.user,
                form.cleaned_data["comment"],
                form.cleaned_data["evidence"],
                form.cleaned_data["disputes_accuracy"],
                _today(),
            )
        except NotAllowed as refused:
            form.add_error(None, str(refused))
        else:
            messages.success(request, "Your comments have been sent to the quality officer.")
            return redirect("assessment", pk=pk)
    return render_page(
        request,
        "quality/comment.html",
        {"assessment": assessment, "form": form, "errors": _error_list(form)},
    )


@any_role_required
def override(request: HttpRequest, pk: int) -> HttpResponse:
    assessment = selectors.get_visible_assessment(request.user, pk)
    _staff_only(request)
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
        {"assessment": assessment, "form": form, "errors": _error_list(form)},
    )


@any_role_required
def settle(request: HttpRequest, pk: int) -> HttpResponse:
    assessment = selectors.get_visible_assessment(request.user, pk)
    _staff_only(request)
    if not services.may_settle(assessment, request.user):
        raise PermissionDenied
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
            "errors": _error_list(form),
            "comments": assessment.provider_comments.select_related("by"),
        },
    )


@require_POST
@any_role_required
def publish(request: HttpRequest, pk: int) -> HttpResponse:
    assessment = selectors.get_visible_assessment(request.user, pk)
    _staff_only(request)
    try:
        services.publish(assessment, request.user, _today())
    except NotAllowed as refused:
        messages.error(request, str(refused))
    else:
        messages.success(request, "The report has been published.")
    return redirect("assessment", pk=pk)


# --- action plans -------------------------------------------------------------------


def _visible_plan(request: HttpRequest, pk: int) -> ActionPlan:
    assessment = selectors.get_visible_assessment(request.user, pk)
    return get_object_or_404(
        ActionPlan.objects.select_related("assessment__provider"), assessment=assessment
    )


@any_role_required
def action_plan(request: HttpRequest, pk: int) -> HttpResponse:
    plan = _visible_plan(request, pk)
    user = request.user
    is_provider = not is_council_staff(user)
    is_officer = services.is_quality_officer(user)
    editing = is_provider and plan.status in (PlanStatus.OPEN, PlanStatus.RETURNED)
    reviewing = is_officer and plan.status == PlanStatus.SUBMITTED
    add_form = ActionForm(plan=plan) if editing else None
    review_form = PlanReviewForm() if reviewing else None
    if request.method == "POST":
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
                    )
                    messages.success(request, "The action has been added.")
                    return redirect("action-plan", pk=pk)
            elif step == "submit" and editing:
                services.submit_plan(plan, user, _today())
                messages.success(request, "Your action plan has been sent to the quality officer.")
                return redirect("action-plan", pk=pk)
            elif step == "review" and reviewing:
                review_form = PlanReviewForm(request.POST)
                if review_form.is_valid():
                    accept = review_form.cleaned_data["decision"] == "accept"
                    services.review_plan(plan, user, accept, review_form.cleaned_data["reason"])
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
    issues = plan.issues.select_related("question__standard").prefetch_related("actions")
    errors = _error_list(add_form) + _error_list(review_form)
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
            "today": _today(),
            "is_provider": is_provider,
            "is_officer": is_officer,
        },
    )


@any_role_required
def action(request: HttpRequest, pk: int, action_pk: int) -> HttpResponse:
    plan = _visible_plan(request, pk)
    item = get_object_or_404(
        PlanAction.objects.select_related("issue__question"), pk=action_pk, issue__plan=plan
    )
    is_provider = not is_council_staff(request.user)
    form: forms.Form
    if is_provider:
        form = ProgressForm(
            request.POST or None,
            initial={"status": item.status, "progress": item.progress, "evidence": item.evidence},
        )
    elif services.is_quality_officer(request.user):
        form = VerifyForm(request.POST or None)
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
            "errors": _error_list(form),
        },
    )


# --- frameworks ---------------------------------------------------------------------


@council_staff_required
def frameworks(request: HttpRequest) -> HttpResponse:
    return render_page(
        request,
        "quality/frameworks.html",
        {
            "frameworks": AssessmentFramework.objects.all(),
            "is_officer": services.is_quality_officer(request.user),
        },
    )


@council_staff_required
def framework_detail(request: HttpRequest, pk: int) -> HttpResponse:
    framework = get_object_or_404(AssessmentFramework, pk=pk)
    domains = framework.domains.prefetch_related("standards__questions")
    return render_page(
        request, "quality/framework.html", {"framework": framework, "domains": domains}
    )


@council_staff_required
def framework_upload(request: HttpRequest) -> HttpResponse:
    _officer_only(request)
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
            "errors": _error_list(form),
            "rejected": rejected,
            "error_title": bool(rejected),
        },
    )


# --- package reviews ----------------------------------------------------------------


@any_role_required
def package_review(request: HttpRequest, ref: str) -> HttpResponse:
    provider = get_visible_provider(request.user, ref)
    _staff_only(request)
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
        {"provider": provider, "form": form, "errors": _error_list(form)},
    )
