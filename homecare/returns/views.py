"""The return's pages: a provider's user fills in, checks and submits its
provider's return; council staff read every return and the tracker, and a
commissioner reopens a submitted return with a reason. Another provider's
return is, to a provider's user, not there (404)."""

from __future__ import annotations

import datetime as dt
from typing import Any

from django.contrib import messages
from django.contrib.auth.models import User
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect
from django.urls import reverse
from django.utils import timezone

from common.months import Month, current_month
from homecare.accounts.pages import render_page
from homecare.accounts.roles import (
    any_role_required,
    commissioner_required,
    council_staff_required,
    is_commissioner,
)
from homecare.returns import due, presenters, selectors, services
from homecare.returns.forms import SECTION_BY_SLUG, SECTIONS, CapacityForm, ReopenForm, SectionForm
from homecare.returns.models import DueKind, ProviderReturn
from homecare.ui import formats
from providers.access import get_visible_provider, user_provider
from providers.models import Provider
from providers.permissions import is_provider_member


def _month(text: str) -> Month:
    """A month in the URL: a past month (a return is made once the month is
    over), else 404."""
    try:
        month = Month.parse(text)
    except ValueError:
        raise Http404("No such month") from None
    if month.first >= current_month().first:
        raise Http404("That month is not over yet")
    return month


def _acting(request: HttpRequest) -> User:
    """The signed-in user (the role decorators have let only them in)."""
    user = request.user
    if not isinstance(user, User):
        raise Http404
    return user


def _today() -> dt.date:
    return timezone.localdate()


def _can_edit(request: HttpRequest, provider: Provider) -> bool:
    """Only the provider's own users fill in its return."""
    mine = user_provider(request.user)
    return is_provider_member(request.user) and mine is not None and mine.pk == provider.pk


def _context(provider: Provider, month: Month, ret: ProviderReturn | None) -> dict[str, Any]:
    return {
        "provider": provider,
        "month": month,
        "month_label": formats.month_name(month.first),
        "due_date": formats.date(due.due_date(month, DueKind.RETURN)),
        "ret": ret,
    }


@any_role_required
def returns_home(request: HttpRequest) -> HttpResponse:
    """A provider's returns, month by month; council staff go to the tracker."""
    provider = user_provider(request.user)
    if provider is None:
        return redirect("returns-tracker")
    today = _today()
    months = [current_month().previous()]
    while len(months) < 12:
        months.append(months[-1].previous())
    returns = {r.month: r for r in selectors.provider_history(provider, limit=12)}
    rows = []
    for month in months:
        ret = returns.get(month.first)
        item = due.item(
            DueKind.RETURN,
            month,
            ret.first_submitted_at if ret else None,
            today,
            draft=ret is not None and ret.first_submitted_at is None,
        )
        rows.append(
            {
                "month": month,
                "label": formats.month_name(month.first),
                "item": item,
                "due": formats.date(item.due),
                "ret": ret,
            }
        )
    return render_page(request, "returns/list.html", {"provider": provider, "rows": rows})


@any_role_required
def return_overview(request: HttpRequest, ref: str, month: str) -> HttpResponse:
    provider = get_visible_provider(request.user, ref)
    period = _month(month)
    ret = selectors.return_of(provider, period)
    lots = services.provider_lots(provider)
    context = _context(provider, period, ret)
    context.update(
        can_edit=_can_edit(request, provider) and (ret is None or not ret.locked),
        can_reopen=is_commissioner(request.user) and ret is not None and ret.locked,
        sections=presenters.sections(ret or ProviderReturn(provider=provider), lots)
        if ret
        else [presenters.SectionAnswers(s, []) for s in SECTIONS],
        history=presenters.history(ret) if ret else [],
        reopen_reason=presenters.reopen_reason(ret) if ret else "",
        started=ret is not None,
    )
    return render_page(request, "returns/overview.html", context)


@any_role_required
def return_section(request: HttpRequest, ref: str, month: str, section: str) -> HttpResponse:
    provider = get_visible_provider(request.user, ref)
    period = _month(month)
    page = SECTION_BY_SLUG.get(section)
    if page is None:
        raise Http404("No such question page")
    if not _can_edit(request, provider):
        raise Http404("Only the provider's own users fill in its return")
    ret = selectors.return_of(provider, period)
    if ret is not None and ret.locked:
        messages.info(request, "This return has been submitted and is locked.")
        return redirect("return", ref=provider.ref, month=period.key)
    lots = services.provider_lots(provider)
    instance = ret or ProviderReturn(provider=provider, month=period.first)
    data = request.POST if request.method == "POST" else None
    form: SectionForm | CapacityForm
    if page.slug == "capacity":
        current = {c.lot_id: c.spare_hours_per_week for c in ret.capacity.all()} if ret else {}
        form = CapacityForm(data, lots=lots, current=current)
    else:
        form = SectionForm(data, instance=instance, section=page)
    if request.method == "POST" and form.is_valid():
        ret = ret or services.start_return(provider=provider, month=period, user=_acting(request))
        if isinstance(form, CapacityForm):
            services.save_answers(
                provider_return=ret, answers={}, capacity=form.capacity(), user=_acting(request)
            )
        else:
            services.save_answers(
                provider_return=ret, answers=form.answers(), user=_acting(request)
            )
        if "draft" in request.POST:
            messages.success(request, "Your answers have been saved as a draft.")
            return redirect("return", ref=provider.ref, month=period.key)
        following = SECTIONS.index(page) + 1
        if following < len(SECTIONS):
            return redirect(
                "return-section",
                ref=provider.ref,
                month=period.key,
                section=SECTIONS[following].slug,
            )
        return redirect("return-check", ref=provider.ref, month=period.key)
    context = _context(provider, period, ret)
    context.update(form=form, section=page, number=SECTIONS.index(page) + 1, total=len(SECTIONS))
    return render_page(request, "returns/section.html", context)


