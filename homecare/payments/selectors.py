"""The payment schedule (shared/specs/payment-definitions.md): per provider and
month, each package's payable hours and amount under its contract's basis.
Computed in the database (homecare/payments/sql.py): Python sees one row per
package, never one per visit."""

from __future__ import annotations

from dataclasses import dataclass, field
from decimal import Decimal
from typing import Any

from django.db import connection

from common.months import Month
from contracts.models import CarePackage, PaymentBasis
from homecare.payments.sql import package_lines, tuned
from visits.models import Visit, VisitStatus

PENNY = Decimal("0.01")


def hours(seconds: int | Decimal | None) -> Decimal:
    """Seconds as hours to two places, halves up."""
    from decimal import ROUND_HALF_UP

    return (Decimal(seconds or 0) / 3600).quantize(PENNY, rounding=ROUND_HALF_UP)


def pounds(pence: int | Decimal | None) -> Decimal:
    return (Decimal(pence or 0) / 100).quantize(PENNY)


@dataclass
class PackageLine:
    package_ref: str
    person_ref: str
    contract_ref: str
    basis: str
    payable_seconds: int
    amount: Decimal
    exceptions: int
    no_rate: int
    planned_seconds: int
    delivered_seconds: int
    verified_seconds: int

    @property
    def payable_hours(self) -> Decimal:
        return hours(self.payable_seconds)

    @property
    def delivered_hours(self) -> Decimal:
        return hours(self.delivered_seconds)

    @property
    def verified_hours(self) -> Decimal:
        return hours(self.verified_seconds)

    @property
    def listed(self) -> bool:
        """The spec leaves out packages with nothing payable and no exceptions."""
        return self.payable_seconds > 0 or self.exceptions > 0


@dataclass
class ProviderSchedule:
    provider_id: int
    provider_ref: str
    provider_name: str
    packages: list[PackageLine] = field(default_factory=list)

    @property
    def amount(self) -> Decimal:
        return sum((line.amount for line in self.packages), Decimal("0.00"))

    @property
    def payable_seconds(self) -> int:
        return sum(line.payable_seconds for line in self.packages)

    @property
    def payable_hours(self) -> Decimal:
        return hours(self.payable_seconds)

    @property
    def delivered_hours(self) -> Decimal:
        return hours(sum(line.delivered_seconds for line in self.packages))

    @property
    def exceptions(self) -> int:
        return sum(line.exceptions for line in self.packages)

    @property
    def no_rate(self) -> int:
        return sum(line.no_rate for line in self.packages)

    @property
    def listed(self) -> list[PackageLine]:
        return [line for line in self.packages if line.listed]


def payment_schedule(
    month: Month, *, provider_id: int | None = None, lot_id: int | None = None
) -> list[ProviderSchedule]:
    """Every provider with visits planned in the month, by provider ref, each
    with its package lines by package ref. One query."""
    where = "v.planned_date >= %s AND v.planned_date <= %s"
    params: list[Any] = [month.first, month.last]
    if provider_id is not None:
        where += " AND v.provider_id = %s"
        params.append(provider_id)
    params = params * 2  # the visits' rows and the care workers' rows
    outer_where = ""
    if lot_id is not None:
        outer_where = "WHERE l.lot_id = %s"
        params.append(lot_id)
    sql = f"""
        SELECT pr.id, pr.ref, pr.name, p.ref, pe.ref, COALESCE(c.ref, ''),
            COALESCE(c.payment_basis, 'planned'),
            l.pay_s, l.pence, l.exceptions, l.no_rate, l.planned_s, l.delivered_s, l.verified_s
        FROM ({package_lines(where)}) l
        JOIN providers_provider pr ON pr.id = l.provider_id
        JOIN contracts_carepackage p ON p.id = l.package_id
        JOIN contracts_person pe ON pe.id = p.person_id
        LEFT JOIN contracts_contract c ON c.id = p.contract_id
        {outer_where}
        ORDER BY pr.ref, p.ref"""
    schedules: dict[int, ProviderSchedule] = {}
    with connection.cursor() as cursor:
        cursor.execute(tuned(sql), params)
        for row in cursor.fetchall():
            (pid, pref, pname, kref, person, cref, basis, pay_s, pence, exc, no_rate,
             planned_s, delivered_s, verified_s) = row  # fmt: skip
            schedule = schedules.get(pid)
            if schedule is None:
                schedule = schedules[pid] = ProviderSchedule(pid, pref, pname)
            schedule.packages.append(
                PackageLine(
                    package_ref=kref,
                    person_ref=person,
                    contract_ref=cref,
                    basis=basis,
                    payable_seconds=int(pay_s or 0),
                    amount=pounds(pence),
                    exceptions=int(exc or 0),
                    no_rate=int(no_rate or 0),
                    planned_seconds=int(planned_s or 0),
                    delivered_seconds=int(delivered_s or 0),
                    verified_seconds=int(verified_s or 0),
                )
            )
    return list(schedules.values())


