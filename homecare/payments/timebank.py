"""Banked time (issue 13): minutes a person chose to defer must be used within
4 weeks of the visit they came from. Uses draw on the oldest deferral still
in time; a deferral used on day 28 after its visit is in time, on day 29 it
has expired. Minutes are matched per package, in date order (a few rows per
person: this loops over time-bank rows, never over visits)."""

from __future__ import annotations

from collections import defaultdict, deque
from dataclasses import dataclass, field
from datetime import date, timedelta

from homecare.payments.models import TimeBankEntry

USE_WITHIN = timedelta(days=28)


@dataclass
class Expiry:
    package_ref: str
    person_ref: str
    provider_id: int
    provider_name: str
    deferred_on: date
    expired_on: date  # the first day it could no longer be used
    minutes: int


@dataclass
class Balance:
    package_ref: str
    person_ref: str
    provider_id: int
    provider_name: str
    deferred: int = 0
    used: int = 0
    expired: int = 0
    overdrawn: int = 0  # minutes used with nothing in time to draw on
    available: int = 0
    expiries: list[Expiry] = field(default_factory=list)


def balances(*, as_of: date, provider_id: int | None = None) -> list[Balance]:
    """Each package's banked time up to as_of, by package ref. One query."""
    entries = TimeBankEntry.objects.filter(date__lte=as_of)
    if provider_id is not None:
        entries = entries.filter(package__provider_id=provider_id)
    rows = entries.order_by("package__ref", "date").values_list(
        "package__ref",
        "package__person__ref",
        "package__provider_id",
        "package__provider__name",
        "date",
        "minutes",
    )
    result: dict[str, Balance] = {}
    queues: dict[str, deque[list]] = defaultdict(deque)

    def expire(balance: Balance, queue: deque[list], today: date) -> None:
        while queue and today - queue[0][0] > USE_WITHIN:
            day, left = queue.popleft()
            balance.expired += left
            balance.expiries.append(
                Expiry(
                    balance.package_ref,
                    balance.person_ref,
                    balance.provider_id,
                    balance.provider_name,
                    day,
                    day + USE_WITHIN + timedelta(days=1),
                    left,
                )  # fmt: skip
            )

    for ref, person, provider, name, day, minutes in rows:
        balance = result.get(ref)
        if balance is None:
            balance = result[ref] = Balance(ref, person, provider, name)
        queue = queues[ref]
        expire(balance, queue, day)
        if minutes > 0:
            balance.deferred += minutes
            queue.append([day, minutes])
            continue
        wanted = -minutes
        balance.used += wanted
        while wanted and queue:
            take = min(wanted, queue[0][1])
            queue[0][1] -= take
            wanted -= take
            if queue[0][1] == 0:
                queue.popleft()
        balance.overdrawn += wanted
    for ref, balance in result.items():
        expire(balance, queues[ref], as_of)
        balance.available = sum(left for _, left in queues[ref])
    return list(result.values())


def expired_by_provider(*, as_of: date, provider_id: int | None = None) -> dict[int, int]:
    totals: dict[int, int] = defaultdict(int)
    for balance in balances(as_of=as_of, provider_id=provider_id):
        totals[balance.provider_id] += balance.expired
    return dict(totals)
