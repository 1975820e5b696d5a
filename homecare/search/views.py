"""The search page: the header's search box submits here."""

from __future__ import annotations

from django.http import HttpRequest, HttpResponse

from homecare.accounts.pages import render_page
from homecare.accounts.roles import any_role_required
from homecare.search import selectors
from homecare.search.forms import SearchForm
from homecare.ui.privacy import person_level_data


@person_level_data  # people's refs and their visits: never cached
@any_role_required
def search(request: HttpRequest) -> HttpResponse:
    form = SearchForm(request.GET if "q" in request.GET else None)
    results = None
    if form.is_valid():
        results = selectors.search(request.user, form.cleaned_data["q"])
    return render_page(
        request,
        "search/results.html",
        {
            "form": form,
            "results": results,
            "limit": selectors.LIMIT,
            # The header's box shows what was searched for.
            "search_query": request.GET.get("q", "")[: selectors.MAX_LENGTH],
        },
    )
