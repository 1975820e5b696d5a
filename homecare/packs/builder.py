"""Builds a pack's PDF: the context (from the dashboards' own presenters,
selectors and RAG rules, so the pack's figures and charts are the dashboards'),
the HTML from templates/packs/ and the PDF from WeasyPrint.

The PDF is tagged PDF/UA-1 with the title and language set, on A4 with a print
stylesheet of its own (print.css beside this file, not the web CSS)."""

from __future__ import annotations

import datetime as dt
import io
import json
import logging
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from django.conf import settings
from django.template.loader import render_to_string
from django.utils import timezone

from common.months import LONDON, Month
from contracts.models import Contract
from homecare.dashboards import presenters, rag
from homecare.dashboards import selectors as dashboard_selectors
from homecare.kpis.engine import FIGURE_KEYS
from homecare.kpis.models import KpiScope, MonthlyKpi
from providers.models import CqcRating, Provider
from reviews import selectors as quality
from reviews.models import ActionStatus, Assessment, AssessmentStatus, PlanAction

PRINT_CSS = Path(__file__).with_name("print.css")
# WeasyPrint logs every layout step at INFO; a month's packs would fill the
# worker log with them.
logging.getLogger("weasyprint.progress").setLevel(logging.WARNING)
# A list behind a figure longer than this is cut short in print; the dashboard
# has them all. Keeps a bad month's pack readable and its build time bounded.
MAX_LIST_ROWS = 150

FIGURE_LABELS: dict[str, str] = {
    "scheduled_visits": "Scheduled visits",
    "delivered_visits": "Delivered visits",
    "late_visits": "Late visits",
    "missed_visits": "Missed visits",
    "late_visit_rate": "Late visit rate",
    "missed_visit_rate": "Missed visit rate",
    "short_visits": "Short visits",
    "visits_under_30_min": "Visits planned under 30 minutes",
    "visits_15_min_or_less": "Visits planned for 15 minutes or less",
    "planned_hours": "Planned hours",
    "delivered_hours": "Delivered hours",
    "ecm_verified_rate": "ECM-verified rate",
    "people_supported": "People supported",
    "people_late_over_10pct": "People with a late visit more than 10% of the time",
    "people_late_over_10pct_living_alone": "… of whom living alone",
    "people_late_over_10pct_lacking_capacity": "… of whom lacking capacity",
    "mean_carers_per_person": "Mean carers per person",
    "people_over_carer_limit": "People over the carer limit",
    "reviews_due": "Six-week reviews due",
    "reviews_on_time": "Six-week reviews on time",
    "six_week_reviews_overdue": "Six-week reviews overdue at month end",
    "annual_reviews_overdue": "Annual reviews overdue at month end",
}
THRESHOLD_LABELS: dict[str, str] = {
    "late_after_minutes": "Late after (minutes)",
    "missed_after_minutes": "Missed after (minutes)",
    "person_late_share": "Person late share",
    "short_visit_ratio": "Short visit ratio",
    "min_carer_limit": "Minimum carer limit",
    "visits_per_carer": "Visits per carer",
    "review_due_days": "Six-week review due (days)",
}


def protective_marking() -> str:
    return getattr(settings, "PROTECTIVE_MARKING", "OFFICIAL-SENSITIVE")


def export_text(value: Any) -> str:
    """A figure exactly as `export_kpis` prints it, so the pack can be checked against it."""
    return json.dumps(value)


@dataclass
class Figure:
    key: str
    label: str
    value: str


def figure_rows(figures: dict[str, Any]) -> list[Figure]:
    return [
        Figure(key, FIGURE_LABELS.get(key, key), export_text(figures.get(key)))
        for key in FIGURE_KEYS
    ]


@dataclass
class Section:
    """One measure: its rating this month, the change from last month and its trend."""

    rating: rag.Rating
    chart: Any
    previous: str
    change: str

    @property
    def anchor(self) -> str:
        return f"kpi-{self.rating.measure.key}"

    @property
    def limits_text(self) -> str:
        m, limits = self.rating.measure, self.rating.limits
        green, red = rag.format_value(limits.green, m.unit), rag.format_value(limits.red, m.unit)
        if m.lower_is_better:
            return f"Green at or below {green}; red above {red}. Lower is better."
        return f"Green at or above {green}; red below {red}. Higher is better."


