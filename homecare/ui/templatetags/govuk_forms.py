"""The GOV.UK error summary for any forms on a page:

{% load govuk_forms %}{% error_summary form %}
{% error_summary details answers %}
{% error_summary errors %}   (ready (anchor, message) pairs)
"""

from __future__ import annotations

from typing import Any

from django import template
from django.template.loader import render_to_string
from django.utils.safestring import SafeString

from homecare.ui.forms import all_errors

register = template.Library()


@register.simple_tag
def error_summary(*items: Any) -> SafeString:
    return render_to_string("govuk/error_summary.html", {"errors": all_errors(items)})
