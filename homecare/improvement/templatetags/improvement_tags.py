"""The tracker's panel on other apps' pages: slipped and not-achieved items on
the provider dashboard (its action plans) and the market page (the council's
own plans). One query; nothing is shown when nothing has slipped."""

from __future__ import annotations

from typing import Any

from django import template

from homecare.improvement import selectors
from homecare.improvement.presenters import TrackerRow
from providers.models import Provider
from providers.permissions import may

register = template.Library()

# The most items the panel lists; the tracker has them all.
PANEL_ROWS = 10


@register.inclusion_tag("improvement/_off_track.html")
def off_track_items(user: Any, provider: Provider | None = None) -> dict[str, Any]:
    if not may(user, "improvement.see_tracker"):
        return {"rows": []}
    if provider is None:
        if not may(user, "providers.see_all_providers"):
            return {"rows": []}
        items = selectors.slipped_items(council_wide=True, user=user)
    else:
        items = selectors.slipped_items(provider, user=user)
    rows = [TrackerRow(item) for item in items[: PANEL_ROWS + 1]]
    return {
        "rows": rows[:PANEL_ROWS],
        "more": len(rows) > PANEL_ROWS,
        "provider": provider,
        "filter_value": provider.ref if provider else selectors.COUNCIL_WIDE,
    }
