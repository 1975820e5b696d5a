"""Rendering with the service navigation: which links a user sees follows
their roles, worked out here once rather than in every template."""

from __future__ import annotations

from typing import Any

from django.http import HttpRequest, HttpResponse
from django.shortcuts import render
from django.urls import reverse

from providers.permissions import may

# url names that belong to each navigation section, for aria-current.
SECTIONS = {
    "home": ("home",),
    "providers": ("providers", "provider"),
    "imports": ("imports", "import-record"),
    "upload": ("upload",),
    "payments": ("payments", "payments-hours", "payments-flex", "payments-time-bank"),
    "returns": ("returns", "return", "return-section", "return-check"),
    # Market oversight (issue 12): council staff see the market, a provider's
    # user declares its capacity.
    "market-waiting": (
        "market-waiting",
        "market-lot",
        "market-cqc",
        "market-register",
        "market-register-provider",
        "market-register-entry",
        "market-requests",
        "market-request",
        "market-exit",
        "market-capacity",
        "market-declaration",
        "ranking",
        "ranking-lot",
        "ranking-provider",
        "ranking-settings",
    ),
    "market-capacity": ("market-capacity", "market-declaration", "market-requests"),
    "improvement": (
        "improvement",
        "improvement-plan",
        "improvement-plan-new",
        "improvement-item-new",
        "improvement-update",
    ),
}


def navigation(request: HttpRequest) -> list[dict[str, Any]]:
    user = request.user
    if not user.is_authenticated or not may(user, "homecare.use_service"):
        return []
    current = request.resolver_match.url_name if request.resolver_match else ""
    items = [("home", "Home")]
    # A provider's user has one provider: the link goes straight to it.
    see_all = may(user, "providers.see_all_providers")
    items.append(("providers", "Providers" if see_all else "Your provider"))
    items.append(("imports", "Imports"))
    items.append(("payments", "Hours and payments"))
    if may(user, "imports.upload_file"):
        items.append(("upload", "Upload a file"))
    if not see_all:
        # A provider's monthly return (issue 14); council staff reach the
        # tracker from their home page.
        items.append(("returns", "Monthly returns"))
    items.append(
        ("market-waiting", "Market oversight")
        if see_all
        else ("market-capacity", "Capacity and requests")
    )
    # The improvement tracker (issue 15): every role reads it.
    items.append(("improvement", "Improvement"))
    return [
        {"text": text, "href": reverse(name), "current": current in SECTIONS[name]}
        for name, text in items
    ]


def render_page(
    request: HttpRequest, template: str, context: dict[str, Any] | None = None, status: int = 200
) -> HttpResponse:
    context = {**(context or {}), "navigation": navigation(request)}
    return render(request, template, context, status=status)
