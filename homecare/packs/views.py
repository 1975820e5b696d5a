"""Monthly packs: the list by month, downloads, and building on demand. Who
sees which pack is decided by `providers.access` (through packs.selectors):
a provider's user sees their own provider's packs, and any other is a 404."""

from __future__ import annotations

from typing import Any

from django.contrib import messages
from django.http import FileResponse, Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect
from django.urls import reverse
from django.views.decorators.http import require_POST

from common.months import Month
from homecare.accounts.pages import render_page
from homecare.accounts.roles import any_role_required, may, permission_required, require
from homecare.dashboards import selectors as dashboard_selectors
from homecare.packs import selectors
from homecare.ui import formats
from homecare.ui.privacy import person_level_data
from homecare.ui.query import asked_month


def _months(request: HttpRequest) -> list:
    months = set(selectors.pack_months(request.user))
    if may(request.user, "packs.build_packs"):
        # Staff also see computed months without packs yet, to build them.
        months.update(dashboard_selectors.computed_months())
    return sorted(months, reverse=True)


@any_role_required
def pack_list(request: HttpRequest) -> HttpResponse:
    months = _months(request)
    month = dashboard_selectors.pick_month(asked_month(request), months)
    context: dict[str, Any] = {
        "month": month,
        "month_choices": [(f"{m:%Y-%m}", formats.month_name(m)) for m in months],
    }
    if month is not None:
        context.update(
            month_label=formats.month_name(month.first),
            packs=selectors.packs_for_month(request.user, month),
            computed=month.first in dashboard_selectors.computed_months(),
        )
    return render_page(request, "packs/list.html", context)


@person_level_data
@any_role_required
def pack_download(request: HttpRequest, pk: int) -> FileResponse:
    pack = selectors.get_visible_pack(request.user, pk)
    require(request.user, "packs.download_pack", pack)
    if not pack.file or not pack.file.storage.exists(pack.file.name):
        raise Http404("The pack's file is missing")
    return FileResponse(
        pack.file.open("rb"),
        as_attachment=True,
        filename=pack.filename,
        content_type="application/pdf",
    )


@require_POST
@permission_required("packs.build_packs")
def pack_build(request: HttpRequest) -> HttpResponse:
    # Imported here: the tasks module pulls in the importers, which the list
    # and download views do not need.
    from homecare.packs.tasks import build_packs

    try:
        month = Month.parse(request.POST.get("month", ""))
    except ValueError:
        raise Http404("No such month") from None
    build_packs.delay(month.key, force=request.POST.get("force") == "1")
    messages.success(request, f"Packs for {formats.month_name(month.first)} are being built")
    return redirect(f"{reverse('packs')}?month={month.key}")
