"""The API tokens page: a provider's user makes and revokes its provider's
tokens; a commissioner makes council tokens, which read every provider's
data. A new token is shown once, on the page that made it, and never again."""

from __future__ import annotations

from django.contrib import messages
from django.core.exceptions import PermissionDenied
from django.http import HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, redirect
from django.utils.cache import add_never_cache_headers
from django.views.decorators.http import require_POST

from homecare.accounts.pages import render_page
from homecare.accounts.roles import any_role_required, is_commissioner
from homecare.api import services
from homecare.api.forms import TokenForm
from homecare.api.models import ApiToken
from providers.access import user_provider
from providers.models import Provider
from providers.permissions import is_provider_member


def _owner(request: HttpRequest) -> tuple[Provider | None, bool]:
    """(provider, council): whose tokens this user manages."""
    if is_provider_member(request.user):
        return user_provider(request.user), False
    if is_commissioner(request.user):
        return None, True
    raise PermissionDenied


def _tokens(provider: Provider | None) -> list[ApiToken]:
    tokens = ApiToken.objects.select_related("created_by", "revoked_by")
    if provider is None:
        return list(tokens.filter(provider__isnull=True))
    return list(tokens.filter(provider=provider))


@any_role_required
def token_list(request: HttpRequest) -> HttpResponse:
    provider, council = _owner(request)
    form = TokenForm(request.POST or None)
    new_secret = ""
    if request.method == "POST" and form.is_valid():
        assert request.user.is_authenticated
        made = services.create_token(
            user=request.user,
            name=form.cleaned_data["name"],
            provider=provider,
            days=form.cleaned_data["days"],
        )
        new_secret = made.secret
        form = TokenForm()
    response = render_page(
        request,
        "api/tokens.html",
        {
            "form": form,
            "tokens": _tokens(provider),
            "provider": provider,
            "council": council,
            "new_secret": new_secret,
        },
    )
    # The page that shows a new token must not be kept by a browser or proxy.
    add_never_cache_headers(response)
    return response


@any_role_required
@require_POST
def token_revoke(request: HttpRequest, pk: int) -> HttpResponse:
    provider, _ = _owner(request)
    tokens = (
        ApiToken.objects.filter(provider__isnull=True)
        if provider is None
        else ApiToken.objects.filter(provider=provider)
    )
    token = get_object_or_404(tokens, pk=pk)
    services.revoke_token(token=token, user=request.user)  # type: ignore[arg-type]
    messages.success(request, f"The token “{token.name}” has been revoked: it no longer works.")
    return redirect("api-tokens")
