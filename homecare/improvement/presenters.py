"""What the tracker's pages print: every date, grade and name as people
write them, worked out here so the templates only print."""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any

from django.urls import reverse

from homecare.improvement import selectors
from homecare.improvement.files import size_label
from homecare.improvement.models import Grade, ImprovementPlan
from homecare.ui import formats
from providers.permissions import may

# GOV.UK tag colours for the four grades (green, blue, orange, red).
GRADE_TAGS = {
    Grade.FULLY_ACHIEVED: "govuk-tag--green",
    Grade.ON_TRACK: "govuk-tag--blue",
    Grade.SLIPPED: "govuk-tag--orange",
    Grade.NOT_ACHIEVED: "govuk-tag--red",
}


@dataclass(frozen=True)
class GradeTag:
    label: str
    css: str

    @classmethod
    def of(cls, grade: int | None) -> GradeTag:
        if grade is None:
            return cls("Not graded yet", "govuk-tag--grey")
        return cls(Grade(grade).label, GRADE_TAGS[Grade(grade)])


def plan_scope(plan: ImprovementPlan) -> str:
    return "Council-wide" if plan.provider is None else plan.provider.name


class TrackerRow:
    """One item of the tracker list (with `grade` and `last_update` annotated)."""

    def __init__(self, item: Any) -> None:
        self.item = item
        self.plan_label = item.plan.short_label
        self.plan_url = reverse("improvement-plan", args=[item.plan_id]) + f"#item-{item.pk}"
        self.scope = plan_scope(item.plan)
        self.title = item.title
        self.what = item.what
        self.owner = item.owner or "Not named"
        self.due = formats.date(item.due, empty="No date")
        self.grade = GradeTag.of(item.grade)
        self.last_update = formats.date(item.last_update, empty="No updates")


@dataclass
class FileRow:
    name: str
    url: str
    size: str
    description: str


def file_rows(files: Any) -> list[FileRow]:
    return [
        FileRow(
            f.name,
            reverse("improvement-evidence", args=[f.pk]),
            size_label(f.size),
            f.description,
        )
        for f in files
    ]


@dataclass
class UpdateRow:
    as_of: str
    grade: GradeTag
    progress: str
    impact: str
    by: str
    files: list[FileRow]


def update_rows(updates: Any) -> list[UpdateRow]:
    return [
        UpdateRow(
            formats.date(u.as_of),
            GradeTag.of(u.grade),
            u.progress,
            u.impact,
            u.by.get_full_name() or u.by.username,
            file_rows(u.files.all()),
        )
        for u in updates
    ]


def _issue(item: Any) -> str:
    """A provider's action answers an issue of its assessment: the question and its rating."""
    issue = item.action.issue
    return f"{issue.question.code} {issue.question.text} ({issue.get_rating_display()})"


@dataclass
class ItemBlock:
    item: Any
    title: str
    recommendation: str
    what: str
    success_measure: str
    owner: str
    due: str
    grade: GradeTag
    updates: list[UpdateRow] = field(default_factory=list)
    history: list[GradeTag] = field(default_factory=list)


@dataclass
class PlanPage:
    plan: ImprovementPlan
    label: str
    scope: str
    agreed_on: str
    items: list[ItemBlock]
    quarters: list[str]
    may_update: bool
    may_add_item: bool
    action_plan_url: str
    off_track: int

    @classmethod
    def load(cls, plan: ImprovementPlan, user: Any) -> PlanPage:
        items = list(selectors.plan_items(plan))
        updates: dict[int, list[Any]] = {}
        for update in selectors.plan_updates(plan):
            updates.setdefault(update.item_id, []).append(update)
        history = selectors.grade_history(plan, items)
        blocks = []
        for item, row in zip(items, history.rows, strict=True):
            blocks.append(
                ItemBlock(
                    item=item,
                    title=item.title,
                    recommendation=_issue(item) if item.action else item.recommendation,
                    what=item.what,
                    success_measure=item.success_measure,
                    owner=item.owner or "Not named",
                    due=formats.date(item.due, empty="No date"),
                    grade=GradeTag.of(item.grade),
                    updates=update_rows(updates.get(item.pk, [])),
                    history=[GradeTag.of(g) for g in row.grades],
                )
            )
        action_plan = plan.action_plan
        return cls(
            plan=plan,
            label=plan.label,
            scope=plan_scope(plan),
            agreed_on=formats.date(plan.agreed_on, empty="Not recorded"),
            items=blocks,
            quarters=[f"{q.label}" for q in history.quarters],
            may_update=may(user, "improvement.update_item", plan),
            may_add_item=plan.council_wide and may(user, "improvement.manage_plans"),
            action_plan_url=reverse("action-plan", args=[action_plan.assessment_id])
            if action_plan is not None
            else "",
            off_track=sum(1 for b in blocks if b.item.grade in (Grade.SLIPPED, Grade.NOT_ACHIEVED)),
        )
