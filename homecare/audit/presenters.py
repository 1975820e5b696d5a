"""An audit row in plain words, as the history sections print it:

    Changed by Jo Smith on 3 March 2026 at 14:05: late visit limit 10% → 12%

Labels are the fields' verbose names unless the page gives its own (the KPI
registry's names on the thresholds pages); values are written as the pages
write them (homecare/ui/formats.py): a threshold share as 10%, a date as
5 October 2026, a choice by its label, an empty value as the page says
("inherited", "Not recorded").
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable, Iterable, Mapping
from dataclasses import dataclass, field
from decimal import Decimal, InvalidOperation
from typing import Any

from auditlog.models import LogEntry
from django.core.exceptions import FieldDoesNotExist, ValidationError
from django.db import models
from django.utils import timezone

from homecare.audit.ratings import PREFIX as RATING
from homecare.audit.selectors import assessment_changes
from homecare.audit.tracked import HIDDEN
from homecare.ui import formats
from reviews.models import Rating

Writer = Callable[[Any], str]
# A page's labels: the same for every row, or chosen by the row (each RAG
# limit is written in its own measure's unit).
Labels = Mapping[str, "Label"] | Callable[[LogEntry], Mapping[str, "Label"]]
SYSTEM = "the system"
VERBS = {
    LogEntry.Action.CREATE: "Created",
    LogEntry.Action.UPDATE: "Changed",
    LogEntry.Action.DELETE: "Deleted",
    LogEntry.Action.ACCESS: "Viewed",
}
LONG_TEXT = 80


@dataclass(frozen=True)
class Label:
    """How one field reads in a history: its name, and how to write a value
    (given the value as the model holds it; None when empty)."""

    name: str
    write: Writer | None = None
    empty: str = "Not recorded"


@dataclass(frozen=True)
class Change:
    label: str
    before: str
    after: str

    def __str__(self) -> str:
        if not self.before:  # a new row: its values, no "before"
            return f"{self.label}: {self.after}"
        return f"{self.label} {self.before} → {self.after}"


@dataclass(frozen=True)
class Line:
    verb: str
    who: str
    when: str
    at: dt.datetime
    subject: str = ""
    changes: list[Change] = field(default_factory=list)
    extra: list[str] = field(default_factory=list)

    @property
    def size(self) -> int:
        return len(self.changes) + len(self.extra)

    @property
    def heading(self) -> str:
        return f"{self.verb} by {self.who} on {self.when}"

    def __str__(self) -> str:
        parts = [str(change) for change in self.changes] + self.extra
        return self.heading + (": " + "; ".join(parts) if parts else "")


def who(entry: LogEntry) -> str:
    actor = entry.actor
    if actor is None:
        # A Celery task or command, or someone whose account has since gone.
        return entry.actor_email or SYSTEM
    return actor.get_full_name() or actor.get_username()


def when(moment: dt.datetime) -> str:
    """3 March 2026 at 14:05, in the service's time zone. django-auditlog
    stores a changed date-time naive, in UTC."""
    if timezone.is_naive(moment):
        moment = timezone.make_aware(moment, dt.UTC)
    local = timezone.localtime(moment)
    return f"{formats.date(local)} at {local:%H:%M}"


def _from_text(model_field: models.Field, raw: Any) -> Any:
    """A value as auditlog stored it (text) back to what the model holds."""
    if raw is None or raw == "None" or raw == "":
        return None
    if isinstance(model_field, models.ForeignKey):
        return raw  # stored as the related row's name (AUDITLOG_USE_FK_STRING_REPRESENTATION)
    try:
        return model_field.to_python(raw)
    except (ValidationError, InvalidOperation, ValueError, TypeError):
        return raw


def _write_default(model_field: models.Field | None, value: Any) -> str:
    if model_field is not None and model_field.choices:
        return str(dict(model_field.flatchoices).get(value, value))
    if isinstance(value, bool):
        return formats.yes_no(value)
    if isinstance(value, dt.datetime):
        return when(value)
    if isinstance(value, dt.date):
        return formats.date(value)
    if isinstance(value, Decimal):
        if isinstance(model_field, models.DecimalField) and model_field.decimal_places:
            return f"{value:,.{model_field.decimal_places}f}"  # money as 21.50
        text = f"{value:,f}"
        return text.rstrip("0").rstrip(".") if "." in text else text
    if isinstance(value, int):
        return formats.count(value)
    text = str(value)
    if len(text) > LONG_TEXT:
        text = text[: LONG_TEXT - 1].rstrip() + "…"
    return f"“{text}”" if model_field is not None and _is_text(model_field) else text


def _is_text(model_field: models.Field) -> bool:
    return isinstance(model_field, models.CharField | models.TextField) and not model_field.choices


def _field(model: type[models.Model] | None, name: str) -> models.Field | None:
    if model is None:
        return None
    try:
        found = model._meta.get_field(name)
    except FieldDoesNotExist:
        return None
    return found if isinstance(found, models.Field) else None


def _label_for(model_field: models.Field | None, name: str, labels: Mapping[str, Label]) -> Label:
    if name in labels:
        return labels[name]
    verbose = str(model_field.verbose_name) if model_field is not None else name.replace("_", " ")
    return Label(verbose[:1].upper() + verbose[1:])


def _write(label: Label, model_field: models.Field | None, raw: Any) -> str:
    if model_field is not None:
        value = _from_text(model_field, raw)
    else:
        value = None if raw in (None, "None", "") else raw
    if value is None or value == "":
        return label.empty
    if label.write is not None:
        return label.write(value)
    return _write_default(model_field, value)


def _m2m(label: Label, change: Mapping[str, Any]) -> str:
    names = ", ".join(str(name) for name in change.get("objects", []))
    verb = "added" if change.get("operation") == "add" else "removed"
    return f"{label.name}: {verb} {names}"


def _field_order(model: type[models.Model] | None) -> dict[str, int]:
    """Changes in the order of the model's fields, as its form shows them."""
    if model is None:
        return {}
    return {f.name: index for index, f in enumerate(model._meta.concrete_fields)}


