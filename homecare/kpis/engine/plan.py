"""Which thresholds apply where in a month: each contract's, and a Q picking
the visits or packages each distinct set applies to (the rule is in
homecare/kpis/thresholds.py)."""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass, field
from typing import Any, cast

from django.db.models import Count, Q

from common.months import Month
from contracts.models import Contract
from homecare.kpis.models import KpiThresholds
from homecare.kpis.thresholds import DEFAULT, Thresholds


@dataclass
class ThresholdPlan:
    """The thresholds of every contract for one month (see thresholds.py for the rule)."""

    by_contract: dict[int, Thresholds]
    contract_refs: dict[int, str]
    main_contract: dict[int, int]  # provider id -> contract id
    lot_overrides: dict[int, Any] = field(default_factory=dict)

    @classmethod
    def for_month(cls, month: Month) -> ThresholdPlan:
        rows = list(KpiThresholds.objects.all())
        lot_rows = {row.lot_id: row for row in rows if row.lot_id}
        contract_rows = {row.contract_id: row for row in rows if row.contract_id}
        active = active_in(month)
        contracts = Contract.objects.annotate(
            packages_in_month=Count("packages", filter=prefixed(active, "packages__"))
        ).order_by("provider_id", "-packages_in_month", "ref")
        by_contract: dict[int, Thresholds] = {}
        refs: dict[int, str] = {}
        main: dict[int, int] = {}
        for contract_id, ref, lot_id, provider_id in contracts.values_list(
            "id", "ref", "lot_id", "provider_id"
        ):
            by_contract[contract_id] = DEFAULT.overlaid(lot_rows.get(lot_id)).overlaid(
                contract_rows.get(contract_id)
            )
            refs[contract_id] = ref
            main.setdefault(provider_id, contract_id)
        return cls(by_contract, refs, main, lot_rows)

    def as_data(self) -> dict[str, list]:
        """The plan as JSON-safe values, to hand to the tasks of a fanned-out
        month (homecare/scale), so each provider's task need not read the
        thresholds and count every contract's packages again. Integer keys
        become pairs: JSON would turn them into strings. A lot's override is
        kept as the thresholds it gives the lot (all that `for_lot` reads)."""
        return {
            "by_contract": [[cid, t.as_dict()] for cid, t in self.by_contract.items()],
            "contract_refs": [[cid, ref] for cid, ref in self.contract_refs.items()],
            "main_contract": [[pid, cid] for pid, cid in self.main_contract.items()],
            "lot_overrides": [[lid, self.for_lot(lid).as_dict()] for lid in self.lot_overrides],
        }

    @classmethod
    def from_data(cls, data: dict[str, list]) -> ThresholdPlan:
        """The plan `as_data` gave."""
        return cls(
            by_contract={cid: Thresholds(**values) for cid, values in data["by_contract"]},
            contract_refs={cid: ref for cid, ref in data["contract_refs"]},
            main_contract={pid: cid for pid, cid in data["main_contract"]},
            lot_overrides={lid: Thresholds(**values) for lid, values in data["lot_overrides"]},
        )

    def for_provider(self, provider_id: int) -> Thresholds:
        contract_id = self.main_contract.get(provider_id)
        return self.by_contract[contract_id] if contract_id else DEFAULT

    def for_lot(self, lot_id: int) -> Thresholds:
        return DEFAULT.overlaid(self.lot_overrides.get(lot_id))

    def groups(self, *, contract: str, provider: str) -> list[tuple[Thresholds, Q]]:
        """Each distinct set of thresholds with a Q picking the rows it applies to.
        `contract` and `provider` are the lookups from the queried model to the
        package's contract id and provider id."""
        contracts: dict[Thresholds, list[int]] = {}
        for contract_id, thresholds in self.by_contract.items():
            contracts.setdefault(thresholds, []).append(contract_id)
        # Packages called off no contract take their provider's main contract.
        odd_providers: dict[Thresholds, list[int]] = {}
        for provider_id in self.main_contract:
            thresholds = self.for_provider(provider_id)
            if thresholds != DEFAULT:
                odd_providers.setdefault(thresholds, []).append(provider_id)
        if not odd_providers and set(contracts) <= {DEFAULT}:
            return [(DEFAULT, Q())]  # the usual case: one set, no conditions at all
        no_contract = Q(**{f"{contract}__isnull": True})
        groups = []
        for thresholds in set(contracts) | set(odd_providers) | {DEFAULT}:
            q = Q(**{f"{contract}__in": contracts.get(thresholds, [])})
            if thresholds == DEFAULT:
                others = [pid for pids in odd_providers.values() for pid in pids]
                q |= no_contract & ~Q(**{f"{provider}__in": others})
            else:
                q |= no_contract & Q(**{f"{provider}__in": odd_providers.get(thresholds, [])})
            groups.append((thresholds, q))
        return groups

    def describe(self, person_level: Thresholds, contract_ids: list[int]) -> dict[str, Any]:
        """What a stored result records about the thresholds it used."""
        return {
            "person_level": person_level.as_dict(),
            "by_contract": {
                self.contract_refs[cid]: self.by_contract[cid].as_dict()
                for cid in sorted(contract_ids, key=lambda cid: self.contract_refs[cid])
                if cid in self.by_contract
            },
        }


def prefixed(q: Q, prefix: str) -> Q:
    out = Q()
    out.connector, out.negated = q.connector, q.negated
    for child in q.children:
        # A Q's branches are Qs and its leaves (lookup, value) pairs.
        if isinstance(child, Q):
            out.children.append(prefixed(child, prefix))
        else:
            lookup, value = cast(tuple[str, Any], child)
            out.children.append((prefix + lookup, value))
    return out


def active_in(month: Month) -> Q:
    """A package or contract running at some time in the month."""
    return Q(start_date__lte=month.last) & (Q(end_date__isnull=True) | Q(end_date__gte=month.first))


def either(groups: list[tuple[Thresholds, Q]], make: Callable[[Thresholds], Q]) -> Q:
    out = Q(pk__in=[])
    for thresholds, where in groups:
        out |= where & make(thresholds)
    return out
