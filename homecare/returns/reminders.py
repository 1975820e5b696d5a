"""Reminder e-mails about the ECM file and the return: a configurable number
of days before the due date, and once when it has passed, to the provider's
users. Each (provider, month, thing, stage) is sent at most once: the
SentReminder row is inserted before the e-mail goes, in one transaction, and
its unique constraint turns a second attempt (another worker, another beat
tick, a retry) into nothing. If the e-mail fails, the row is rolled back and
the next run tries again."""

from __future__ import annotations

import datetime as dt
import logging
from dataclasses import dataclass

from django.conf import settings
from django.contrib.auth.models import User
from django.core.mail import send_mail
from django.db import IntegrityError, transaction
from django.urls import reverse
from django.utils import timezone

from common.months import Month
from homecare.returns import due, selectors
from homecare.returns.models import DueKind, ReminderStage, SentReminder
from homecare.ui import formats
from providers.models import Provider

logger = logging.getLogger(__name__)


def days_before() -> int:
    return int(getattr(settings, "REMINDER_DAYS_BEFORE", 3))


@dataclass(frozen=True)
class Reminder:
    provider: Provider
    month: Month
    kind: str
    stage: str
    due: dt.date


def stage_for(item: due.DueItem, today: dt.date) -> str | None:
    """Which reminder, if any, an item calls for today."""
    if item.received_at is not None:
        return None
    if today > item.due:
        return ReminderStage.OVERDUE
    if today >= item.due - dt.timedelta(days=days_before()):
        return ReminderStage.DUE_SOON
    return None


def reminders_due(today: dt.date) -> list[Reminder]:
    """Every reminder that today calls for, sent or not."""
    found = []
    providers = selectors.tracked_providers()
    # Last month's: its due dates fall in this month, so each reminder has
    # its day here (the overdue one on the day after the due date, or the
    # first run after it).
    month = Month.of(today).previous()
    for row in selectors.month_tracker(month, today, providers):
        for item in (row.ecm, row.provider_return):
            stage = stage_for(item, today)
            if stage:
                found.append(Reminder(row.provider, month, item.kind, stage, item.due))
    return found


def recipients(provider: Provider) -> list[str]:
    users = User.objects.filter(provider_membership__provider=provider, is_active=True)
    return sorted({u.email for u in users if u.email})


def message(reminder: Reminder) -> tuple[str, str]:
    what = "ECM visits file" if reminder.kind == DueKind.ECM_FILE else "monthly return"
    site = str(getattr(settings, "SITE_URL", "")).rstrip("/")
    month = formats.month_name(reminder.month.first)
    when = formats.date(reminder.due)
    if reminder.kind == DueKind.RETURN:
        path = reverse("return", kwargs={"ref": reminder.provider.ref, "month": reminder.month.key})
        action = f"Fill it in at {site}{path}"
    else:
        action = f"Upload it at {site}{reverse('upload')}, or send it through the API."
    if reminder.stage == ReminderStage.OVERDUE:
        subject = f"Overdue: your {what} for {month}"
        opening = f"Your {what} for {month} was due by {when} and has not been received."
    else:
        subject = f"Reminder: your {what} for {month} is due by {when}"
        opening = f"Your {what} for {month} is due by {when}."
    body = (
        f"{opening}\n\n{action}\n\n"
        f"This e-mail is sent to {reminder.provider.name}'s users of "
        f"{settings.SERVICE_NAME} ({settings.COUNCIL_NAME})."
    )
    return subject, body


def send(reminder: Reminder) -> bool:
    """Send one reminder unless it has been sent; True if this call sent it."""
    to = recipients(reminder.provider)
    if not to:
        # Nobody to tell: nothing is recorded, so it goes once someone has an address.
        logger.warning("No e-mail address for %s's users", reminder.provider.ref)
        return False
    subject, body = message(reminder)
    try:
        with transaction.atomic():
            SentReminder.objects.create(
                provider=reminder.provider,
                month=reminder.month.first,
                kind=reminder.kind,
                stage=reminder.stage,
                sent_at=timezone.now(),
                recipients=len(to),
            )
            send_mail(subject, body, None, to)
    except IntegrityError:
        return False  # sent already
    return True


def send_due_reminders(today: dt.date | None = None) -> int:
    today = today or timezone.localdate()
    sent = 0
    for reminder in reminders_due(today):
        try:
            sent += send(reminder)
        except Exception:
            # One provider's mail failing must not stop the others'.
            logger.exception(
                "Reminder to %s failed; the next run tries again", reminder.provider.ref
            )
    return sent
