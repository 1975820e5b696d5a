"""A return written out for its pages: the answers as the check-answers page
and the read-only view show them, section by section, and its history."""

from __future__ import annotations

from dataclasses import dataclass
from decimal import Decimal
from typing import Any

from django.utils import timezone

from homecare.returns.forms import SECTIONS, Section
from homecare.returns.models import ProviderReturn, ReturnCapacity
from homecare.returns.services import label_of
from homecare.ui import formats

NOT_ANSWERED = "Not answered"
MONEY = {"lowest_hourly_pay", "median_hourly_pay"}
PERCENTS = {"agency_hours_share", "zero_hours_share"}


def answer_text(name: str, value: Any) -> str:
    if value is None or value == "":
        return NOT_ANSWERED
    if name in MONEY:
        return f"£{Decimal(value):,.2f}"
    if name in PERCENTS:
        return formats.percent(float(value))
    if name == "care_workers_fte":
        # As entered: 61.5, not 61.50.
        return f"{Decimal(value).normalize():,f}"
    if name == "travel_time_paid":
        return formats.yes_no(value)
    if isinstance(value, int):
        return formats.count(value)
    return str(value)


def hours_text(hours: Decimal) -> str:
    return formats.number(float(hours), 1 if hours % 1 else 0)


@dataclass(frozen=True)
class Answer:
    name: str
    label: str
    text: str
    answered: bool


@dataclass(frozen=True)
class SectionAnswers:
    section: Section
    answers: list[Answer]

    @property
    def state(self) -> str:
        answered = [a.answered for a in self.answers if a.name != "comment"]
        if not answered:
            return "Optional" if self.section.slug == "comment" else "Completed"
        if all(answered):
            return "Completed"
        return "In progress" if any(answered) else "Not started"


def capacity_answers(ret: ProviderReturn, lots: list[Any]) -> list[Answer]:
    given: dict[int, ReturnCapacity] = {c.lot_id: c for c in ret.capacity.all()}
    rows = []
    for lot in lots:
        row = given.get(lot.pk)
        text = f"{hours_text(row.spare_hours_per_week)} hours a week" if row else NOT_ANSWERED
        rows.append(
            Answer(f"lot_{lot.pk}", f"Spare hours a week in {lot.name}", text, row is not None)
        )
    return rows


def sections(ret: ProviderReturn, lots: list[Any]) -> list[SectionAnswers]:
    out = []
    for section in SECTIONS:
        if section.slug == "capacity":
            out.append(SectionAnswers(section, capacity_answers(ret, lots)))
            continue
        answers = []
        for name in section.fields:
            value = getattr(ret, name)
            label = label_of(name)
            if name == "comment":
                text = value or "None"
                answers.append(Answer(name, label, text, True))
                continue
            answers.append(Answer(name, label, answer_text(name, value), value is not None))
        out.append(SectionAnswers(section, answers))
    return out


@dataclass(frozen=True)
class HistoryRow:
    when: str
    what: str
    who: str
    reason: str


def history(ret: ProviderReturn) -> list[HistoryRow]:
    rows = []
    for event in ret.events.all():
        at = timezone.localtime(event.at)
        who = event.by.get_full_name() or event.by.get_username() if event.by else "Unknown"
        via = " (API)" if event.via == "api" else ""
        rows.append(
            HistoryRow(
                f"{formats.date(at)} {at:%H:%M}",
                event.get_action_display() + via,
                who,
                event.reason,
            )
        )
    return rows


def reopen_reason(ret: ProviderReturn) -> str:
    """Why the council last reopened the return (events are prefetched)."""
    reasons = [e.reason for e in ret.events.all() if e.action == "reopened"]
    return reasons[-1] if reasons else ""
