"""The providers list (council staff) and one provider's page (anyone who may
see that provider; others get 404 from `get_visible_provider`)."""

from __future__ import annotations

from django.db.models import Count, IntegerField, OuterRef, Q, Subquery
from django.db.models.functions import Coalesce
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect

from contracts.models import CarePackage, Contract
from homecare.accounts.pages import render_page
from homecare.accounts.roles import any_role_required, may
from homecare.dashboards.filters import ProviderFilter
from homecare.dashboards.presenters.return_figures import provider_figures
from homecare.dashboards.tables import ProviderTable
from homecare.ui.query import check_filter, configure_table
from providers.access import (
    get_visible_provider,
    is_council_staff,
    user_provider,
    visible_providers,
)
from providers.models import CQC_DOMAINS
from providers.ratings import key_questions

PER_PAGE = 25


@any_role_required
def provider_list(request: HttpRequest) -> HttpResponse:
    if not may(request.user, "providers.see_all_providers"):
        # A provider's user has exactly one provider: send them to it rather
        # than show a list of one (or a 403 for following a link).
        provider = user_provider(request.user)
        if provider is None:
            raise Http404("No such page")
        return redirect("provider", ref=provider.ref)
    queryset = visible_providers(request.user).annotate(
        contract_count=_count_of(Contract), package_count=_count_of(CarePackage)
    )
    filterset = check_filter(ProviderFilter(request.GET or None, queryset=queryset))
    table = ProviderTable(filterset.qs)
    configure_table(request, table, per_page=PER_PAGE)
    return render_page(
        request,
        "dashboards/providers/list.html",
        {"filter": filterset, "table": table, "filtered": filterset.is_bound},
    )


def _count_of(model: type[Contract] | type[CarePackage]) -> Coalesce:
    """A per-provider row count as a subquery: joining contracts and packages
    together would multiply the rows and need DISTINCT over large tables."""
    counts = (
        model._default_manager.filter(provider=OuterRef("pk"))
        .order_by()
        .values("provider")
        .annotate(n=Count("pk"))
        .values("n")
    )
    return Coalesce(Subquery(counts, output_field=IntegerField()), 0)


@any_role_required
def provider_detail(request: HttpRequest, ref: str) -> HttpResponse:
    provider = get_visible_provider(request.user, ref)
    contracts = provider.contracts.select_related("lot__framework").annotate(
        package_count=Count("packages")
    )
    packages = CarePackage.objects.filter(provider=provider).aggregate(
        total=Count("pk"), open=Count("pk", filter=Q(end_date__isnull=True))
    )
    return render_page(
        request,
        "dashboards/providers/detail.html",
        {
            "provider": provider,
            "contracts": contracts,
            "packages": packages,
            "return_figures": provider_figures(provider),
            # CQC's five key questions and overall, each publication kept (issue 12).
            "cqc_history": key_questions(provider),
            "cqc_domains": CQC_DOMAINS,
            "council_staff": is_council_staff(request.user),
        },
    )
