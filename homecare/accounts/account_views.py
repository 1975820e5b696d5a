"""A person's own account: changing their password, turning two-factor
sign-in on or off, and the code asked for after the password. Every signed-in
user has these pages, whatever their role."""

from __future__ import annotations

from typing import Any

from django.contrib import messages
from django.contrib.auth import views as auth_views
from django.contrib.auth.decorators import login_not_required
from django.core.exceptions import PermissionDenied
from django.http import HttpRequest, HttpResponse, HttpResponseRedirect
from django.shortcuts import redirect, render
from django.urls import reverse, reverse_lazy
from django.utils.http import url_has_allowed_host_and_scheme
from django.views.decorators.http import require_http_methods

from homecare.accounts import twofactor
from homecare.accounts.account_forms import ChangePasswordForm, CodeForm
from homecare.accounts.pages import navigation, render_page


def _next_url(request: HttpRequest, default: str) -> str:
    candidate = request.POST.get("next") or request.GET.get("next") or ""
    if url_has_allowed_host_and_scheme(
        candidate, allowed_hosts={request.get_host()}, require_https=request.is_secure()
    ):
        return candidate
    return default


def account(request: HttpRequest) -> HttpResponse:
    user = request.user
    context = {
        "two_factor_on": twofactor.has_app(user),
        "two_factor_required": twofactor.is_required_for(user),
    }
    return render_page(request, "accounts/account.html", context)


class ChangePasswordView(auth_views.PasswordChangeView):
    """Django's view (it keeps the person signed in after the change) with a
    GOV.UK form and a confirmation on the account page."""

    template_name = "accounts/password_change.html"
    form_class = ChangePasswordForm
    success_url = reverse_lazy("account")

    def get_context_data(self, **kwargs: Any) -> dict[str, Any]:
        return {**super().get_context_data(**kwargs), "navigation": navigation(self.request)}

    def form_valid(self, form: ChangePasswordForm) -> HttpResponse:
        response = super().form_valid(form)
        messages.success(self.request, "Your password has been changed")
        return response


@require_http_methods(["GET", "POST"])
def two_factor(request: HttpRequest) -> HttpResponse:
    """Set up an authenticator app, or, once set up, turn it off again."""
    user = request.user
    required = twofactor.is_required_for(user)
    form = CodeForm(request.POST or None)
    if twofactor.has_app(user):
        if request.method == "POST" and not required and form.is_valid():
            result = twofactor.check_sign_in_code(user, form.cleaned_data["code"])
            if result.ok:
                twofactor.turn_off(request)
                messages.success(request, "Two-factor sign-in is off")
                return redirect("account")
            form.wrong_code(result.wait_seconds)
        context = {"form": form, "required": required}
        return render_page(request, "accounts/two_factor_on.html", context)

    if request.method == "POST" and form.is_valid():
        result = twofactor.confirm_app(request, form.cleaned_data["code"])
        if result.ok:
            messages.success(
                request,
                "Two-factor sign-in is on. Each time you sign in you will be asked "
                "for a code from your authenticator app.",
            )
            return HttpResponseRedirect(_next_url(request, reverse("account")))
        form.wrong_code(result.wait_seconds)
    device = twofactor.pending_device(user)
    setting_up_first = request.session.get(twofactor.SESSION_KEY) == twofactor.SET_UP
    context = {
        "form": form,
        "required": required,
        "qr_svg": twofactor.qr_svg(device),
        "secret": twofactor.secret_text(device),
        "next": _next_url(request, ""),
        "owes_two_factor": setting_up_first,
    }
    if setting_up_first:  # nothing else is open to them yet, so no navigation
        return render(request, "accounts/two_factor_setup.html", context)
    return render_page(request, "accounts/two_factor_setup.html", context)


@require_http_methods(["GET", "POST"])
def sign_in_code(request: HttpRequest) -> HttpResponse:
    """The second step of signing in for someone with an authenticator app."""
    user = request.user
    done = _next_url(request, reverse("home"))
    if twofactor.has_given_code(user):
        return HttpResponseRedirect(done)
    if not twofactor.has_app(user):  # their app was removed by an administrator
        twofactor.remember_state(request, user)
        return HttpResponseRedirect(done)
    form = CodeForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        result = twofactor.check_sign_in_code(user, form.cleaned_data["code"])
        if result.ok and result.device is not None:
            twofactor.sign_in_with(request, result.device)
            return HttpResponseRedirect(done)
        form.wrong_code(result.wait_seconds)
    context = {"form": form, "next": _next_url(request, ""), "owes_two_factor": True}
    return render(request, "accounts/two_factor_code.html", context)


@login_not_required
def admin_login(request: HttpRequest) -> HttpResponse:
    """The admin signs in through the service's own sign-in, so the same lock-out
    and two-factor step apply; someone signed in without admin access is refused
    rather than sent round in a loop."""
    if request.user.is_authenticated:
        raise PermissionDenied
    query = request.GET.urlencode()
    return HttpResponseRedirect(reverse("login") + (f"?{query}" if query else ""))
