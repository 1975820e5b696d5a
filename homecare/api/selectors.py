"""What a token may read: its provider's rows, or every provider's for a
council token. Another provider's object is simply not found (404)."""

from __future__ import annotations

from typing import TypeVar

from django.db.models import Model, QuerySet

from homecare.api.models import ApiToken
from homecare.kpis.models import KpiScope, MonthlyKpi
from homecare.returns.models import ProviderReturn
from homecare.returns.selectors import returns_with_history
from visits.models import ImportRecord

M = TypeVar("M", bound=Model)


def scoped(queryset: QuerySet[M], token: ApiToken, field: str = "provider") -> QuerySet[M]:
    if token.is_council:
        return queryset
    return queryset.filter(**{field: token.provider_id})


def imports_for(token: ApiToken) -> QuerySet[ImportRecord]:
    return scoped(ImportRecord.objects.select_related("provider"), token)


def returns_for(token: ApiToken) -> QuerySet[ProviderReturn]:
    return scoped(returns_with_history(), token)


def kpis_for(token: ApiToken) -> QuerySet[MonthlyKpi]:
    return scoped(
        MonthlyKpi.objects.filter(scope=KpiScope.PROVIDER).select_related("provider"), token
    ).order_by("-month", "provider__name")
