"""What a provider owes, for its home page: loaded by name in the template, so
the home page (homecare.accounts, a lower layer) needs no import of returns."""

from __future__ import annotations

from typing import Any

from django import template
from django.utils import timezone

from homecare.returns import selectors
from homecare.ui import formats
from providers.models import Provider

register = template.Library()


@register.inclusion_tag("returns/_provider_due.html")
def provider_due(provider: Provider) -> dict[str, Any]:
    """Last month's and the month before's ECM file and return, with states."""
    today = timezone.localdate()
    rows = []
    for month in selectors.months_due(today):
        (row,) = selectors.month_tracker(month, today, [provider])
        for item in (row.ecm, row.provider_return):
            rows.append(
                {
                    "item": item,
                    "month_label": formats.month_name(month.first),
                    "due": formats.date(item.due),
                    "month_key": month.key,
                }
            )
    return {"provider": provider, "rows": rows}
