"""Dashboards: the market overview, a provider's dashboard, a lot's view and
the RAG thresholds page. They read stored `MonthlyKpi` rows only (the KPI
service computes them); who sees what is decided by `providers.access`."""

from __future__ import annotations

import hashlib
from typing import Any

from django.contrib import messages
from django.core.cache import cache
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, redirect
from django.template.loader import render_to_string
from django.utils.safestring import mark_safe

from common.concurrency import EditConflict
from common.csvexport import SafeWriter
from common.months import Month
from common.xlsxexport import CONTENT_TYPE as XLSX
from common.xlsxexport import write_xlsx
from contracts.models import Lot
from homecare.accounts.pages import render_page
from homecare.accounts.roles import (
    any_role_required,
    council_staff_required,
    may,
    permission_required,
)
from homecare.audit import presenters as audit
from homecare.audit import selectors as audit_selectors
from homecare.audit import services as audit_services
from homecare.dashboards import rag, selectors, services
from homecare.dashboards.filters import MarketFilter, VisitFilter, by_status
from homecare.dashboards.forms import RagThresholdForm
from homecare.dashboards.models import RagThreshold
from homecare.dashboards.presenters import LotMonth, MarketMonth, MonthChanges, ProviderMonth
from homecare.dashboards.presenters import figures as parts
from homecare.dashboards.presenters.money import MoneyYear
from homecare.dashboards.presenters.rag_history import rag_labels, rag_subject
from homecare.dashboards.tables import MarketTable, VisitTable
from homecare.ui import formats
from homecare.ui.forms import show_version
from homecare.ui.privacy import person_level_data
from homecare.ui.query import asked_month, check_filter, configure_table
from providers.access import (
    get_visible_provider,
    user_provider,
    visible_providers,
)

PER_PAGE = 25
VISITS_PER_PAGE = 50


# Rendered fragments live a few minutes at most: names and ratings edited in the
# admin are not in any stamp, so this bounds how long they can lag.
CACHE_SECONDS = 300


def _data_stamp() -> Any:
    return selectors.data_stamp()


def _stamp(*parts: Any) -> str:
    """A cache key that changes whenever what the fragment shows can: the
    presenters' stamps (each stored result's computed_at and its rating's
    rated_at), the query and the last import."""
    digest = hashlib.sha1(usedforsecurity=False)
    for part in parts:
        digest.update(f"{part}|".encode())
    return f"dashboard:{digest.hexdigest()}"


def _month_context(request: HttpRequest) -> tuple[Month | None, list]:
    months = selectors.computed_months()
    return selectors.pick_month(asked_month(request), months), months


def _month_choices(months: list) -> list[tuple[str, str]]:
    return [(f"{m:%Y-%m}", formats.month_name(m)) for m in months]


