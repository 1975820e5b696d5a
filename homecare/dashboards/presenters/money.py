"""Hours and spend over the year (issue 13), for the market, a lot or a
provider: monthly spend, the average rate paid, and hours a week
(commissioned, paid, delivered), as charts with their figures."""

from __future__ import annotations

from dataclasses import dataclass
from decimal import Decimal
from typing import Any

from common.months import Month
from homecare.dashboards import selectors
from homecare.dashboards.charts import Chart
from homecare.payments.hours import Layers
from homecare.payments.selectors import MonthSpend, ProviderSchedule, payment_schedule
from homecare.ui import formats


@dataclass
class MoneyYear:
    month: Month
    scope: str  # "the market", a lot's or a provider's name
    spend: list[MonthSpend]
    layers: dict[str, Layers]

    @classmethod
    def load(
        cls,
        month: Month,
        *,
        scope: str = "the market",
        provider_id: int | None = None,
        lot_id: int | None = None,
        stamp: Any = None,
    ) -> MoneyYear:
        """Four queries (two over a year of visits), kept until the next import:
        `stamp` says when data last came in. The market's are worked out ahead,
        after each month's KPIs (dashboards.tasks.warm_money), under the same key."""
        spend, layers = selectors.money_year(
            month, provider_id=provider_id, lot_id=lot_id, stamp=stamp
        )
        return cls(month, scope, spend, layers)

    @property
    def current(self) -> MonthSpend:
        return self.spend[-1]

    def _per_week(self, spend: MonthSpend, hours: Any) -> float:
        return float(spend.per_week(int(hours * 3600)))

    @property
    def rows(self) -> list[dict[str, str]]:
        rows = []
        for spend in self.spend:
            layers = self.layers[spend.month.key]
            rows.append(
                {
                    "label": formats.month_name(spend.month.first),
                    "amount": formats.money(spend.amount),
                    "rate": formats.money(spend.average_rate),
                    "paid": formats.hours(float(spend.per_week(spend.payable_seconds))),
                    "commissioned": formats.hours(self._per_week(spend, layers.commissioned)),
                    "delivered": formats.hours(float(spend.per_week(spend.delivered_seconds))),
                }
            )
        return rows

    def charts(self, prefix: str) -> list[Chart]:
        short = [(s.month.first.strftime("%b"), s) for s in self.spend]
        return [
            Chart(
                f"{prefix}-spend",
                f"Monthly spend, {self.scope}",
                "The amount payable each month on the payment schedule.",
                [(label, float(s.amount)) for label, s in short],
                unit="money",
            ),
            Chart(
                f"{prefix}-rate",
                f"Average hourly rate paid, {self.scope}",
                "Spend divided by paid hours each month.",
                [
                    (label, float(s.average_rate) if s.average_rate is not None else None)
                    for label, s in short
                ],
                unit="money",
            ),
            Chart(
                f"{prefix}-hours",
                f"Paid hours a week, {self.scope}",
                "Paid care-worker hours each month, per week of the month.",
                [(label, float(s.per_week(s.payable_seconds))) for label, s in short],
                unit="hours",
            ),
            Chart(
                f"{prefix}-commissioned",
                f"Commissioned hours a week, {self.scope}",
                "Care packages' weekly hours as they stood on each day of the month.",
                [
                    (label, self._per_week(s, self.layers[s.month.key].commissioned))
                    for label, s in short
                ],
                unit="hours",
            ),
        ]

    @property
    def page_charts(self) -> list[Chart]:
        return self.charts("money")


@dataclass
class PaymentTotals:
    """The month's payment schedule in totals, for the packs: paid hours
    against delivered hours, the amount and the exceptions, per provider."""

    month: Month
    schedules: list[ProviderSchedule]

    @classmethod
    def load(cls, month: Month, *, provider_id: int | None = None) -> PaymentTotals:
        """One query."""
        return cls(month, payment_schedule(month, provider_id=provider_id))

    @staticmethod
    def _row(name: str, paid: Decimal, delivered: Decimal, amount: Decimal, exc: int) -> dict:
        return {
            "name": name,
            "paid": formats.decimal_hours(paid),
            "delivered": formats.decimal_hours(delivered),
            "share": formats.percent(float(paid / delivered * 100)) if delivered else "No data",
            "amount": formats.money(amount),
            "exceptions": formats.count(exc),
        }

    @property
    def rows(self) -> list[dict[str, str]]:
        return [
            self._row(s.provider_name, s.payable_hours, s.delivered_hours, s.amount, s.exceptions)
            for s in self.schedules
        ]

    @property
    def total(self) -> dict[str, str]:
        return self._row(
            "Total",
            sum((s.payable_hours for s in self.schedules), Decimal(0)),
            sum((s.delivered_hours for s in self.schedules), Decimal(0)),
            sum((s.amount for s in self.schedules), Decimal(0)),
            sum(s.exceptions for s in self.schedules),
        )
