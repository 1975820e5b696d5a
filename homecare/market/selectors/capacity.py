"""Declared spare capacity: the newest declaration per provider and lot."""

from __future__ import annotations

from decimal import Decimal

from contracts.models import CapacityDeclaration


def current_capacity(
    provider_id: int | None = None,
) -> dict[tuple[int, int], CapacityDeclaration]:
    """(provider id, lot id) -> its newest declaration (one query)."""
    declarations = CapacityDeclaration.objects.select_related("lot", "provider").order_by(
        "provider_id", "lot_id", "-declared_on", "-pk"
    )
    if provider_id is not None:
        declarations = declarations.filter(provider_id=provider_id)
    out: dict[tuple[int, int], CapacityDeclaration] = {}
    for declaration in declarations:
        out.setdefault((declaration.provider_id, declaration.lot_id), declaration)
    return out


def capacity_by_lot(
    current: dict[tuple[int, int], CapacityDeclaration],
    *,
    excluding: int | None = None,
) -> dict[int, Decimal]:
    """Spare hours a week declared in each lot, leaving out one provider if asked."""
    out: dict[int, Decimal] = {}
    for (provider_id, lot_id), declaration in current.items():
        if provider_id != excluding:
            out[lot_id] = out.get(lot_id, Decimal(0)) + declaration.spare_weekly_hours
    return out
