"""Figures from the monthly returns across the market: the totals for
everyone who may see the market; each provider's row for council staff."""

from __future__ import annotations

from django.http import HttpRequest, HttpResponse

from common.months import Month, current_month
from homecare.accounts.pages import render_page
from homecare.accounts.roles import any_role_required
from homecare.dashboards.presenters.return_figures import RETURN_MEASURES, market_figures
from homecare.returns.selectors import declared_capacity, latest_received_month
from homecare.ui import formats
from providers.access import is_council_staff


@any_role_required
def market_returns(request: HttpRequest) -> HttpResponse:
    latest = current_month().previous()
    # By default the latest month with a return in (early in a month, last
    # month's returns are not due yet).
    shown = latest_received_month() or latest
    try:
        month = Month.parse(request.GET.get("month", shown.key))
    except ValueError:
        month = None
    months = [latest]
    while len(months) < 12:
        months.append(months[-1].previous())
    if month is None or month.first > latest.first:
        return render_page(
            request,
            "dashboards/market_returns.html",
            {"bad_month": True, "latest": latest},
            status=400,
        )
    totals, rows = market_figures(month)
    return render_page(
        request,
        "dashboards/market_returns.html",
        {
            "month": month,
            "month_label": formats.month_name(month.first),
            "months": [(m.key, formats.month_name(m.first)) for m in months],
            "figures": totals,
            "rows": rows if is_council_staff(request.user) else [],
            "measures": RETURN_MEASURES,
            "capacity": [
                {
                    "lot": c.lot,
                    "hours": formats.number(
                        c.spare_hours_per_week, 1 if c.spare_hours_per_week % 1 else 0
                    ),
                    "providers": formats.count(c.providers),
                }
                for c in declared_capacity(month)
            ],
        },
    )
