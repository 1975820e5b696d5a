"""Hours a week as people write them: 17.5, 12, 1,250.25 (never 17.50)."""

from __future__ import annotations

from decimal import Decimal

from django import template

from homecare.ui import formats

register = template.Library()


@register.filter(name="weekly_hours")
def weekly_hours(value: Decimal | float | None) -> str:
    if value is None:
        return "Not given"
    text = formats.number(float(value), 2)
    return text.rstrip("0").rstrip(".") if "." in text else text
