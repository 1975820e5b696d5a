"""Builds a pack's PDF: the context (packs/contexts.py, from the dashboards'
presenters, so the pack's figures and charts are the dashboards'), the HTML
from templates/packs/ and the PDF from WeasyPrint.

The PDF is tagged PDF/UA-1 with the title and language set, on A4 with a print
stylesheet of its own (print.css beside this file, not the web CSS)."""

from __future__ import annotations

import io
import logging
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from django.conf import settings
from django.template.loader import render_to_string

from common.months import Month
from homecare.packs.contexts import market_context, provider_context
from providers.models import Provider

PRINT_CSS = Path(__file__).with_name("print.css")
# WeasyPrint logs every layout step at INFO; a month's packs would fill the
# worker log with them.
logging.getLogger("weasyprint.progress").setLevel(logging.WARNING)


@dataclass
class Built:
    pdf: bytes
    pages: int


def render_pdf(template: str, context: dict[str, Any]) -> Built:
    # Imported here: WeasyPrint loads Pango and fonts, which the web process
    # and other tasks need not pay for.
    import weasyprint

    html = render_to_string(template, context)
    document = weasyprint.HTML(string=html, base_url=str(settings.BASE_DIR)).render(
        stylesheets=[weasyprint.CSS(filename=str(PRINT_CSS))],
        pdf_variant="pdf/ua-1",
    )
    target = io.BytesIO()
    document.write_pdf(
        target,
        pdf_variant="pdf/ua-1",
        pdf_tags=True,
        custom_metadata=True,
    )
    return Built(target.getvalue(), len(document.pages))


def render_provider_pack(provider: Provider, month: Month) -> Built:
    return render_pdf("packs/provider.html", provider_context(provider, month))


def render_market_pack(month: Month) -> Built:
    return render_pdf("packs/market.html", market_context(month))
