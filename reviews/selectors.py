"""Reads for quality monitoring. Visibility comes only from providers.access."""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass, field
from typing import Any

from django.db.models import Count, Max, OuterRef, Q, QuerySet, Subquery
from django.http import Http404

from contracts.models import CarePackage
from providers.access import is_council_staff, scope
from providers.models import Provider
from reviews import rating
from reviews.models import (
    ActionPlan,
    ActionStatus,
    Assessment,
    AssessmentStatus,
    Domain,
    PlanAction,
    PlanStatus,
    Question,
    Rating,
    ReviewType,
)

YEARLY = dt.timedelta(days=365)
SIX_MONTHS = dt.timedelta(days=182)
# Red KPIs bring the next assessment forward to within this many days.
RED_KPI_DAYS = 30
DUE_SOON_DAYS = 60
SIX_WEEK_REVIEW = dt.timedelta(days=42)
REVIEW_SOON_DAYS = 28
LABELS = dict(Rating.choices)


def visible_assessments(user: Any) -> QuerySet[Assessment]:
    return scope(Assessment.objects.select_related("provider", "framework", "officer"), user)


def get_visible_assessment(user: Any, pk: int) -> Assessment:
    """The assessment if the user may see it; 404 otherwise. A provider's user
    sees their provider's assessments only once issued: a draft is the council's."""
    queryset = visible_assessments(user)
    if not is_council_staff(user):
        queryset = queryset.exclude(status=AssessmentStatus.DRAFT)
    try:
        return queryset.get(pk=pk)
    except Assessment.DoesNotExist:
        raise Http404("No such assessment") from None


# --- the report ---------------------------------------------------------------------


@dataclass
class QuestionRow:
    question: Question
    rating: str
    evidence: str

    @property
    def label(self) -> str:
        return LABELS.get(self.rating, "Not rated")


@dataclass
class StandardRow:
    key: str
    name: str
    rating: str | None
    rolled: str | None
    questions: list[QuestionRow] = field(default_factory=list)

    @property
    def label(self) -> str:
        return LABELS.get(self.rating or "", "Not rated")

    @property
    def overridden(self) -> bool:
        return self.rating != self.rolled


@dataclass
class DomainRow(StandardRow):
    standards: list[StandardRow] = field(default_factory=list)


@dataclass
class Report:
    domains: list[DomainRow]
    overall: str | None
    overall_rolled: str | None
    overrides: dict[str, Any]

    @property
    def overall_label(self) -> str:
        return LABELS.get(self.overall or "", "Not rated")

    @property
    def question_rows(self) -> list[QuestionRow]:
        return [q for d in self.domains for s in d.standards for q in s.questions]


def rule_for(assessment: Assessment) -> rating.RollUpRule:
    framework = assessment.framework
    return rating.RollUpRule(
        excellent=framework.band_excellent,
        good=framework.band_good,
        requires_improvement=framework.band_requires_improvement,
        poor_caps_parent=framework.poor_caps_parent,
    )


def assessment_report(assessment: Assessment) -> Report:
    """The whole framework with this assessment's ratings rolled up: four queries."""
    domains = list(
        Domain.objects.filter(framework_id=assessment.framework_id).prefetch_related(
            "standards__questions"
        )
    )
    answers = {a.question_id: a for a in assessment.answers.all()}
    overrides = {o.target: o for o in assessment.overrides.select_related("by")}
    ratings: dict[str, str] = {}
    standard_nodes, domain_nodes = [], []
    for domain in domains:
        domain_node = rating.Node(f"domain:{domain.pk}")
        for standard in domain.standards.all():
            node = rating.Node(f"standard:{standard.pk}")
            for question in standard.questions.all():
                answer = answers.get(question.pk)
                ratings[f"q:{question.pk}"] = answer.rating if answer else ""
                node.children.append(f"q:{question.pk}")
            standard_nodes.append(node)
            domain_node.children.append(node.key)
        domain_nodes.append(domain_node)
    result = rating.roll_up_tree(
        ratings,
        standard_nodes,
        domain_nodes,
        {key: o.rating for key, o in overrides.items()},
        rule_for(assessment),
    )
    rows = []
    for domain in domains:
        key = f"domain:{domain.pk}"
        domain_row = DomainRow(key, domain.name, result.final[key], result.rolled[key])
        for standard in domain.standards.all():
            skey = f"standard:{standard.pk}"
            standard_row = StandardRow(skey, standard.name, result.final[skey], result.rolled[skey])
            for question in standard.questions.all():
                answer = answers.get(question.pk)
                standard_row.questions.append(
                    QuestionRow(
                        question, answer.rating if answer else "", answer.evidence if answer else ""
                    )
                )
            domain_row.standards.append(standard_row)
        rows.append(domain_row)
    return Report(rows, result.final["overall"], result.rolled["overall"], overrides)


# --- action plans -------------------------------------------------------------------


