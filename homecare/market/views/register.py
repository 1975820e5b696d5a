"""The provider risk register. Council staff record entries; a provider's
user may read its own provider's entries and no one else's (404)."""

from __future__ import annotations

import datetime as dt

from django.http import HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, redirect

from homecare.accounts.pages import render_page
from homecare.accounts.roles import any_role_required, council_staff_required
from homecare.market.forms import RiskEntryForm
from homecare.market.models import RiskEntry, RiskStatus
from homecare.market.selectors.register import current_entries, history, is_overdue
from homecare.market.selectors.suggestions import suggestions
from homecare.market.services import record_risk
from providers.access import get_visible_provider, is_council_staff, scope
from providers.models import Provider, ProviderStatus

TAGS = {
    RiskStatus.NO_CONCERNS: "govuk-tag--green",
    RiskStatus.MONITORING: "govuk-tag--blue",
    RiskStatus.ENHANCED: "govuk-tag--yellow",
    RiskStatus.EMBARGO: "govuk-tag--red",
    RiskStatus.CONTRACT_ACTION: "govuk-tag--red",
}


def _row(entry: RiskEntry, today: dt.date) -> dict:
    return {
        "entry": entry,
        "tag": TAGS[RiskStatus(entry.status)],
        "overdue": is_overdue(entry, today),
    }


@council_staff_required
def register(request: HttpRequest) -> HttpResponse:
    today = dt.date.today()
    providers = list(Provider.objects.exclude(status=ProviderStatus.EXITED).order_by("name"))
    entries = current_entries()
    rows = [
        {"provider": p, **(_row(entries[p.pk], today) if p.pk in entries else {})}
        for p in providers
    ]
    on_register = [r for r in rows if "entry" in r]
    return render_page(
        request,
        "market/register.html",
        {
            "rows": on_register,
            "not_on_register": [r["provider"] for r in rows if "entry" not in r],
            "overdue": sum(1 for r in on_register if r["overdue"]),
            "suggestions": suggestions(),
        },
    )


@any_role_required
def provider_register(request: HttpRequest, ref: str) -> HttpResponse:
    provider = get_visible_provider(request.user, ref)
    can_record = is_council_staff(request.user)
    form = None
    if can_record:
        initial = {"suggestion": request.GET.get("suggestion", "")[:300]}
        if initial["suggestion"]:
            initial["reasons"] = f"Suggested by the register: {initial['suggestion']}."
        form = RiskEntryForm(request.POST or None, initial=initial)
        if request.method == "POST" and form.is_valid():
            data = form.cleaned_data
            record_risk(
                provider=provider,
                status=data["status"],
                reasons=data["reasons"],
                owner=data["owner"],
                next_review=data["next_review"],
                by=request.user,  # type: ignore[arg-type]
                suggestion=data["suggestion"],
            )
            return redirect("market-register-provider", ref=provider.ref)
    elif request.method == "POST":
        return redirect("market-register-provider", ref=provider.ref)
    today = dt.date.today()
    entries = [_row(entry, today) for entry in history(provider)]
    return render_page(
        request,
        "market/register_provider.html",
        {
            "provider": provider,
            "current": entries[0] if entries else None,
            "earlier": entries[1:],
            "form": form,
        },
    )


@any_role_required
def entry(request: HttpRequest, pk: int) -> HttpResponse:
    found = get_object_or_404(
        scope(RiskEntry.objects.select_related("provider", "owner", "recorded_by"), request.user),
        pk=pk,
    )
    return render_page(
        request,
        "market/register_entry.html",
        {"row": _row(found, dt.date.today()), "provider": found.provider},
    )
