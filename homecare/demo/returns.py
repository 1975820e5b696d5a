"""Monthly returns for the demo market (issue 14): every provider's return
for the demo's months, most on time, two providers late, one return missing
(the month before the last, whose due date has passed), and for the last
month some still to come, so the tracker, the provider home page and the
figures from returns all have something to show.

Drawn from a random.Random of its own, so adding returns changes nothing
else of the market. The demo provider also gets an API token whose secret is
thrown away: the tokens page shows one, and no usable token is printed or kept.
"""

from __future__ import annotations

import datetime as dt
import random
from collections.abc import Sequence
from decimal import Decimal

from django.contrib.auth.models import User
from django.db.models import Count, F
from django.utils import timezone

from common.months import LONDON, Month
from contracts.models import Contract
from homecare.api.services import create_token
from homecare.demo.users import demo_provider
from homecare.returns.due import due_date
from homecare.returns.models import (
    DueKind,
    ProviderReturn,
    ReturnAction,
    ReturnCapacity,
    ReturnEvent,
    ReturnStatus,
)
from providers.models import Provider, ProviderStatus, ProviderUser
from visits.models import ImportKind, ImportOutcome, ImportRecord

SEED = 14
LATE_PROVIDERS = 2


def _at(day: dt.date, hour: int) -> dt.datetime:
    return dt.datetime.combine(day, dt.time(hour, 0), tzinfo=LONDON)


