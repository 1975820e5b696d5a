"""Signing in and out, and the home page: one per role, so each user starts
from what they do."""

from __future__ import annotations

from django.contrib.auth import views as auth_views
from django.contrib.auth.decorators import login_not_required
from django.http import HttpRequest, HttpResponse
from django.utils.decorators import method_decorator

from homecare.accounts.forms import LoginForm
from homecare.accounts.pages import render_page
from providers.access import scope, user_provider
from providers.permissions import (
    is_commissioner,
    is_contract_manager,
    is_council_staff,
    is_provider_member,
    is_quality_officer,
    may,
)
from visits.models import ImportRecord

RECENT_IMPORTS = 5


def home(request: HttpRequest) -> HttpResponse:
    user = request.user
    context: dict[str, object] = {"can_upload": may(user, "imports.upload_file")}
    if is_council_staff(user):
        # A person may hold several council roles; the page shows a section
        # for each so nobody loses a link by having more than one.
        context.update(
            is_commissioner=is_commissioner(user),
            is_quality_officer=is_quality_officer(user),
            is_contract_manager=is_contract_manager(user),
        )
        return render_page(request, "accounts/home_council.html", context)
    if is_provider_member(user):
        context.update(
            provider=user_provider(user),
            recent_imports=scope(ImportRecord.objects.all(), user).select_related("uploaded_by")[
                :RECENT_IMPORTS
            ],
        )
        return render_page(request, "accounts/home_provider.html", context)
    return render_page(request, "accounts/no_access.html", context, status=403)


@method_decorator(login_not_required, name="dispatch")
class LoginView(auth_views.LoginView):
    template_name = "accounts/login.html"
    authentication_form = LoginForm
    redirect_authenticated_user = True


class LogoutView(auth_views.LogoutView):
    """POST only (Django's own rule), so a link cannot sign anyone out."""
