"""Declared spare capacity: a provider's user declares its own; council
staff see every provider's and load a CSV through the upload page."""

from __future__ import annotations

import datetime as dt

from django.core.exceptions import PermissionDenied
from django.http import HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, redirect

from contracts.models import CapacityDeclaration, Lot
from homecare.accounts.pages import render_page
from homecare.accounts.roles import any_role_required
from homecare.market.forms import CapacityForm
from homecare.market.selectors.capacity import current_capacity
from homecare.market.selectors.register import embargoed_provider_ids
from homecare.market.services import declare_capacity
from providers.access import is_council_staff, scope, user_provider


@any_role_required
def capacity(request: HttpRequest) -> HttpResponse:
    embargoed = embargoed_provider_ids()
    if is_council_staff(request.user):
        current = sorted(current_capacity().values(), key=lambda d: (d.lot.name, d.provider.name))
        return render_page(
            request,
            "market/capacity.html",
            {"current": [(d, d.provider_id in embargoed) for d in current], "council": True},
        )
    provider = user_provider(request.user)
    if provider is None:
        raise PermissionDenied
    # The lots it holds contracts in; a lot it does not serve is not offered.
    lots = Lot.objects.filter(contracts__provider=provider).distinct().order_by("name")
    form = CapacityForm(request.POST or None, lots=lots)
    if request.method == "POST" and form.is_valid():
        declare_capacity(
            provider=provider,
            lot=form.cleaned_data["lot"],
            declared_on=dt.date.today(),
            hours=form.cleaned_data["spare_weekly_hours"],
            by=request.user,  # type: ignore[arg-type]
        )
        return redirect("market-capacity")
    declarations = CapacityDeclaration.objects.filter(provider=provider).select_related("lot")
    return render_page(
        request,
        "market/capacity.html",
        {
            "form": form,
            "provider": provider,
            "declarations": declarations[:50],
            "embargoed": provider.pk in embargoed,
        },
    )


@any_role_required
def declaration(request: HttpRequest, pk: int) -> HttpResponse:
    found = get_object_or_404(
        scope(CapacityDeclaration.objects.select_related("provider", "lot"), request.user),
        pk=pk,
    )
    return render_page(request, "market/declaration.html", {"declaration": found})
