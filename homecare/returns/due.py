"""When a month's ECM file and return are due, and what their state is: on
time, late, missing, or not yet due. Pure date logic; the queries are in
selectors.py."""

from __future__ import annotations

import calendar
import datetime as dt
from dataclasses import dataclass

from django.conf import settings

from common.months import LONDON, Month
from homecare.returns.models import DueKind

ON_TIME, LATE, MISSING, DUE, IN_PROGRESS = "on_time", "late", "missing", "due", "in_progress"
STATE_LABELS = {
    ON_TIME: "Received on time",
    LATE: "Received late",
    MISSING: "Missing",
    DUE: "Not due yet",
    IN_PROGRESS: "Draft, not submitted",
}
STATE_TAGS = {
    ON_TIME: "govuk-tag--green",
    LATE: "govuk-tag--yellow",
    MISSING: "govuk-tag--red",
    DUE: "govuk-tag--grey",
    IN_PROGRESS: "govuk-tag--blue",
}


def due_day(kind: str) -> int:
    if kind == DueKind.ECM_FILE:
        return int(getattr(settings, "ECM_FILE_DUE_DAY", 10))
    return int(getattr(settings, "RETURN_DUE_DAY", 15))


def due_date(month: Month, kind: str) -> dt.date:
    """The configured day of the month after `month` (the month's last day if
    the day is past it: a due day of 31 means 30 April in April)."""
    following = month.last + dt.timedelta(days=1)
    last = calendar.monthrange(following.year, following.month)[1]
    return following.replace(day=min(max(due_day(kind), 1), last))


def london_date(moment: dt.datetime) -> dt.date:
    return moment.astimezone(LONDON).date()


@dataclass(frozen=True)
class DueItem:
    """One thing a provider owes for a month."""

    kind: str
    month: Month
    due: dt.date
    received_at: dt.datetime | None
    state: str

    @property
    def label(self) -> str:
        return DueKind(self.kind).label

    @property
    def state_label(self) -> str:
        return STATE_LABELS[self.state]

    @property
    def tag_class(self) -> str:
        return STATE_TAGS[self.state]

    @property
    def outstanding(self) -> bool:
        return self.state in (MISSING, DUE, IN_PROGRESS)

    @property
    def days_late(self) -> int:
        if self.received_at is not None:
            return max((london_date(self.received_at) - self.due).days, 0)
        return 0


def state_of(
    due: dt.date, received_at: dt.datetime | None, today: dt.date, *, draft: bool = False
) -> str:
    """On time if received on or before the due date (London time), late after
    it; not received: missing once the due date has passed."""
    if received_at is not None:
        return ON_TIME if london_date(received_at) <= due else LATE
    if today > due:
        return MISSING
    return IN_PROGRESS if draft else DUE


def item(
    kind: str,
    month: Month,
    received_at: dt.datetime | None,
    today: dt.date,
    *,
    draft: bool = False,
) -> DueItem:
    due = due_date(month, kind)
    return DueItem(kind, month, due, received_at, state_of(due, received_at, today, draft=draft))
