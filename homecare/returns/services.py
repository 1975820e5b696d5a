"""Writing returns: start, save as draft, submit, reopen. Each step keeps an
event in the return's history. A submitted return is locked: only a
commissioner's reopening (with a reason) makes it editable again."""

from __future__ import annotations

from collections.abc import Mapping
from decimal import Decimal
from typing import Any

from django.contrib.auth.models import User
from django.db import transaction
from django.utils import timezone

from common.months import Month
from contracts.models import Lot
from homecare.returns.models import (
    ProviderReturn,
    ReturnAction,
    ReturnCapacity,
    ReturnEvent,
    ReturnStatus,
)
from providers.models import Provider

# Every answer a return must have before it is submitted (the comment is optional).
REQUIRED = (
    "complaints_received",
    "complaints_upheld",
    "compliments",
    "safeguarding_concerns",
    "incidents",
    "care_workers_headcount",
    "care_workers_fte",
    "starters",
    "leavers",
    "vacancies",
    "agency_hours_share",
    "lowest_hourly_pay",
    "median_hourly_pay",
    "zero_hours_share",
    "travel_time_paid",
    "care_certificate_completions",
)
ANSWER_FIELDS = (*REQUIRED, "comment")


class ReturnLocked(Exception):
    """The return is submitted: it changes only after a commissioner reopens it."""

    def __init__(self) -> None:
        super().__init__(
            "This return has been submitted and is locked. Ask the council to reopen it."
        )


class ReturnIncomplete(Exception):
    def __init__(self, missing: list[str]):
        super().__init__("Answer every question before submitting: " + ", ".join(missing))
        self.missing = missing


class CannotReopen(Exception):
    pass


def _event(
    ret: ProviderReturn, action: str, user: User | None, via: str, reason: str = ""
) -> ReturnEvent:
    return ReturnEvent.objects.create(
        provider_return=ret, action=action, at=timezone.now(), by=user, via=via, reason=reason
    )


def _locked_row(ret: ProviderReturn) -> ProviderReturn:
    """The return re-read under a row lock, so two saves or a save and a
    submit cannot interleave."""
    return ProviderReturn.objects.select_for_update().get(pk=ret.pk)


@transaction.atomic
def start_return(
    *, provider: Provider, month: Month, user: User | None, via: str = "page"
) -> ProviderReturn:
    ret, created = ProviderReturn.objects.get_or_create(provider=provider, month=month.first)
    if created:
        _event(ret, ReturnAction.STARTED, user, via)
    return ret


def provider_lots(provider: Provider) -> list[Lot]:
    """The lots the provider holds a contract in: where it can declare spare capacity."""
    return list(Lot.objects.filter(contracts__provider=provider).distinct().order_by("name"))


@transaction.atomic
def save_answers(
    *,
    provider_return: ProviderReturn,
    answers: Mapping[str, Any],
    user: User | None,
    capacity: Mapping[int, Decimal | None] | None = None,
    via: str = "page",
) -> ProviderReturn:
    """Save some or all answers as a draft. `capacity` maps lot ids to spare
    hours a week (None clears a lot's answer); lots outside the provider's
    contracts are refused."""
    ret = _locked_row(provider_return)
    if ret.locked:
        raise ReturnLocked
    for name, value in answers.items():
        if name not in ANSWER_FIELDS:
            raise ValueError(f"{name} is not a question of the return")
        setattr(ret, name, "" if name == "comment" and value is None else value)
    ret.updated_by = user
    ret.save()
    if capacity is not None:
        allowed = {lot.pk for lot in provider_lots(ret.provider)}
        unknown = set(capacity) - allowed
        if unknown:
            raise ValueError("Spare capacity can be given only for lots the provider works in")
        for lot_id, hours in capacity.items():
            if hours is None:
                ReturnCapacity.objects.filter(provider_return=ret, lot_id=lot_id).delete()
            else:
                ReturnCapacity.objects.update_or_create(
                    provider_return=ret, lot_id=lot_id, defaults={"spare_hours_per_week": hours}
                )
    _event(ret, ReturnAction.SAVED, user, via)
    return ret


def label_of(name: str) -> str:
    """A question's label, as the pages ask it."""
    field = ProviderReturn._meta.get_field(name)
    return str(getattr(field, "verbose_name", name))


def missing_answers(ret: ProviderReturn) -> list[str]:
    return [name for name in REQUIRED if getattr(ret, name) is None]


@transaction.atomic
def submit_return(
    *, provider_return: ProviderReturn, user: User | None, via: str = "page"
) -> ProviderReturn:
    ret = _locked_row(provider_return)
    if ret.locked:
        raise ReturnLocked
    missing = missing_answers(ret)
    if missing:
        raise ReturnIncomplete([label_of(name) for name in missing])
    again = ret.status == ReturnStatus.REOPENED
    now = timezone.now()
    ret.status = ReturnStatus.SUBMITTED
    ret.submitted_at = now
    ret.submitted_by = user
    if ret.first_submitted_at is None:
        ret.first_submitted_at = now
    ret.save()
    _event(ret, ReturnAction.RESUBMITTED if again else ReturnAction.SUBMITTED, user, via)
    return ret


@transaction.atomic
def reopen_return(*, provider_return: ProviderReturn, user: User, reason: str) -> ProviderReturn:
    """A commissioner unlocks a submitted return so the provider can correct
    it; the reason stays in the history."""
    reason = reason.strip()
    if not reason:
        raise CannotReopen("Enter the reason for reopening the return")
    ret = _locked_row(provider_return)
    if ret.status != ReturnStatus.SUBMITTED:
        raise CannotReopen("Only a submitted return can be reopened")
    ret.status = ReturnStatus.REOPENED
    ret.save(update_fields=["status", "updated_at"])
    _event(ret, ReturnAction.REOPENED, user, "page", reason)
    return ret