@any_role_required
def return_check(request: HttpRequest, ref: str, month: str) -> HttpResponse:
    """Check your answers, then submit."""
    provider = get_visible_provider(request.user, ref)
    period = _month(month)
    if not _can_edit(request, provider):
        raise Http404("Only the provider's own users submit its return")
    ret = selectors.return_of(provider, period)
    if ret is None:
        return redirect(
            "return-section", ref=provider.ref, month=period.key, section=SECTIONS[0].slug
        )
    if ret.locked:
        return redirect("return", ref=provider.ref, month=period.key)
    lots = services.provider_lots(provider)
    problems: list[dict[str, str]] = []
    if request.method == "POST":
        try:
            services.submit_return(provider_return=ret, user=_acting(request))
        except services.ReturnLocked:
            return redirect("return", ref=provider.ref, month=period.key)
        except services.ReturnIncomplete:
            ret = selectors.return_of(provider, period)
            assert ret is not None
            problems = [
                {
                    "text": f"Answer “{answer.label}”",
                    "href": reverse(
                        "return-section",
                        kwargs={
                            "ref": provider.ref,
                            "month": period.key,
                            "section": s.section.slug,
                        },
                    )
                    + f"#id_{answer.name}",
                }
                for s in presenters.sections(ret, lots)
                if s.section.slug != "capacity"
                for answer in s.answers
                if not answer.answered
            ]
        else:
            messages.success(
                request, f"Your return for {formats.month_name(period.first)} has been submitted."
            )
            return redirect("return", ref=provider.ref, month=period.key)
    context = _context(provider, period, ret)
    context.update(
        sections=presenters.sections(ret, lots), problems=problems, error_title=bool(problems)
    )
    return render_page(request, "returns/check.html", context, status=400 if problems else 200)


@commissioner_required
def return_reopen(request: HttpRequest, ref: str, month: str) -> HttpResponse:
    provider = get_visible_provider(request.user, ref)
    period = _month(month)
    ret = selectors.return_of(provider, period)
    if ret is None or not ret.locked:
        raise Http404("No submitted return to reopen")
    form = ReopenForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        services.reopen_return(
            provider_return=ret, user=_acting(request), reason=form.cleaned_data["reason"]
        )
        messages.success(request, f"The return of {provider.name} has been reopened.")
        return redirect("return", ref=provider.ref, month=period.key)
    context = _context(provider, period, ret)
    context["form"] = form
    return render_page(request, "returns/reopen.html", context)


@council_staff_required
def tracker(request: HttpRequest) -> HttpResponse:
    """Per provider, the month's ECM file and return: on time, late, missing."""
    latest = current_month().previous()
    try:
        period = Month.parse(request.GET.get("month", latest.key))
    except ValueError:
        period = None
    if period is None or period.first > latest.first:
        return render_page(
            request,
            "returns/tracker.html",
            {"bad_month": True, "month_key": request.GET.get("month", ""), "latest": latest},
            status=400,
        )
    only_outstanding = request.GET.get("show") == "outstanding"
    rows = selectors.month_tracker(period, _today())
    counts = {kind: {state: 0 for state in due.STATE_LABELS} for kind in ("ecm", "return")}
    for row in rows:
        counts["ecm"][row.ecm.state] += 1
        counts["return"][row.provider_return.state] += 1
    if only_outstanding:
        rows = [r for r in rows if r.outstanding]
    months = [latest]
    while len(months) < 12:
        months.append(months[-1].previous())
    return render_page(
        request,
        "returns/tracker.html",
        {
            "rows": rows,
            "month": period,
            "month_label": formats.month_name(period.first),
            "months": [(m.key, formats.month_name(m.first)) for m in months],
            "ecm_due": formats.date(due.due_date(period, DueKind.ECM_FILE)),
            "return_due": formats.date(due.due_date(period, DueKind.RETURN)),
            "counts": counts,
            "only_outstanding": only_outstanding,
        },
    )
