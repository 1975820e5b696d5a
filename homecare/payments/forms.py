"""The query of every payments page: a month and, for council staff, a provider.
A bad value is a 400 page; a provider the user may not see is a 404."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date

from django.core.exceptions import BadRequest
from django.http import Http404, HttpRequest

from common.months import Month, current_month
from contracts.models import Lot
from homecare.ui import formats
from providers.access import get_visible_provider, is_council_staff, user_provider
from providers.models import Provider

MONTHS_SHOWN = 13


@dataclass
class PageQuery:
    month: Month
    provider: Provider | None  # None: every provider (council staff only)
    council: bool
    lot: Lot | None = None  # council staff may narrow the hours to a lot

    @property
    def provider_id(self) -> int | None:
        return self.provider.pk if self.provider else None

    @property
    def month_label(self) -> str:
        return formats.month_name(self.month.first)

    @property
    def as_of(self) -> date:
        """Banked time is read to the month's end, or today if that is sooner."""
        today = current_month().first
        return self.month.last if self.month.first < today else date.today()

    def year(self) -> list[Month]:
        """The twelve months ending with this one, oldest first."""
        months = [self.month]
        while len(months) < 12:
            months.insert(0, months[0].previous())
        return months

    def month_choices(self) -> list[tuple[str, str]]:
        months = [current_month()]
        while len(months) < MONTHS_SHOWN:
            months.append(months[-1].previous())
        if self.month not in months:
            months.append(self.month)
        return [(m.key, formats.month_name(m.first)) for m in months]


def page_query(request: HttpRequest) -> PageQuery:
    raw_month = request.GET.get("month", "").strip()
    try:
        month = Month.parse(raw_month) if raw_month else current_month().previous()
    except ValueError as exc:
        raise BadRequest(str(exc)) from None
    if not 2000 <= month.first.year <= 2100:
        raise BadRequest("month is out of range")
    council = is_council_staff(request.user)
    ref = request.GET.get("provider", "").strip()
    provider: Provider | None
    if ref:
        provider = get_visible_provider(request.user, ref)
    elif council:
        provider = None
    else:
        provider = user_provider(request.user)
    lot = None
    raw_lot = request.GET.get("lot", "").strip()
    if raw_lot and council:
        if not raw_lot.isdigit():
            raise BadRequest("lot must be a number")
        lot = Lot.objects.filter(pk=int(raw_lot)).select_related("framework").first()
        if lot is None:
            raise Http404("No such lot")
    return PageQuery(month=month, provider=provider, council=council, lot=lot)
