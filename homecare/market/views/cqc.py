"""CQC ratings across the market (council staff)."""

from __future__ import annotations

from django.http import HttpRequest, HttpResponse

from common.months import current_month
from homecare.accounts.pages import render_page
from homecare.accounts.roles import council_staff_required
from homecare.market.presenters.market import CqcMarket
from homecare.market.selectors.cqc import current_ratings
from homecare.ui import formats
from providers.models import CqcImport, Provider, ProviderStatus
from providers.ratings import publications


@council_staff_required
def overview(request: HttpRequest) -> HttpResponse:
    last_month = current_month().previous()
    summary = CqcMarket.load(last_month)
    providers = list(Provider.objects.exclude(status=ProviderStatus.EXITED).order_by("name"))
    ratings = current_ratings(providers)
    history = publications({p.cqc_location_id for p in providers if p.cqc_location_id})
    downgraded = {d.provider.pk for d in summary.downgrades}
    rows = [
        {
            "provider": p,
            "current": ratings[p.pk],
            "publications": len(history.get(p.cqc_location_id, [])),
            "downgraded": p.pk in downgraded,
        }
        for p in providers
    ]
    return render_page(
        request,
        "market/cqc.html",
        {
            "summary": summary,
            "rows": rows,
            "last_import": CqcImport.objects.first(),
            "last_month_label": formats.month_name(last_month.first),
        },
    )
