"""KPI thresholds per lot and per contract: every council role may read them,
commissioners change them (issue 3)."""

from __future__ import annotations

from typing import Any

from django.contrib import messages
from django.db import transaction
from django.http import HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, redirect
from django.urls import reverse

from common.concurrency import EditConflict
from common.months import current_month
from contracts.models import Contract, Lot
from homecare.accounts.pages import render_page
from homecare.accounts.roles import commissioner_required, council_staff_required
from homecare.audit import presenters as audit
from homecare.audit import selectors as audit_selectors
from homecare.kpis.forms import KpiThresholdsForm
from homecare.kpis.models import KpiThresholds
from homecare.kpis.registry import SHARE, THRESHOLDS
from homecare.kpis.selectors import thresholds_for
from homecare.kpis.services import set_thresholds
from homecare.kpis.thresholds import DEFAULT, FIELDS, Thresholds
from homecare.ui import formats
from homecare.ui.forms import show_version


@council_staff_required
def kpi_thresholds(request: HttpRequest) -> HttpResponse:
    lots = list(Lot.objects.select_related("framework", "kpi_thresholds"))
    contracts = list(
        Contract.objects.select_related("provider", "lot__kpi_thresholds", "kpi_thresholds").filter(
            kpi_thresholds__isnull=False
        )
    )
    lot_rows = [_row("Default", "", DEFAULT, DEFAULT)]
    for lot in lots:
        effective = DEFAULT.overlaid(getattr(lot, "kpi_thresholds", None))
        url = reverse("lot-thresholds", args=[lot.pk])
        lot_rows.append(_row(lot.name, lot.framework.name, effective, DEFAULT, url))
    contract_rows = []
    for contract in contracts:
        lot_level = DEFAULT.overlaid(getattr(contract.lot, "kpi_thresholds", None))
        effective = lot_level.overlaid(contract.kpi_thresholds)
        url = reverse("contract-thresholds", args=[contract.ref])
        contract_rows.append(_row(contract.ref, contract.provider.name, effective, lot_level, url))
    return render_page(
        request,
        "kpis/thresholds/list.html",
        {
            "lot_rows": lot_rows,
            "contract_rows": contract_rows,
            "all_contracts": Contract.objects.select_related("provider").order_by("ref"),
            "headings": [THRESHOLDS[name] for name in FIELDS],
            "history": audit.history(
                audit_selectors.changes_to_model(KpiThresholds),
                HISTORY_LABELS,
                subject=audit.object_name,
            ),
        },
    )


def _writer(unit: str) -> audit.Writer:
    return lambda value: formats.display(float(value), unit)


# How each threshold reads in a history: the registry's name, in its unit
# (a share as 10%, minutes as "15 minutes"); blank means it is inherited.
HISTORY_LABELS = {
    name: audit.Label(THRESHOLDS[name].label, _writer(THRESHOLDS[name].unit), "inherited")
    for name in FIELDS
}


def _row(
    name: str, detail: str, effective: Thresholds, inherited: Thresholds, change_url: str = ""
) -> dict[str, Any]:
    """One line of a thresholds table: what applies, marked where it differs
    from what it would otherwise inherit."""
    return {
        "name": name,
        "detail": detail,
        "change_url": change_url,
        "values": _values(effective, inherited),
    }


def _values(effective: Thresholds, inherited: Thresholds) -> list[dict[str, Any]]:
    return [
        {
            "name": name,
            # Shares as people read them (10%); the form takes the fraction (0.10).
            "value": _shown(name, getattr(effective, name)),
            "changed": getattr(effective, name) != getattr(inherited, name),
        }
        for name in FIELDS
    ]


def _shown(name: str, value: Any) -> Any:
    return formats.share(value) if THRESHOLDS[name].unit == SHARE else value


@commissioner_required
def lot_thresholds(request: HttpRequest, pk: int) -> HttpResponse:
    lot = get_object_or_404(Lot.objects.select_related("framework"), pk=pk)
    return _edit(request, thresholds_for(lot=lot), lot=lot, inherited=DEFAULT, owner=str(lot))


@commissioner_required
def contract_thresholds(request: HttpRequest, ref: str) -> HttpResponse:
    contract = get_object_or_404(Contract.objects.select_related("lot", "provider"), ref=ref)
    inherited = DEFAULT.overlaid(KpiThresholds.objects.filter(lot=contract.lot).first())
    owner = f"contract {contract.ref} ({contract.provider.name})"
    return _edit(
        request, thresholds_for(contract=contract), contract=contract, inherited=inherited,
        owner=owner,
    )  # fmt: skip


def _edit(
    request: HttpRequest,
    row: KpiThresholds,
    *,
    inherited: Thresholds,
    owner: str,
    lot: Lot | None = None,
    contract: Contract | None = None,
) -> HttpResponse:
    form = KpiThresholdsForm(request.POST or None, instance=row)
    for name in FIELDS:
        field = form.fields[name]
        field.label = THRESHOLDS[name].label
        source = "the lot's value or the default" if contract else "the default"
        field.help_text = (
            f"{field.help_text} Leave blank to use {source}: {getattr(inherited, name)}."
        ).strip()
    if request.method == "POST" and form.is_valid():
        values = {name: form.cleaned_data.get(name) for name in FIELDS}
        try:
            set_thresholds(
                lot=lot,
                contract=contract,
                version=form.cleaned_data["version"],
                user=request.user,
                **values,
            )
        except EditConflict as conflict:
            # Another commissioner saved first: keep what this one typed.
            form.add_error(None, str(conflict))
            show_version(form, conflict.version)
        else:
            # The month just gone is what commissioners act on: compute it again
            # with the new thresholds once they are saved.
            from homecare.kpis.tasks import compute_month

            month = current_month().previous()
            transaction.on_commit(lambda: compute_month.delay(month.key, None))
            messages.success(
                request,
                f"Thresholds for {owner} saved. {month.first:%B %Y} is being computed again "
                "with them; "
                "earlier months keep the thresholds they were computed with.",
            )
            return redirect("kpi-thresholds")
    history = audit.history(audit_selectors.changes_to(row), HISTORY_LABELS)
    return render_page(
        request,
        "kpis/thresholds/form.html",
        {"form": form, "owner": owner, "inherited": inherited, "history": history},
    )


@commissioner_required
def pick_contract(request: HttpRequest) -> HttpResponse:
    contract = get_object_or_404(Contract, ref=request.GET.get("ref", ""))
    return redirect("contract-thresholds", ref=contract.ref)