@any_role_required
def market(request: HttpRequest) -> HttpResponse:
    month, months = _month_context(request)
    context: dict[str, Any] = {"month": month, "month_choices": _month_choices(months)}
    if month is None:
        return render_page(request, "dashboards/market.html", context)
    view = MarketMonth.load(month)
    context.update(current=view.kpi, market=view, month_label=view.month_label)
    if not may(request.user, "providers.see_all_providers"):
        # A provider's user sees the market totals only, never another
        # provider's name or figures: no table, no filters, no export.
        context["own_provider"] = user_provider(request.user)
        return render_page(request, "dashboards/market.html", context)

    filterset = check_filter(
        MarketFilter(request.GET or None, queryset=visible_providers(request.user))
    )
    filtered = any(
        request.GET.get(name) for name in ("name", "lot", "framework", "cqc_rating", "rag")
    )

    def provider_table() -> MarketTable:
        rows = view.provider_rows(filterset.qs)
        return MarketTable(by_status(rows, filterset.rag_status), month_key=month.key)

    if request.GET.get("_export") in ("csv", "xlsx"):
        table = provider_table()
        configure_table(request, table)
        if request.GET["_export"] == "xlsx":
            return _xlsx(table, f"provider-kpis-{month.key}.xlsx", view.month_label)
        return _csv(table, f"provider-kpis-{month.key}.csv")
    export = request.GET.copy()
    export["month"] = month.key
    export["_export"] = "csv"
    csv_query = export.urlencode()
    export["_export"] = "xlsx"
    xlsx_query = export.urlencode()

    def table_html() -> str:
        table = provider_table()
        configure_table(request, table, per_page=PER_PAGE)
        return render_to_string(
            "dashboards/_market_table.html",
            {
                "table": table,
                "filtered": filtered,
                "export_query": csv_query,
                "xlsx_query": xlsx_query,
                "month_label": view.month_label,
            },
            request=request,
        )

    # The market's results are stored once per computation (the market row is
    # written last, and rated again when limits change), so that row's stamp
    # and the query decide the table.
    query = sorted(request.GET.lists())
    data_stamp = _data_stamp()
    key = _stamp("market-table", month.key, view.stamp, query, data_stamp)
    context.update(
        money=MoneyYear.load(month, stamp=(data_stamp, view.stamp)),
        filter=filterset,
        changes=MonthChanges.load(month),
        table=mark_safe(cache.get_or_set(key, table_html, CACHE_SECONDS)),
        filtered=filtered,
    )
    return render_page(request, "dashboards/market.html", context)


def _csv(table: MarketTable, name: str) -> HttpResponse:
    """The table as CSV, from the same cell values it shows (sorted and filtered
    the same way), so the file matches the page."""
    response = HttpResponse(content_type="text/csv; charset=utf-8")
    response["Content-Disposition"] = f'attachment; filename="{name}"'
    writer = SafeWriter(response)
    for row in table.as_values():
        writer.writerow(row)
    return response


def _xlsx(table: MarketTable, name: str, month_label: str) -> HttpResponse:
    """The same rows as the CSV, as a workbook with typed cells."""
    content = write_xlsx(
        table.as_values(),
        sheet_title=f"Providers {month_label}",
        figure_columns=table.figure_columns,
    )
    response = HttpResponse(content, content_type=XLSX)
    response["Content-Disposition"] = f'attachment; filename="{name}"'
    return response


@person_level_data
@any_role_required
def provider_dashboard(request: HttpRequest, ref: str) -> HttpResponse:
    provider = get_visible_provider(request.user, ref)
    month, months = _month_context(request)
    context: dict[str, Any] = {
        "provider": provider,
        "month": month,
        "month_choices": _month_choices(months),
        "contracts": selectors.provider_contracts(provider),
    }
    if month is None:
        return render_page(request, "dashboards/provider.html", context)
    view = ProviderMonth.load(provider, month)
    visits = check_filter(
        VisitFilter(
            request.GET or None, queryset=selectors.month_visits(provider, month), month=month
        )
    )
    visits_filtered = any(request.GET.get(name) for name in ("kind", "carer", "person", "day"))
    # Who looked at which person's visits, whatever the cache serves (UK GDPR).
    audit_services.person_visits_viewed(request.GET.get("person", ""))

    def visit_table() -> str:
        table = VisitTable(visits.qs, prefix="visits-")
        table.caption = f"Visits in {view.month_label}"
        configure_table(request, table, per_page=VISITS_PER_PAGE)
        return render_to_string(
            "dashboards/_visit_table.html",
            {"visit_table": table, "visits_filtered": visits_filtered},
            request=request,
        )

    def kpi_section() -> str:
        return render_to_string(
            "dashboards/_provider_kpis.html",
            {"month": month, "view": view, "charts": view.charts("trend")},
        )

    # When data last came in: one query, shared by every cached part below.
    data_stamp = _data_stamp()
    context.update(
        view=view,
        contracts=view.contracts,
        kpi=view.kpi,
        month_label=view.month_label,
        # Tiles, lists and twelve charts change only when a month is computed
        # or rated again: render them once per such state.
        kpi_section=mark_safe(
            cache.get_or_set(
                _stamp("provider-kpis", provider.pk, month.key, view.stamp, data_stamp),
                kpi_section,
                CACHE_SECONDS,
            )
        )
        if view.kpi
        else "",
        visit_filter=visits,
        # Visits change only when a file comes in: the data stamp says when.
        visit_table=mark_safe(
            cache.get_or_set(
                _stamp(
                    "provider-visits",
                    provider.pk,
                    month.key,
                    sorted(request.GET.lists()),
                    view.stamp,
                    data_stamp,
                ),
                visit_table,
                CACHE_SECONDS,
            )
        ),
        visits_filtered=visits_filtered,
        money=MoneyYear.load(
            month,
            scope=provider.name,
            provider_id=provider.pk,
            stamp=(data_stamp, view.stamp),
        ),
    )
    return render_page(request, "dashboards/provider.html", context)