@dataclass
class VisitRow:
    visit_id: str
    person_ref: str
    package_ref: str
    planned: str
    actual: str
    minutes_late: str
    status: str


@dataclass
class BehindList:
    """The people, packages or visits behind a red or amber figure."""

    anchor: str
    title: str
    rating: rag.Rating
    kind: str  # "people_late", "carers", "packages" or "visits"
    rows: list[Any]
    total: int
    columns: list[str] = field(default_factory=list)

    @property
    def cut(self) -> bool:
        return self.total > len(self.rows)


def _local(value: dt.datetime | None) -> str:
    return value.astimezone(LONDON).strftime("%d %b %H:%M") if value else "—"


def _visit_rows(provider: Provider, month: Month, condition: Any) -> tuple[list[VisitRow], int]:
    visits = (
        dashboard_selectors.month_visits(provider, month)
        .filter(condition)
        .prefetch_related(None)
        .select_related("person", "package")
    )
    total = visits.count()
    rows = []
    for visit in visits[:MAX_LIST_ROWS]:
        late = ""
        if visit.actual_start:
            late = str(int((visit.actual_start - visit.planned_start).total_seconds() // 60))
        rows.append(
            VisitRow(
                visit.visit_id,
                visit.person.ref,
                visit.package.ref,
                _local(visit.planned_start),
                _local(visit.actual_start),
                late,
                visit.get_status_display(),
            )
        )
    return rows, total


def _behind_lists(
    provider: Provider, month: Month, kpi: MonthlyKpi, ratings: dict[str, rag.Rating]
) -> list[BehindList]:
    """For each red or amber measure, the list behind it, in pseudonymous refs
    only (people and packages are never named in a pack)."""
    from django.db.models import Q

    from visits.models import VisitStatus

    out: list[BehindList] = []
    details = kpi.details or {}

    def people(key: str) -> tuple[list[dict], int]:
        rows = details.get(key) or []
        return rows[:MAX_LIST_ROWS], len(rows)

    for key, rating in ratings.items():
        if rating.status not in (rag.RED, rag.AMBER):
            continue
        anchor = f"behind-{key}"
        if key == "late_visit_rate":
            rows, total = _visit_rows(
                provider, month, dashboard_selectors.visit_kind(dashboard_selectors.LATE, month)
            )
            out.append(BehindList(anchor, "Late visits", rating, "visits", rows, total))
        elif key == "missed_visit_rate":
            rows, total = _visit_rows(
                provider, month, dashboard_selectors.visit_kind(dashboard_selectors.MISSED, month)
            )
            out.append(BehindList(anchor, "Missed visits", rating, "visits", rows, total))
        elif key == "people_late_share":
            rows, total = people("people_late_over_10pct")
            out.append(
                BehindList(
                    anchor,
                    "People with a late visit more than 10% of the time",
                    rating,
                    "people_late",
                    rows,
                    total,
                )
            )
        elif key == "six_week_reviews_overdue":
            rows, total = people("six_week_reviews_overdue")
            out.append(
                BehindList(
                    anchor,
                    "Care packages with a six-week review overdue",
                    rating,
                    "packages",
                    rows,
                    total,
                )
            )
        elif key == "mean_carers_per_person":
            rows, total = people("people_over_carer_limit")
            out.append(
                BehindList(anchor, "People over the carer limit", rating, "carers", rows, total)
            )
        elif key == "delivered_hours_share":
            rows, total = _visit_rows(
                provider, month, dashboard_selectors.visit_kind(dashboard_selectors.SHORT, month)
            )
            out.append(BehindList(anchor, "Short visits", rating, "visits", rows, total))
        elif key == "ecm_verified_rate":
            rows, total = _visit_rows(
                provider, month, Q(status=VisitStatus.COMPLETED, ecm_verified=False)
            )
            out.append(
                BehindList(
                    anchor, "Visits not verified by call monitoring", rating, "visits", rows, total
                )
            )
    return out


def _sections(
    ratings: dict[str, rag.Rating],
    previous: dict[str, rag.Rating],
    charts: list[Any],
    since: str,
) -> list[Section]:
    by_slug = {chart.slug.rsplit("-", 1)[-1]: chart for chart in charts}
    sections = []
    for index, (key, rating) in enumerate(ratings.items()):
        before = previous.get(key)
        sections.append(
            Section(
                rating=rating,
                chart=charts[index] if index < len(charts) else by_slug.get(key),
                previous=before.display if before else "No data",
                change=presenters.change_text(
                    rating.value, before.value if before else None, rating.measure.unit, since
                ),
            )
        )
    return sections


# --- quality assessments (issue 5) -----------------------------------------------------


def quality_section(provider: Provider, month: Month) -> dict[str, Any]:
    """The latest published quality assessment on or before the month's end and
    its open actions."""
    month_end = dt.datetime.combine(month.last, dt.time.max, tzinfo=LONDON)
    assessment = (
        Assessment.objects.filter(
            provider=provider, status=AssessmentStatus.PUBLISHED, published_at__lte=month_end
        )
        .select_related("framework")
        .order_by("-published_at")
        .first()
    )
    if assessment is None:
        return {"assessment": None}
    report = quality.assessment_report(assessment)
    actions = list(
        PlanAction.objects.filter(issue__plan__assessment=assessment)
        .exclude(status__in=[ActionStatus.COMPLETED, ActionStatus.VERIFIED])
        .select_related("issue__question")
        .order_by("due_date", "pk")
    )
    overdue_ids = set(quality.overdue_actions(provider, month.last).values_list("pk", flat=True))
    return {
        "assessment": assessment,
        "report": report,
        "actions": [(action, action.pk in overdue_ids) for action in actions],
    }


# --- contexts -------------------------------------------------------------------------


def _common(month: Month, subject: str) -> dict[str, Any]:
    return {
        "month": month,
        "month_label": presenters.month_name(month.first),
        "subject": subject,
        "marking": protective_marking(),
        "council_name": settings.COUNCIL_NAME,
        "service_name": settings.SERVICE_NAME,
        "built_at": timezone.localtime(timezone.now(), LONDON),
    }


def provider_context(provider: Provider, month: Month) -> dict[str, Any]:
    limits = rag.current_limits()
    months = dashboard_selectors.trend_months(month)
    trend = dashboard_selectors.provider_trend(provider, month)
    kpi = trend.get(month.first)
    previous_kpi = trend.get(month.previous().first)
    since = presenters.month_name(month.previous().first)
    ratings = rag.rate(kpi.figures, limits) if kpi else {}
    previous = rag.rate(previous_kpi.figures, limits) if previous_kpi else {}
    charts = presenters.trend_charts("pack", provider.name, trend, months, limits)
    contracts = list(
        Contract.objects.filter(provider=provider).select_related("lot__framework").order_by("ref")
    )
    overall = rag.overall(ratings) if ratings else rag.NO_DATA
    context = _common(month, f"{provider.name} ({provider.ref})")
    context.update(
        kind="provider",
        title=f"{provider.name} monthly pack, {presenters.month_name(month.first)}",
        provider=provider,
        contracts=contracts,
        kpi=kpi,
        overall=overall,
        overall_label=rag.STATUS_LABELS[overall],
        counts={
            status: sum(1 for r in ratings.values() if r.status == status)
            for status in (rag.RED, rag.AMBER, rag.GREEN, rag.NO_DATA)
        },
        headlines=presenters.headlines(
            kpi.figures if kpi else None,
            previous_kpi.figures if previous_kpi else None,
            month.previous().first,
        ),
        sections=_sections(ratings, previous, charts, since) if kpi else [],
        figures=figure_rows(kpi.figures) if kpi else [],
        thresholds=_thresholds(kpi),
        behind=_behind_lists(provider, month, kpi, ratings) if kpi else [],
        details=kpi.details if kpi else {},
        quality=quality_section(provider, month),
        since=since,
    )
    return context


def _thresholds(kpi: MonthlyKpi | None) -> dict[str, Any]:
    if kpi is None:
        return {}
    stored = kpi.thresholds or {}
    person_level = stored.get("person_level") or {}
    by_contract = stored.get("by_contract") or {}
    return {
        "labels": THRESHOLD_LABELS,
        "rows": [
            (label, person_level.get(key), [c.get(key) for c in by_contract.values()])
            for key, label in THRESHOLD_LABELS.items()
        ],
        "contracts": list(by_contract),
        "main_contract": stored.get("main_contract"),
    }


CONCERN_CQC = {CqcRating.INADEQUATE, CqcRating.REQUIRES_IMPROVEMENT}


def market_context(month: Month) -> dict[str, Any]:
    limits = rag.current_limits()
    months = dashboard_selectors.trend_months(month)
    trend = {
        row.month: row
        for row in MonthlyKpi.objects.filter(
            scope=KpiScope.MARKET, month__gte=months[0], month__lte=month.first
        )
    }
    current = trend.get(month.first)
    previous_kpi = trend.get(month.previous().first)
    since = presenters.month_name(month.previous().first)
    ratings = rag.rate(current.figures, limits) if current else {}
    previous = rag.rate(previous_kpi.figures, limits) if previous_kpi else {}
    charts = presenters.trend_charts("market", "whole market", trend, months, limits)
    provider_kpis = dashboard_selectors.provider_kpis(month, Provider.objects.all())
    rows = [presenters.market_row(kpi, limits) for kpi in provider_kpis]
    concerns = []
    for row in rows:
        reasons = [
            f"{r.measure.label}: {r.reason}" for r in row["ratings"].values() if r.status == rag.RED
        ]
        if row["cqc_rating"] in CONCERN_CQC:
            reasons.append(f"CQC rating is {row['cqc_rating']}.")
        if reasons:
            concerns.append({**row, "reasons": reasons})
    concerns.sort(key=lambda r: (-len(r["reasons"]), r["name"]))
    lots = []
    for lot_kpi in (
        MonthlyKpi.objects.filter(scope=KpiScope.LOT, month=month.first)
        .select_related("lot__framework")
        .order_by("lot__framework__name", "lot__name")
    ):
        lot_ratings = rag.rate(lot_kpi.figures, limits)
        in_lot = [r for r in rows if lot_kpi.lot.name in r["lots"].split(", ")]
        lots.append(
            {
                "lot": lot_kpi.lot,
                "figures": lot_kpi.figures,
                "ratings": list(lot_ratings.values()),
                "overall": rag.overall(lot_ratings),
                "overall_label": rag.STATUS_LABELS[rag.overall(lot_ratings)],
                "providers": len(in_lot),
                "red_providers": sum(1 for r in in_lot if r["overall"] == rag.RED),
            }
        )
    context = _common(month, "Whole market")
    context.update(
        kind="market",
        title=f"Home care market pack, {presenters.month_name(month.first)}",
        kpi=current,
        headlines=presenters.headlines(
            current.figures if current else None,
            previous_kpi.figures if previous_kpi else None,
            month.previous().first,
        ),
        sections=_sections(ratings, previous, charts, since) if current else [],
        figures=figure_rows(current.figures) if current else [],
        measures=rag.MEASURE_LIST,
        rows=rows,
        status_counts={
            status: sum(1 for r in rows if r["overall"] == status)
            for status in (rag.RED, rag.AMBER, rag.GREEN, rag.NO_DATA)
        },
        concerns=concerns,
        lots=lots,
        since=since,
    )
    return context


# --- rendering -------------------------------------------------------------------------


@dataclass
class Built:
    pdf: bytes
    pages: int


def render_pdf(template: str, context: dict[str, Any]) -> Built:
    # Imported here: WeasyPrint loads Pango and fonts, which the web process
    # and other tasks need not pay for.
    import weasyprint

    html = render_to_string(template, context)
    document = weasyprint.HTML(string=html, base_url=str(settings.BASE_DIR)).render(
        stylesheets=[weasyprint.CSS(filename=str(PRINT_CSS))],
        pdf_variant="pdf/ua-1",
    )
    target = io.BytesIO()
    document.write_pdf(
        target,
        pdf_variant="pdf/ua-1",
        pdf_tags=True,
        custom_metadata=True,
    )
    return Built(target.getvalue(), len(document.pages))


def render_provider_pack(provider: Provider, month: Month) -> Built:
    return render_pdf("packs/provider.html", provider_context(provider, month))


def render_market_pack(month: Month) -> Built:
    return render_pdf("packs/market.html", market_context(month))