def _answers(rng: random.Random, packages: int) -> dict[str, object]:
    """Plausible answers for a provider of that many care packages: about one
    care worker to three packages, monthly turnover near the sector's (a third
    a year), complaints and concerns in proportion to the people supported."""
    headcount = max(8, packages // 3 + rng.randint(-3, 6))

    def some(rate: float) -> int:
        return max(0, round(headcount * rate * rng.uniform(0.3, 1.7)))

    received = max(0, round(packages * rng.uniform(0.0, 0.012)))
    lowest = Decimal(rng.choice(("12.40", "12.60", "12.85", "13.10", "13.45", "13.60")))
    return {
        "complaints_received": received,
        "complaints_upheld": rng.randint(0, received),
        "compliments": max(0, round(packages * rng.uniform(0.0, 0.04))),
        "safeguarding_concerns": max(0, round(packages * rng.uniform(0.0, 0.03))),
        "incidents": max(0, round(packages * rng.uniform(0.0, 0.04))),
        "care_workers_headcount": headcount,
        "care_workers_fte": Decimal(round(headcount * rng.uniform(0.6, 0.85), 1)),
        "starters": some(0.03),
        "leavers": some(0.028),
        "vacancies": some(0.08),
        "agency_hours_share": Decimal(rng.choice((0, 0, 1, 2, 4, 7, 12))),
        "lowest_hourly_pay": lowest,
        "median_hourly_pay": lowest + Decimal(rng.choice(("0.20", "0.45", "0.70"))),
        "zero_hours_share": Decimal(rng.choice((0, 10, 25, 40, 60))),
        "travel_time_paid": rng.random() < 0.7,
        "care_certificate_completions": some(0.02),
        "comment": "",
    }


def seed_demo_returns(end_month: tuple[int, int]) -> int:
    """The demo's returns, their history under the demo provider's login, and
    its (unusable) token."""
    user = User.objects.filter(username="provider").first()
    count = seed_returns(end_month, user)
    provider = demo_provider()
    if user is not None and provider is not None:
        # Its secret is discarded here: nobody can use it, and nothing prints it.
        create_token(user=user, name="Demo ECM system (secret not kept)", provider=provider)
    return count


def seed_returns(end_month: tuple[int, int], demo_user: User | None = None) -> int:
    """Write the demo's returns; returns how many. Three queries and bulk writes."""
    rng = random.Random(SEED)
    now = timezone.now()
    last = Month.of(dt.date(end_month[0], end_month[1], 1))
    months = [last.previous().previous(), last.previous(), last]
    providers = list(
        Provider.objects.filter(status=ProviderStatus.ACTIVE)
        .annotate(n=Count("packages"))
        .order_by("ref")
    )
    lots: dict[int, set[int]] = {}
    for provider_id, lot_id in Contract.objects.values_list("provider_id", "lot_id"):
        lots.setdefault(provider_id, set()).add(lot_id)
    late = {p.pk for p in providers[1 : 1 + LATE_PROVIDERS]}
    missing = providers[-1].pk if providers else None
    made: list[tuple[ProviderReturn, list[tuple[str, dt.datetime]], list[int]]] = []
    # (A draft's steps are only "started"; a submitted return's add "submitted".)
    for month in months:
        due = due_date(month, DueKind.RETURN)
        for index, provider in enumerate(providers):
            answers = _answers(rng, provider.n)
            capacity = sorted(lots.get(provider.pk, ()))
            if month == months[1] and provider.pk == missing:
                continue  # the one return never sent
            if provider.pk in late and month != last:
                submitted = _at(due + dt.timedelta(days=rng.randint(2, 9)), 11)
            else:
                submitted = _at(due - dt.timedelta(days=rng.randint(0, 6)), 10)
            started = submitted - dt.timedelta(days=rng.randint(1, 4), hours=2)
            if submitted > now:
                # The last month's return is not due yet: some are in, some drafts, some not begun.
                if index % 3 == 0:
                    continue
                if index % 3 == 1:
                    ret = ProviderReturn(provider=provider, month=month.first, **answers)
                    begun = min(started, now - dt.timedelta(hours=index + 2))
                    made.append((ret, [(ReturnAction.STARTED, begun)], capacity))
                    continue
                submitted = now - dt.timedelta(hours=index + 1)
                started = submitted - dt.timedelta(days=1)
            ret = ProviderReturn(
                provider=provider,
                month=month.first,
                status=ReturnStatus.SUBMITTED,
                first_submitted_at=submitted,
                submitted_at=submitted,
                **answers,
            )
            made.append(
                (
                    ret,
                    [(ReturnAction.STARTED, started), (ReturnAction.SUBMITTED, submitted)],
                    capacity,
                )
            )
    ProviderReturn.objects.bulk_create([ret for ret, _, _ in made])
    own = _provider_of(demo_user) if demo_user is not None else None
    events: list[ReturnEvent] = []
    spare: list[ReturnCapacity] = []
    for ret, steps, capacity in made:
        by = demo_user if ret.provider_id == own else None
        events += [
            ReturnEvent(provider_return=ret, action=action, at=at, by=by, via="page")
            for action, at in steps
        ]
        spare += [
            ReturnCapacity(
                provider_return=ret,
                lot_id=lot_id,
                spare_hours_per_week=Decimal(rng.choice((0, 0, 10, 20, 35, 50, 80))),
            )
            for lot_id in capacity
        ]
    ReturnEvent.objects.bulk_create(events)
    ReturnCapacity.objects.bulk_create(spare)
    _ecm_records(rng, providers, months[:-1], late, now)
    return len(made)


def _ecm_records(
    rng: random.Random,
    providers: Sequence[Provider],
    months: list[Month],
    late: set[int],
    now: dt.datetime,
) -> None:
    """When each provider's ECM file for the earlier demo months arrived. The
    demo loads every visit from one market file at build time, which would
    make every earlier month's file look late; these records say when each
    provider's own file came (two providers late), without loading anything."""
    records = []
    for month in months:
        due = due_date(month, DueKind.ECM_FILE)
        for provider in providers:
            days = rng.randint(1, 6) if provider.pk in late else -rng.randint(0, 5)
            arrived = min(_at(due + dt.timedelta(days=days), 9), now)
            records.append(
                ImportRecord(
                    kind=ImportKind.VISITS,
                    file_name=f"ecm-{provider.ref}-{month.key}.csv",
                    provider=provider,
                    outcome=ImportOutcome.SUCCEEDED,
                    started_at=arrived,
                    finished_at=arrived,
                    months_touched=[month.key],
                    summary=(
                        f"Demo: {provider.name}'s ECM file for {month.key}. Its visits are "
                        "in the demo market's visits file, loaded with the market."
                    ),
                )
            )
    ImportRecord.objects.bulk_create(records)
    # Listed under the day each arrived, not the day the demo was built.
    ImportRecord.objects.filter(provider__isnull=False, summary__startswith="Demo: ").update(
        created_at=F("finished_at")
    )


def _provider_of(user: User) -> int | None:
    membership = ProviderUser.objects.filter(user=user).first()
    return membership.provider_id if membership is not None else None
