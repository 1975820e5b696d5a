"""Each scope's figures (a provider, a lot, the market) from one read of the
month, in the keys and rounding of the export."""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass, field
from typing import Any

from common.months import Month
from contracts.models import Person
from homecare.kpis.engine.plan import ThresholdPlan
from homecare.kpis.engine.reviews import package_rows, review_figures
from homecare.kpis.engine.visits import Key, PersonRow, person_rows, provider_carers
from homecare.kpis.registry import FIGURE_KEYS
from homecare.kpis.thresholds import DEFAULT, Thresholds


@dataclass
class MonthFigures:
    """Every scope's figures for one month, from one read of the month."""

    month: Month
    plan: ThresholdPlan
    rows: dict[Key, PersonRow]
    provider_carers: dict[tuple[int, int], int]
    packages: list[dict[str, Any]]
    people: dict[int, dict[str, Any]] = field(default_factory=dict)

    @classmethod
    def read(cls, month: Month, plan: ThresholdPlan) -> MonthFigures:
        rows = person_rows(month, plan)
        figures = cls(
            month=month,
            plan=plan,
            rows=rows,
            provider_carers=provider_carers(month, rows),
            packages=package_rows(month, plan),
        )
        return figures

    # Each scope: which rows count, how people's rows combine, whose thresholds.

    def provider(self, provider_id: int) -> tuple[dict, dict]:
        per_person: dict[int, PersonRow] = {}
        for (pid, _lot, person_id), row in self.rows.items():
            if pid == provider_id:
                per_person.setdefault(person_id, PersonRow()).add(row)
        for (pid, person_id), carers in self.provider_carers.items():
            if pid == provider_id:
                per_person[person_id].carers = carers
        packages = [p for p in self.packages if p["provider_id"] == provider_id]
        return self._figures(per_person, packages, self.plan.for_provider(provider_id))

    def lot(self, lot_id: int) -> tuple[dict, dict]:
        # Care workers belong to one provider, so a person's carers under a lot
        # are the sum over the lot's providers.
        per_person: dict[int, PersonRow] = {}
        for (_pid, lot, person_id), row in self.rows.items():
            if lot == lot_id:
                per_person.setdefault(person_id, PersonRow()).add(row)
        packages = [p for p in self.packages if p["lot_id"] == lot_id]
        return self._figures(per_person, packages, self.plan.for_lot(lot_id))

    def market(self) -> tuple[dict, dict]:
        by_provider: dict[tuple[int, int], PersonRow] = {}
        for (pid, _lot, person_id), row in self.rows.items():
            by_provider.setdefault((pid, person_id), PersonRow()).add(row)
        for pair, carers in self.provider_carers.items():
            by_provider[pair].carers = carers
        per_person: dict[int, PersonRow] = {}
        for (_pid, person_id), row in by_provider.items():
            per_person.setdefault(person_id, PersonRow()).add(row)
        return self._figures(per_person, self.packages, DEFAULT)

    def _figures(
        self, per_person: dict[int, PersonRow], packages: list[dict], thresholds: Thresholds
    ) -> tuple[dict, dict]:
        total = PersonRow()
        for row in per_person.values():
            total.add(row, carers=False)
        share = thresholds.late_share
        late_people = [
            pid
            for pid, row in per_person.items()
            if row.delivered and row.late * share.denominator > row.delivered * share.numerator
        ]
        delivered_people = [row for row in per_person.values() if row.delivered]
        over_limit = [
            pid
            for pid, row in per_person.items()
            if row.delivered and row.carers > _carer_limit(row.delivered, thresholds)
        ]
        # The people affected by time-critical visits outside their window.
        outside_people = [pid for pid, row in per_person.items() if row.critical_outside]
        people = self._people_info(late_people + over_limit + outside_people)
        outside_people.sort(key=lambda pid: people[pid]["ref"])
        late_people.sort(key=lambda pid: people[pid]["ref"])
        over_limit.sort(key=lambda pid: people[pid]["ref"])
        figures = {
            "scheduled_visits": total.scheduled,
            "delivered_visits": total.delivered,
            "late_visits": total.late,
            "missed_visits": total.missed,
            "late_visit_rate": _rate(total.late, total.delivered),
            "missed_visit_rate": _rate(total.missed, total.scheduled),
            "short_visits": total.short,
            "visits_under_30_min": total.under_30,
            "visits_15_min_or_less": total.up_to_15,
            "planned_hours": _hours(total.planned),
            "delivered_hours": _hours(total.actual),
            "ecm_verified_rate": _rate(total.ecm, total.delivered),
            "people_supported": len(per_person),
            "people_late_over_10pct": len(late_people),
            "people_late_over_10pct_living_alone": sum(
                1 for pid in late_people if people[pid]["lives_alone"]
            ),
            "people_late_over_10pct_lacking_capacity": sum(
                1 for pid in late_people if people[pid]["lacks_capacity"]
            ),
            "mean_carers_per_person": (
                round(sum(r.carers for r in delivered_people) / len(delivered_people), 2)
                if delivered_people
                else None
            ),
            "people_over_carer_limit": len(over_limit),
            # Care standards (issue 15).
            "time_critical_visits": total.critical,
            "time_critical_outside_window": total.critical_outside,
            "time_critical_outside_rate": _rate(total.critical_outside, total.critical),
            "visits_under_30_min_delivered": total.under_30_delivered,
            "visits_under_30_min_known_carer": total.under_30_known,
            "visits_under_30_min_known_carer_rate": _rate(
                total.under_30_known, total.under_30_delivered
            ),
            "missed_visits_living_alone": total.missed_alone,
            "missed_visits_lacking_capacity": total.missed_no_capacity,
            "missed_visits_living_alone_lacking_capacity": total.missed_alone_no_capacity,
        }
        details: dict[str, Any] = {
            "people_late_over_10pct": [
                {
                    "person_id": pid,
                    "person_ref": people[pid]["ref"],
                    "late_visits": per_person[pid].late,
                    "delivered_visits": per_person[pid].delivered,
                    "late_share": round(per_person[pid].late / per_person[pid].delivered, 4),
                    "lives_alone": people[pid]["lives_alone"],
                    "lacks_capacity": people[pid]["lacks_capacity"],
                }
                for pid in late_people
            ],
            "people_over_carer_limit": [
                {
                    "person_id": pid,
                    "person_ref": people[pid]["ref"],
                    "carers": per_person[pid].carers,
                    "limit": _carer_limit(per_person[pid].delivered, thresholds),
                    "delivered_visits": per_person[pid].delivered,
                }
                for pid in over_limit
            ],
            "time_critical_outside_window": [
                {
                    "person_id": pid,
                    "person_ref": people[pid]["ref"],
                    "outside_window": per_person[pid].critical_outside,
                    "time_critical_visits": per_person[pid].critical,
                    "lives_alone": people[pid]["lives_alone"],
                    "lacks_capacity": people[pid]["lacks_capacity"],
                }
                for pid in outside_people
            ],
        }
        review_figures(packages, figures, details)
        return {key: figures[key] for key in FIGURE_KEYS}, details

    def _people_info(self, person_ids: list[int]) -> dict[int, dict[str, Any]]:
        missing = set(person_ids) - set(self.people)
        if missing:
            for pid, ref, alone, capacity in Person.objects.filter(pk__in=missing).values_list(
                "id", "ref", "lives_alone", "lacks_capacity"
            ):
                self.people[pid] = {"ref": ref, "lives_alone": alone, "lacks_capacity": capacity}
        return self.people


def _carer_limit(delivered: int, thresholds: Thresholds) -> int:
    return max(thresholds.min_carer_limit, -(-delivered // thresholds.visits_per_carer))


def _rate(numerator: int, denominator: int) -> float | None:
    return round(numerator / denominator, 4) if denominator else None


def _hours(total: dt.timedelta | None) -> float:
    return round(total.total_seconds() / 3600, 2) if total else 0.0