@council_staff_required
def lot_view(request: HttpRequest, pk: int) -> HttpResponse:
    # Council staff only: a lot's view names every provider in it.
    lot = get_object_or_404(Lot.objects.select_related("framework"), pk=pk)
    month, months = _month_context(request)
    context: dict[str, Any] = {"lot": lot, "month": month, "month_choices": _month_choices(months)}
    if month is None:
        return render_page(request, "dashboards/lot.html", context)
    view = LotMonth.load(lot, month)
    context.update(
        view=view,
        month_label=view.month_label,
        total=view.total,
        providers=view.providers,
        overall=view.overall,
        rows=view.measure_rows,
        count_rows=view.count_rows,
        money=MoneyYear.load(
            month,
            scope=lot.name,
            lot_id=lot.pk,
            stamp=(_data_stamp(), parts.stamp_of(view.total)),
        ),
    )
    return render_page(request, "dashboards/lot.html", context)


@council_staff_required
def rag_thresholds(request: HttpRequest) -> HttpResponse:
    # Every council role may read the limits behind a status; only
    # commissioners change them.
    limits = rag.current_limits()
    changed = set(RagThreshold.objects.values_list("measure", flat=True))
    rows = [
        {
            "measure": m,
            "green": m.display(limits[m.key].green),
            "red": m.display(limits[m.key].red),
            "default": m.key not in changed,
            "default_green": m.display(float(m.green)),
            "default_red": m.display(float(m.red)),
        }
        for m in rag.MEASURE_LIST
    ]
    history = audit.history(
        audit_selectors.changes_to_model(RagThreshold), rag_labels, subject=rag_subject
    )
    return render_page(request, "dashboards/thresholds.html", {"rows": rows, "history": history})


@permission_required("dashboards.change_rag_limits")
def rag_threshold_edit(request: HttpRequest, measure: str) -> HttpResponse:
    found = rag.MEASURES.get(measure)
    if found is None:
        raise Http404("No such measure")
    row = RagThreshold.objects.filter(measure=measure).first() or RagThreshold(
        measure=measure, green_limit=found.green, red_limit=found.red
    )
    form = RagThresholdForm(request.POST or None, instance=row)
    saved = False
    if request.method == "POST" and form.is_valid():
        try:
            services.save_limits(
                found,
                green=form.cleaned_data["green_limit"],
                red=form.cleaned_data["red_limit"],
                user=request.user,
                version=form.cleaned_data["version"],
            )
            saved = True
        except EditConflict as conflict:
            # Another commissioner saved first: keep what this one typed.
            form.add_error(None, str(conflict))
            show_version(form, conflict.version)
    if saved:
        month = services.latest_computed_month()
        rerated = f"; {formats.month_name(month)} is rated again with them" if month else ""
        messages.success(
            request,
            f"RAG limits for {found.label.lower()} saved{rerated}. "
            "Earlier months keep the ratings they had.",
        )
        return redirect("rag-thresholds")
    defaults = {
        "default_green": found.display(float(found.green)),
        "default_red": found.display(float(found.red)),
    }
    history = audit.history(audit_selectors.changes_to(row), rag_labels)
    return render_page(
        request,
        "dashboards/threshold_form.html",
        {"form": form, "measure": found, "history": history, **defaults},
    )