def export_json(month: Month) -> dict[str, Any]:
    """The export_payments document, exactly as the spec shapes it."""
    return {
        "month": month.key,
        "providers": [
            {
                "provider_ref": schedule.provider_ref,
                "payable_hours": float(schedule.payable_hours),
                "amount": f"{schedule.amount:.2f}",
                "exceptions": schedule.exceptions,
                "packages": [
                    {
                        "package_ref": line.package_ref,
                        "payable_hours": float(line.payable_hours),
                        "amount": f"{line.amount:.2f}",
                    }
                    for line in schedule.listed
                ],
            }
            for schedule in payment_schedule(month)
        ],
    }


FINANCE_COLUMNS = [
    "month",
    "provider_ref",
    "provider",
    "package_ref",
    "person_ref",
    "contract_ref",
    "payment_basis",
    "payable_hours",
    "amount",
    "delivered_hours",
    "verified_hours",
    "exceptions",
    "visits_without_rate",
]


def finance_row(month: Month, schedule: ProviderSchedule, line: PackageLine) -> list[Any]:
    return [
        month.key,
        schedule.provider_ref,
        schedule.provider_name,
        line.package_ref,
        line.person_ref,
        line.contract_ref,
        line.basis,
        f"{line.payable_hours:.2f}",
        f"{line.amount:.2f}",
        f"{line.delivered_hours:.2f}",
        f"{line.verified_hours:.2f}",
        line.exceptions,
        line.no_rate,
    ]


def package_refs(ids: set[int]) -> dict[int, str]:
    if not ids:
        return {}
    return dict(CarePackage.objects.filter(pk__in=ids).values_list("pk", "ref"))


EXCEPTIONS_SHOWN = 200


def exception_visits(month: Month, provider_id: int | None) -> list[dict[str, Any]]:
    """The visits to resolve: completed on a verified-basis contract without
    ECM times from every care worker (paid nothing until they are resolved)."""
    visits = Visit.objects.filter(
        planned_date__gte=month.first,
        planned_date__lte=month.last,
        status=VisitStatus.COMPLETED,
        ecm_verified=False,
        package__contract__payment_basis=PaymentBasis.VERIFIED,
    )
    if provider_id is not None:
        visits = visits.filter(provider_id=provider_id)
    rows = visits.order_by("planned_start").values(
        "visit_id", "planned_start", "planned_date", "package__ref"
    )[:EXCEPTIONS_SHOWN]
    return [dict(row) for row in rows]


@dataclass
class MonthSpend:
    month: Month
    pence: int
    payable_seconds: int
    delivered_seconds: int

    @property
    def amount(self) -> Decimal:
        return pounds(self.pence)

    @property
    def payable_hours(self) -> Decimal:
        return hours(self.payable_seconds)

    @property
    def average_rate(self) -> Decimal | None:
        """Spend per paid hour."""
        if not self.payable_seconds:
            return None
        return (Decimal(self.pence) * 36 / self.payable_seconds).quantize(PENNY)

    def per_week(self, seconds: int) -> Decimal:
        days = (self.month.last - self.month.first).days + 1
        return (Decimal(seconds) / 3600 * 7 / days).quantize(PENNY)


def monthly_spend(
    months: list[Month], *, provider_id: int | None = None, lot_id: int | None = None
) -> list[MonthSpend]:
    """Spend of each month (the sum of its package lines, each rounded once),
    for a provider, a lot or the market. One query."""
    where = "v.planned_date >= %s AND v.planned_date <= %s"
    params: list[Any] = [months[0].first, months[-1].last]
    if provider_id is not None:
        where += " AND v.provider_id = %s"
        params.append(provider_id)
    params = params * 2  # the visits' rows and the care workers' rows
    outer = ""
    if lot_id is not None:
        outer = "WHERE l.lot_id = %s"
        params.append(lot_id)
    sql = f"""SELECT l.month, SUM(l.pence), SUM(l.pay_s), SUM(l.delivered_s)
        FROM ({package_lines(where, by_month=True)}) l {outer} GROUP BY l.month"""
    with connection.cursor() as cursor:
        cursor.execute(tuned(sql), params)
        found = {row[0]: row[1:] for row in cursor.fetchall()}
    result = []
    for month in months:
        pence, pay_s, delivered_s = found.get(month.key, (0, 0, 0))
        result.append(MonthSpend(month, int(pence or 0), int(pay_s or 0), int(delivered_s or 0)))
    return result
