"""Template filters over homecare/ui/formats.py, for pages that print a
model's own numbers (a provider's package counts, a pack's page count).
Figures of the KPIs come formatted from the presenters instead:

    {% load ui_formats %}{{ packages.total|count }}
"""

from __future__ import annotations

from typing import Any

from django import template

from homecare.ui import formats

register = template.Library()


@register.filter(name="count")
def count(value: Any) -> str:
    return formats.count(value)


@register.filter(name="percent")
def percent(value: Any) -> str:
    return formats.percent(value)


@register.filter(name="hours")
def hours(value: Any) -> str:
    return formats.hours(value)


@register.filter(name="long_date")
def long_date(value: Any) -> str:
    return formats.date(value, empty="")