def overdue_plans(provider: Provider | None, today: dt.date) -> QuerySet[ActionPlan]:
    """Plans past their 14 days and not yet submitted (or returned and not resubmitted)."""
    plans = ActionPlan.objects.filter(
        status__in=[PlanStatus.OPEN, PlanStatus.RETURNED], due_date__lt=today
    ).select_related("provider", "assessment")
    return plans.filter(provider=provider) if provider is not None else plans


def overdue_actions(
    provider: Provider | None, today: dt.date | None = None
) -> QuerySet[PlanAction]:
    """Actions past their date and not yet done, in plans the officer accepted.
    For one provider, or every provider when `provider` is None (monthly packs)."""
    today = today or dt.date.today()
    actions = (
        PlanAction.objects.filter(
            issue__plan__status=PlanStatus.ACCEPTED,
            due_date__lt=today,
        )
        .exclude(status__in=[ActionStatus.COMPLETED, ActionStatus.VERIFIED])
        .select_related("issue__question", "issue__plan__provider")
        .order_by("due_date", "pk")
    )
    return actions.filter(issue__plan__provider=provider) if provider is not None else actions


# --- the schedule -------------------------------------------------------------------


def next_assessment_due(
    last_published: dt.date | None,
    last_rating: str,
    today: dt.date,
    kpis_red: bool = False,
) -> dt.date:
    """When the next assessment is due: a year after the last published one,
    about six months if it was rated Requires improvement or Poor, now if there
    has never been one; red KPIs (the dashboard's call) bring it within 30 days."""
    if last_published is None:
        due = today
    elif last_rating in (rating.REQUIRES_IMPROVEMENT, rating.POOR):
        due = last_published + SIX_MONTHS
    else:
        due = last_published + YEARLY
    if kpis_red:
        due = min(due, today + dt.timedelta(days=RED_KPI_DAYS))
    return due


@dataclass
class ScheduleRow:
    provider: Provider
    last_published: dt.date | None
    last_rating: str
    due: dt.date
    overdue: bool

    @property
    def last_rating_label(self) -> str:
        return LABELS.get(self.last_rating, "Not assessed")


def assessment_schedule(
    user: Any, today: dt.date, red_providers: frozenset[int] = frozenset()
) -> list[ScheduleRow]:
    """Every visible active provider with its next assessment date, soonest first.
    `red_providers` holds the ids whose KPIs turned red (the dashboard passes them)."""
    # Each provider's latest published assessment as subqueries of the one
    # query: portable (SQLite has no DISTINCT ON), and one row per provider.
    latest = Assessment.objects.filter(
        status=AssessmentStatus.PUBLISHED, provider=OuterRef("pk")
    ).order_by("-published_at", "-pk")
    providers = scope(Provider.objects.filter(status="active"), user, "").annotate(
        last_published_at=Subquery(latest.values("published_at")[:1]),
        last_overall_rating=Subquery(latest.values("overall_rating")[:1]),
    )
    rows = []
    for provider in providers:
        published_at = provider.last_published_at
        published = published_at.date() if published_at else None
        last_rating = provider.last_overall_rating or ""
        due = next_assessment_due(published, last_rating, today, provider.pk in red_providers)
        rows.append(ScheduleRow(provider, published, last_rating, due, due < today))
    rows.sort(key=lambda r: (r.due, r.provider.name))
    return rows


def assessments_awaiting(user: Any) -> dict[str, QuerySet[Assessment]]:
    base = visible_assessments(user).order_by("comments_due", "pk")
    return {
        "drafts": base.filter(status=AssessmentStatus.DRAFT),
        "with_provider": base.filter(status=AssessmentStatus.ISSUED),
        "awaiting_review": base.filter(status=AssessmentStatus.DISPUTED),
        "ready_to_publish": base.filter(status=AssessmentStatus.SETTLED),
    }


# --- package reviews ----------------------------------------------------------------


@dataclass
class ReviewDue:
    package: CarePackage
    review_type: str
    due: dt.date
    overdue: bool

    @property
    def review_type_label(self) -> str:
        return dict(ReviewType.choices)[self.review_type]


def package_reviews_due(
    provider: Provider, today: dt.date, within_days: int = REVIEW_SOON_DAYS
) -> list[ReviewDue]:
    """Open packages whose review is overdue or due within `within_days`: the
    six-week review six weeks after the start, then an annual review a year
    after the last one. One query."""
    packages = (
        CarePackage.objects.filter(provider=provider, start_date__lte=today)
        .filter(Q(end_date__isnull=True) | Q(end_date__gte=today))
        .annotate(review_count=Count("reviews"), last_review=Max("reviews__review_date"))
        .order_by("ref")
    )
    horizon = today + dt.timedelta(days=within_days)
    due_rows = []
    for package in packages:
        if package.review_count == 0:
            kind, due = ReviewType.SIX_WEEK, package.start_date + SIX_WEEK_REVIEW
        else:
            kind, due = ReviewType.ANNUAL, package.last_review + YEARLY
        if due <= horizon:
            due_rows.append(ReviewDue(package, kind, due, due < today))
    due_rows.sort(key=lambda r: (r.due, r.package.ref))
    return due_rows
