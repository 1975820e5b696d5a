"""The alerts page: the alerts a user may see (a provider's user: its own
provider's), newest first, unread or read, filtered by provider; marking them
read or unread; and the daily e-mail preference. Another provider's alert
is, to a provider's user, not there (404)."""

from __future__ import annotations

from django.contrib import messages
from django.contrib.auth.models import User
from django.core.paginator import Paginator
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect
from django.urls import reverse
from django.views.decorators.http import require_POST

from homecare.accounts.pages import render_page
from homecare.accounts.roles import may, permission_required
from homecare.alerts import selectors, services
from homecare.alerts.forms import ALL, READ, SHOW_CHOICES, UNREAD, AlertFilterForm, DigestForm
from homecare.ui.query import read_query

PER_PAGE = 50
see_alerts = permission_required("alerts.see_alerts")


def _user(request: HttpRequest) -> User:
    if not isinstance(request.user, User):
        raise Http404
    return request.user


def _back(request: HttpRequest) -> str:
    """Back to the list as it was (its filter and page), never elsewhere."""
    query = request.POST.get("back", "")
    return reverse("alerts") + (f"?{query}" if query and "\n" not in query else "")


@see_alerts
def alert_list(request: HttpRequest) -> HttpResponse:
    user = _user(request)
    providers = selectors.alert_providers(user)
    query = read_query(request, AlertFilterForm, providers=providers)
    show = query["show"] or UNREAD
    alerts = selectors.visible_alerts(user)
    if query["provider"] is not None:
        alerts = alerts.filter(provider=query["provider"])
    if show == UNREAD:
        alerts = selectors.only_unread(alerts, user)
    elif show == READ:
        alerts = selectors.only_read(alerts, user)
    page = Paginator(alerts, PER_PAGE).get_page(request.GET.get("page"))
    filter_form = AlertFilterForm(
        request.GET or None, providers=providers, initial={"show": UNREAD}
    )
    return render_page(
        request,
        "alerts/list.html",
        {
            "page": page,
            "alerts": list(page.object_list),
            "filter": filter_form,
            "show": show,
            "showing": dict(SHOW_CHOICES)[show],
            "provider": query["provider"],
            "query": request.GET.urlencode(),
            "digest": DigestForm(initial={"daily_digest": services.wants_digest(user)}),
            "unread": selectors.unread_count(user),
            "ALL": ALL,
            "council": may(user, "providers.see_all_providers"),
        },
    )


@require_POST
@see_alerts
def alert_read(request: HttpRequest, pk: int) -> HttpResponse:
    """Mark one alert read, or unread again (`unread` in the form)."""
    user = _user(request)
    alert = selectors.visible_alerts(user).filter(pk=pk).first()
    if alert is None:
        raise Http404("No such alert")
    if request.POST.get("unread"):
        services.mark_unread(user, alert)
    else:
        services.mark_read(user, [alert])
    return redirect(_back(request))


@require_POST
@see_alerts
def alerts_read_all(request: HttpRequest) -> HttpResponse:
    """Mark every unread alert the user sees (of one provider, if filtered) read."""
    user = _user(request)
    alerts = selectors.only_unread(selectors.visible_alerts(user), user)
    ref = request.POST.get("provider", "")
    if ref:
        alerts = alerts.filter(provider__ref=ref)
    count = services.mark_all_read(user, alerts.values_list("pk", flat=True))
    messages.success(request, f"{count} alert{'s' if count != 1 else ''} marked as read.")
    return redirect(_back(request))


@require_POST
@see_alerts
def digest(request: HttpRequest) -> HttpResponse:
    user = _user(request)
    form = DigestForm(request.POST)
    form.is_valid()  # a tick box: absent is False, anything else True
    daily = bool(form.cleaned_data.get("daily_digest"))
    services.set_digest(user, daily)
    if daily and not user.email:
        messages.warning(
            request,
            "We will send the daily e-mail once your account has an e-mail address.",
        )
    else:
        messages.success(
            request,
            "You will get a daily e-mail of new alerts."
            if daily
            else "You will not get a daily e-mail of alerts.",
        )
    return redirect(reverse("alerts") + "#daily-email")
