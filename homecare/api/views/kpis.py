"""A provider's monthly KPIs as stored (the figures of the KPI export)."""

from __future__ import annotations

from typing import Any

from django.shortcuts import get_object_or_404
from drf_spectacular.utils import extend_schema
from rest_framework.request import Request
from rest_framework.response import Response
from rest_framework.views import APIView

from homecare.api.auth import token_of
from homecare.api.selectors import kpis_for
from homecare.api.serializers import KpiSerializer
from homecare.api.views.returns import MONTH, PROVIDER, parse_month
from homecare.kpis.models import MonthlyKpi


def as_row(kpi: MonthlyKpi) -> dict[str, Any]:
    figures = {
        key: (float(value) if isinstance(value, int | float) else None)
        for key, value in (kpi.figures or {}).items()
    }
    return {
        "id": kpi.pk,
        "provider": kpi.provider.ref if kpi.provider else "",
        "month": f"{kpi.month:%Y-%m}",
        "figures": figures,
        "computed_at": kpi.computed_at,
    }


class KpiList(APIView):
    @extend_schema(
        summary="List monthly KPIs",
        description="A provider's token reads its own; a council token every provider's.",
        parameters=[MONTH, PROVIDER],
        responses={200: KpiSerializer(many=True)},
    )
    def get(self, request: Request) -> Response:
        kpis = kpis_for(token_of(request))
        if request.query_params.get("month"):
            kpis = kpis.filter(month=parse_month(request.query_params["month"]).first)
        if request.query_params.get("provider"):
            kpis = kpis.filter(provider__ref=request.query_params["provider"])
        return Response(KpiSerializer([as_row(k) for k in kpis[:500]], many=True).data)


class KpiDetail(APIView):
    @extend_schema(summary="One provider's KPIs for one month", responses={200: KpiSerializer})
    def get(self, request: Request, pk: int) -> Response:
        kpi = get_object_or_404(kpis_for(token_of(request)), pk=pk)
        return Response(KpiSerializer(as_row(kpi)).data)
