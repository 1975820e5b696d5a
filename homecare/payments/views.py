"""The hours, flex, banked time and payment schedule pages, and the finance CSV.

Council staff see every provider (or pick one); a provider's user sees only
its own (another provider's ref is a 404, via providers.access). Every page
runs a fixed number of queries, whatever the size of the market."""

from __future__ import annotations

from decimal import Decimal
from typing import Any

from django.http import HttpRequest, HttpResponse

from common.csvexport import SafeWriter
from contracts.models import Lot
from homecare.accounts.pages import render_page
from homecare.accounts.roles import any_role_required
from homecare.payments import selectors
from homecare.payments.flex import flex_cases
from homecare.payments.forms import PageQuery, page_query
from homecare.payments.hours import monthly_layers, package_terms, package_weeks
from homecare.payments.timebank import balances
from homecare.ui import formats
from providers.access import visible_providers

PAGES = [
    ("payments", "Payment schedule"),
    ("payments-hours", "Hours"),
    ("payments-flex", "Flex"),
    ("payments-time-bank", "Banked time"),
]


def _context(request: HttpRequest, query: PageQuery, **extra: Any) -> dict[str, Any]:
    providers = (
        list(visible_providers(request.user).values_list("ref", "name")) if query.council else []
    )
    return {
        "query": query,
        "month": query.month,
        "month_label": query.month_label,
        "month_choices": query.month_choices(),
        "provider": query.provider,
        "provider_choices": providers,
        "pages": PAGES,
        **extra,
    }


def _h(value: Any) -> str:
    return formats.decimal_hours(round(float(value), 2))


@any_role_required
def hours(request: HttpRequest) -> HttpResponse:
    query = page_query(request)
    lot_id = query.lot.pk if query.lot else None
    year = monthly_layers(query.year(), provider_id=query.provider_id, lot_id=lot_id)
    year_rows = [
        {
            "label": formats.month_name(month.first),
            "commissioned": _h(year[month.key].commissioned),
            "planned": _h(year[month.key].planned),
            "delivered": _h(year[month.key].delivered),
            "verified": _h(year[month.key].verified),
        }
        for month in query.year()
    ]
    weeks: list[dict[str, Any]] = []
    if query.provider is not None:
        terms = package_terms(provider_id=query.provider_id)
        by_package = package_weeks(
            query.month.first, query.month.last, provider_id=query.provider_id, terms=terms
        )
        refs = {pk: term.ref for pk, term in terms.items()}
        refs.update(selectors.package_refs(set(by_package) - set(refs)))
        for pk, by_week in sorted(by_package.items(), key=lambda item: refs.get(item[0], "")):
            for week, layers in sorted(by_week.items()):
                weeks.append(
                    {
                        "package": refs.get(pk, ""),
                        "week": formats.short_date(week),
                        "commissioned": _h(layers.commissioned),
                        "planned": _h(layers.planned),
                        "delivered": _h(layers.delivered),
                        "verified": _h(layers.verified),
                    }
                )
    lots = list(Lot.objects.values_list("pk", "name")) if query.council else []
    return render_page(
        request,
        "payments/hours.html",
        _context(request, query, year_rows=year_rows, weeks=weeks, lot_choices=lots),
    )


@any_role_required
def flex(request: HttpRequest) -> HttpResponse:
    query = page_query(request)
    cases = flex_cases(query.month, provider_id=query.provider_id)
    names = dict(visible_providers(request.user).values_list("pk", "name"))
    rows = [
        {
            "case": case,
            "provider": names.get(case.provider_id, ""),
            "weeks": [
                {
                    "week": formats.short_date(week.week),
                    "commissioned": _h(week.commissioned),
                    "planned": _h(week.planned),
                    "difference": _h(week.difference),
                    "flagged": week.over_hours or week.in_long_run,
                }
                for week in case.weeks
            ],
        }
        for case in cases
    ]
    return render_page(request, "payments/flex.html", _context(request, query, rows=rows))


@any_role_required
def time_bank(request: HttpRequest) -> HttpResponse:
    query = page_query(request)
    found = balances(as_of=query.as_of, provider_id=query.provider_id)
    expired: dict[str, int] = {}
    for balance in found:
        expired[balance.provider_name] = expired.get(balance.provider_name, 0) + balance.expired
    expiries = [e for b in found for e in b.expiries]
    return render_page(
        request,
        "payments/time_bank.html",
        _context(
            request,
            query,
            balances=found,
            expired=sorted(expired.items()),
            expiries=expiries,
            as_of=formats.date(query.as_of),
        ),
    )


@any_role_required
def schedule(request: HttpRequest) -> HttpResponse:
    query = page_query(request)
    schedules = selectors.payment_schedule(query.month, provider_id=query.provider_id)
    if request.GET.get("format") == "csv":
        return _finance_csv(schedules, query)
    exceptions = (
        selectors.exception_visits(query.month, query.provider_id) if query.provider else []
    )
    return render_page(
        request,
        "payments/schedule.html",
        _context(
            request,
            query,
            schedules=schedules,
            total=sum((s.amount for s in schedules), Decimal("0.00")),
            exceptions=exceptions,
        ),
    )


def _finance_csv(schedules: list[selectors.ProviderSchedule], query: PageQuery) -> HttpResponse:
    """One line per package for finance, formula-safe."""
    name = f"payment-schedule-{query.month.key}"
    if query.provider:
        name += f"-{query.provider.ref}"
    response = HttpResponse(content_type="text/csv; charset=utf-8")
    response["Content-Disposition"] = f'attachment; filename="{name}.csv"'
    writer = SafeWriter(response)
    writer.writerow(selectors.FINANCE_COLUMNS)
    for schedule_ in schedules:
        for line in schedule_.listed:
            writer.writerow(selectors.finance_row(query.month, schedule_, line))
    return response
