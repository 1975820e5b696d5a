"""The ranking pages. Council staff see every lot's ranking; a provider's
user sees only its own places and parts (the other providers' rows are not
shown, and their detail pages are 404); commissioners set the weights."""

from __future__ import annotations

from typing import Any

from django import forms
from django.contrib import messages
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, redirect
from django.utils import timezone
from django.views.decorators.http import require_POST

from common.concurrency import EditConflict
from contracts.models import Lot
from homecare.accounts.pages import render_page
from homecare.accounts.roles import permission_required
from homecare.audit import presenters as audit
from homecare.audit import selectors as audit_selectors
from homecare.ranking import presenters, selectors, services
from homecare.ranking.forms import RankingSettingsForm
from homecare.ranking.models import PART_LABELS, PARTS, RankingCycle, RankingSettings
from homecare.ui.forms import show_version
from homecare.ui.query import QueryForm, read_query
from providers.access import get_visible_provider, is_council_staff, user_provider


class CycleQueryForm(QueryForm):
    cycle = forms.IntegerField(
        required=False,
        min_value=1,
        error_messages={"invalid": "cycle must be a whole number", "min_value": "no such cycle"},
    )


def _cycle(request: HttpRequest) -> RankingCycle | None:
    """The cycle the address asks for (404 if none such), else the latest."""
    asked = read_query(request, CycleQueryForm)["cycle"]
    if asked is None:
        return selectors.latest_cycle()
    return get_object_or_404(selectors.cycles(), pk=asked)


def _rules_context(cycle: RankingCycle | None) -> dict[str, Any]:
    return {
        "scales": [(PART_LABELS[p], presenters.SCALES[p]) for p in PARTS],
        "missing_rule": presenters.MISSING_RULE,
        "tie_break": presenters.TIE_BREAK,
        "score_rule": presenters.SCORE_RULE,
        "weights": presenters.weights_text(cycle) if cycle else [],
        "heading": presenters.cycle_heading(cycle) if cycle else "",
        "period": presenters.cycle_period(cycle) if cycle else "",
    }


@permission_required("ranking.see_ranking")
def index(request: HttpRequest) -> HttpResponse:
    cycle = _cycle(request)
    context: dict[str, Any] = {"cycle": cycle, **_rules_context(cycle)}
    if is_council_staff(request.user):
        context["lots"] = selectors.lots_ranked(cycle) if cycle else []
        context["cycles"] = list(selectors.cycles()[:24])
        settings_row = selectors.current_settings()
        context["due"] = services.next_due(selectors.latest_cycle(), settings_row.cycle_months)
        context["cycle_months"] = settings_row.cycle_months
    else:
        provider = user_provider(request.user)
        if provider is None:
            raise Http404("No provider")
        context["own"] = selectors.own_ranks(cycle, provider) if cycle else []
    return render_page(request, "ranking/index.html", context)


@permission_required("ranking.see_ranking")
def lot_view(request: HttpRequest, pk: int) -> HttpResponse:
    lot = get_object_or_404(Lot.objects.select_related("framework"), pk=pk)
    cycle = _cycle(request)
    ranks = selectors.lot_ranks(cycle, lot) if cycle else []
    council = is_council_staff(request.user)
    if not council:
        # A provider's user: its own row only, with its place among all.
        provider = user_provider(request.user)
        ranks_shown = [r for r in ranks if provider is not None and r.provider_id == provider.pk]
    else:
        ranks_shown = ranks
    rows = [presenters.rank_row(r, len(ranks)) for r in ranks_shown]
    return render_page(
        request,
        "ranking/lot.html",
        {"lot": lot, "cycle": cycle, "rows": rows, "council": council, **_rules_context(cycle)},
    )


@permission_required("ranking.see_ranking")
def provider_view(request: HttpRequest, pk: int, ref: str) -> HttpResponse:
    # Scoped first: another provider's page is a 404 for a provider's user.
    provider = get_visible_provider(request.user, ref)
    lot = get_object_or_404(Lot.objects.select_related("framework"), pk=pk)
    cycle = _cycle(request)
    if cycle is None:
        raise Http404("No ranking yet")
    rank = next((r for r in selectors.lot_ranks(cycle, lot) if r.provider_id == provider.pk), None)
    if rank is None:
        raise Http404("Not ranked in this lot")
    of = selectors.lot_size(cycle, lot.pk)
    return render_page(
        request,
        "ranking/provider.html",
        {
            "lot": lot,
            "cycle": cycle,
            "row": presenters.rank_row(rank, of),
            "provider": provider,
            "council": is_council_staff(request.user),
            **_rules_context(cycle),
        },
    )


@permission_required("ranking.change_settings")
def settings_view(request: HttpRequest) -> HttpResponse:
    row = selectors.current_settings()
    form = RankingSettingsForm(request.POST or None, instance=row)
    if request.method == "POST" and form.is_valid():
        try:
            services.save_settings(
                weights=form.weights(),
                cycle_months=form.cleaned_data["cycle_months"],
                user=request.user,
                version=form.cleaned_data["version"],
            )
        except EditConflict as conflict:
            # Another commissioner saved first: keep what this one typed.
            form.add_error(None, str(conflict))
            show_version(form, conflict.version)
        else:
            messages.success(
                request,
                "Ranking weights saved. They are used from the next cycle; "
                "earlier rankings keep the weights they had.",
            )
            return redirect("ranking")
    history = audit.history(audit_selectors.changes_to_model(RankingSettings))
    return render_page(
        request,
        "ranking/settings.html",
        {"form": form, "history": history, **_rules_context(None)},
    )


@require_POST
@permission_required("ranking.change_settings")
def compute_now(request: HttpRequest) -> HttpResponse:
    """A commissioner computes a cycle now (after changing the weights, say)
    rather than waiting for the next one."""
    cycle = services.compute_cycle(timezone.localdate(), user=request.user)
    messages.success(request, f"{presenters.cycle_heading(cycle)} computed.")
    return redirect("ranking")