def _readable(model_field: models.Field | None, name: str, labels: Mapping[str, Label]) -> bool:
    """Fields a reader cares about: not the row's id, not a stamp the line
    already gives (created at), not a reverse relation auditlog lists."""
    if name in labels:
        return True
    if model_field is None or not model_field.concrete or model_field.primary_key:
        return False
    return not (
        getattr(model_field, "auto_now", False) or getattr(model_field, "auto_now_add", False)
    )


def _change(
    label: Label, model_field: models.Field | None, values: Any, created: bool
) -> Change | None:
    before, after = values
    if created and after in (None, "None", ""):
        return None  # a new row's empty fields say nothing
    written_after = _write(label, model_field, after)
    if created:
        return Change(label.name, "", written_after)
    written_before = _write(label, model_field, before)
    if written_before == written_after:
        return None  # 15 and 15.00: the same to a reader
    return Change(label.name, written_before, written_after)


def line(
    entry: LogEntry,
    labels: Labels | None = None,
    subject: Callable[[LogEntry], str] | None = None,
) -> Line:
    if callable(labels):
        labels = labels(entry)
    labels = labels or {}
    model = entry.content_type.model_class() if entry.content_type_id else None
    named: list[tuple[str, Change]] = []
    extra: list[str] = []
    if entry.action in (LogEntry.Action.UPDATE, LogEntry.Action.CREATE):
        created = entry.action == LogEntry.Action.CREATE
        for name, values in (entry.changes_dict or {}).items():
            model_field = _field(model, name)
            label = _label_for(model_field, name, labels)
            if isinstance(values, dict) and values.get("type") == "m2m":
                extra.append(_m2m(label, values))
            elif list(values) == [HIDDEN, HIDDEN]:
                extra.append(f"{label.name} changed")  # a password: that it changed, no more
            elif _readable(model_field, name, labels):
                change = _change(label, model_field, values, created)
                if change is not None:
                    named.append((name, change))
    order = _field_order(model)
    changes = [
        change for _, change in sorted(named, key=lambda pair: order.get(pair[0], len(order)))
    ]
    return Line(
        verb=VERBS.get(entry.action, "Recorded"),
        who=who(entry),
        when=when(entry.timestamp),
        at=entry.timestamp,
        subject=subject(entry) if subject else "",
        changes=changes,
        extra=extra,
    )


def history(
    entries: Iterable[LogEntry],
    labels: Labels | None = None,
    subject: Callable[[LogEntry], str] | None = None,
) -> list[Line]:
    """Lines for the history include (templates/audit/_history.html)."""
    return [line(entry, labels, subject) for entry in entries]


def object_name(entry: LogEntry) -> str:
    """What a row was, as it read when changed: "KPI thresholds for Lot A"."""
    return entry.object_repr


def kind_and_name(entry: LogEntry) -> str:
    """ "Action plan: Action plan for assessment 4" for a history over several kinds."""
    model = entry.content_type.model_class() if entry.content_type_id else None
    kind = str(model._meta.verbose_name) if model is not None else "Record"
    return f"{kind[:1].upper()}{kind[1:]}: {entry.object_repr}"


def assessment_history(assessment: Any) -> list[Line]:
    """The changes to a quality assessment, its action plan, the plan's
    actions and overridden ratings, each line naming what was changed."""
    return history(
        assessment_changes(assessment), labels=_assessment_labels, subject=_assessment_subject
    )


NOT_RATED = "Not rated"


def _assessment_labels(entry: LogEntry) -> dict[str, Label]:
    """A question's rating, recorded under "rating:<code>" (homecare/audit/ratings.py)."""
    names = dict(Rating.choices)
    return {
        key: Label(f"{key.removeprefix(RATING)} rating", lambda v: str(names.get(v, v)), NOT_RATED)
        for key in (entry.changes_dict or {})
        if key.startswith(RATING)
    }


def _assessment_subject(entry: LogEntry) -> str:
    model = entry.content_type.model_class() if entry.content_type_id else None
    if model is not None and model._meta.model_name == "assessment":
        return "Assessment details"
    return kind_and_name(entry)
