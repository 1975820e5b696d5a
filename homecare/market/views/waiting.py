"""Waiting for care: the market page and a lot's page (council staff)."""

from __future__ import annotations

import datetime as dt

from django.http import HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404

from common.months import current_month
from contracts.models import Lot
from homecare.accounts.pages import render_page
from homecare.accounts.roles import council_staff_required
from homecare.market.presenters.market import CqcMarket, lot_shares
from homecare.market.presenters.waiting import WaitingView
from homecare.market.selectors.capacity import current_capacity
from homecare.market.selectors.register import embargoed_provider_ids
from homecare.market.selectors.suggestions import suggestions
from homecare.ui import formats


def _now() -> dt.datetime:
    return dt.datetime.now(dt.UTC).replace(microsecond=0)


@council_staff_required
def market(request: HttpRequest) -> HttpResponse:
    view = WaitingView.load(_now())
    last_month = current_month().previous()
    return render_page(
        request,
        "market/waiting.html",
        {
            "view": view,
            "cqc": CqcMarket.load(last_month),
            "last_month_label": formats.month_name(last_month.first),
            "suggested": len(suggestions()),
            "lot_headers": [
                "Declared capacity (hours a week)",
                "Hospital discharges this month started within 48 hours",
            ],
        },
    )


@council_staff_required
def lot(request: HttpRequest, pk: int) -> HttpResponse:
    the_lot = get_object_or_404(Lot.objects.select_related("framework"), pk=pk)
    view = WaitingView.load(_now(), lot=the_lot)
    last_month = current_month().previous()
    shares = next((s for s in lot_shares(last_month) if s.lot.pk == the_lot.pk), None)
    embargoed = embargoed_provider_ids()
    capacity = sorted(
        (d for (_, lot_id), d in current_capacity().items() if lot_id == the_lot.pk),
        key=lambda d: d.provider.name,
    )
    return render_page(
        request,
        "market/lot.html",
        {
            "view": view,
            "lot": the_lot,
            "shares": shares,
            "last_month_label": formats.month_name(last_month.first),
            "capacity": [(d, d.provider_id in embargoed) for d in capacity],
        },
    )
