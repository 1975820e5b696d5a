"""Requests for care. Council staff see all; a provider's user sees only the
requests placed with it (its package), others are not there (404)."""

from __future__ import annotations

import datetime as dt

from django.core.paginator import Paginator
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404

from contracts.models import CareRequest, RequestStatus
from homecare.accounts.pages import render_page
from homecare.accounts.roles import any_role_required, council_staff_required
from homecare.market.presenters.market import if_it_exited
from homecare.market.selectors.offers import offer_order
from homecare.market.selectors.register import embargoed_provider_ids
from providers.access import get_visible_provider, is_council_staff, scope

PER_PAGE = 50
STATUS_CHOICES = [
    ("open", "Open"),
    ("placed", "Placed"),
    ("withdrawn", "Withdrawn"),
    ("all", "All"),
]


def _visible(request: HttpRequest):  # type: ignore[no-untyped-def]
    return scope(
        CareRequest.objects.select_related("person", "lot", "package__provider"),
        request.user,
        provider_field="package__provider",
    )


@any_role_required
def request_list(request: HttpRequest) -> HttpResponse:
    status = request.GET.get("status", "open")
    if status not in dict(STATUS_CHOICES):
        raise Http404("No such list of requests")
    requests = _visible(request).order_by("-requested_at", "ref")
    if status != "all":
        requests = requests.filter(status=status)
    page = Paginator(requests, PER_PAGE).get_page(request.GET.get("page"))
    return render_page(
        request,
        "market/requests.html",
        {
            "page": page,
            "status": status,
            "status_choices": STATUS_CHOICES,
            "council": is_council_staff(request.user),
            "embargoed": embargoed_provider_ids(),
        },
    )


@any_role_required
def request_detail(request: HttpRequest, ref: str) -> HttpResponse:
    found = get_object_or_404(_visible(request), ref=ref)
    return render_page(
        request,
        "market/request.html",
        {
            "request_for_care": found,
            "embargoed": embargoed_provider_ids(),
            # Open requests only: whom to offer it to, by the latest ranking.
            "offers": offer_order(found.lot_id) if found.status == RequestStatus.OPEN else None,
        },
    )


@council_staff_required
def exit_view(request: HttpRequest, ref: str) -> HttpResponse:
    provider = get_visible_provider(request.user, ref)
    return render_page(
        request,
        "market/exit.html",
        {"provider": provider, "rows": if_it_exited(provider, dt.date.today())},
    )
