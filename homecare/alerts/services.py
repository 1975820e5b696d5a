"""Writes of alerts: raising them (each once), marking them read, the daily
e-mail preference and the daily e-mail itself (each user once a day)."""

from __future__ import annotations

import datetime as dt
import logging
from collections.abc import Callable, Iterable

from django.conf import settings
from django.contrib.auth.models import User
from django.core.mail import send_mail
from django.db import IntegrityError, transaction
from django.urls import reverse
from django.utils import timezone

from common.months import Month
from homecare.alerts import selectors
from homecare.alerts.models import Alert, AlertPreference, AlertRead, SentDigest
from homecare.ui import formats

logger = logging.getLogger(__name__)


def _sources(today: dt.date, month: Month | None) -> dict[str, Callable[[], list]]:
    kpi_month = month or selectors.latest_kpi_month()
    return {
        "kpi_red": (lambda: selectors.turned_red(kpi_month)) if kpi_month else list,
        "cqc_downgrade": selectors.cqc_downgrades,
        "missed_returns": lambda: selectors.missed_returns(today),
        "risk_review_overdue": lambda: selectors.overdue_risk_reviews(today),
        "vulnerable_visit_missed": lambda: selectors.vulnerable_missed_visits(today),
    }


def raise_alerts(today: dt.date | None = None, *, month: Month | None = None) -> int:
    """Raise every alert the sources call for today that is not raised yet.
    `month`: the KPI month to look at for providers turning red (default the
    latest computed). Returns how many this run added. Safe to run twice or
    at once on two workers: the unique key (kind, provider, subject, day)
    turns a second insert into nothing (INSERT ... ON CONFLICT DO NOTHING)."""
    today = today or timezone.localdate()
    candidates = []
    for name, source in _sources(today, month).items():
        try:
            candidates.extend(source())
        except Exception:
            # One source failing (a bad row, a bug) must not stop the others.
            logger.exception("Alerts: the %s source failed; the next run tries again", name)
    raised = selectors.existing_keys(candidates)
    new = []
    for c in candidates:
        if c.key not in raised:
            raised.add(c.key)
            new.append(
                Alert(
                    kind=c.kind,
                    provider_id=c.provider_id,
                    subject=c.subject,
                    on=c.on,
                    message=c.message,
                    link=c.link,
                )
            )
    Alert.objects.bulk_create(new, ignore_conflicts=True, batch_size=500)
    if new:
        logger.info("Alerts: %d raised", len(new))
    return len(new)


# --- read and unread ------------------------------------------------------------------


def mark_read(user: User, alerts: Iterable[Alert]) -> None:
    AlertRead.objects.bulk_create(
        [AlertRead(user=user, alert=alert) for alert in alerts], ignore_conflicts=True
    )
    selectors.forget_unread_count(user)


def mark_unread(user: User, alert: Alert) -> None:
    AlertRead.objects.filter(user=user, alert=alert).delete()
    selectors.forget_unread_count(user)


def mark_all_read(user: User, alert_ids: Iterable[int]) -> int:
    rows = [AlertRead(user=user, alert_id=pk) for pk in alert_ids]
    AlertRead.objects.bulk_create(rows, ignore_conflicts=True, batch_size=1000)
    selectors.forget_unread_count(user)
    return len(rows)


# --- the daily e-mail -----------------------------------------------------------------


def wants_digest(user: User) -> bool:
    return AlertPreference.objects.filter(user=user, daily_digest=True).exists()


def set_digest(user: User, daily: bool) -> None:
    AlertPreference.objects.update_or_create(user=user, defaults={"daily_digest": daily})


def digest_message(user: User, alerts: list[Alert], day: dt.date) -> tuple[str, str]:
    site = str(getattr(settings, "SITE_URL", "")).rstrip("/")
    subject = f"{formats.counted(len(alerts), ('new alert', 'new alerts'))}, {formats.date(day)}"
    lines = [f"- {alert.message}" for alert in alerts]
    body = (
        f"New alerts since your last e-mail from {settings.SERVICE_NAME}:\n\n"
        + "\n".join(lines)
        + f"\n\nSee them all at {site}{reverse('alerts')}\n\n"
        f"You get this e-mail because you asked for it; stop it at "
        f"{site}{reverse('alerts')}#daily-email ({settings.COUNCIL_NAME})."
    )
    return subject, body


def send_digest(user: User, day: dt.date) -> bool:
    """The day's e-mail to one user, unless sent already or nothing is new:
    the SentDigest row and the e-mail go in one transaction, so a failed
    e-mail is tried again by the next run and a second run sends nothing."""
    last = SentDigest.objects.filter(user=user).order_by("-sent_at").first()
    since = last.sent_at if last else timezone.now() - dt.timedelta(days=1)
    alerts = selectors.new_for_digest(user, since)
    if not alerts:
        return False
    subject, body = digest_message(user, alerts, day)
    try:
        with transaction.atomic():
            SentDigest.objects.create(user=user, day=day, alerts=len(alerts))
            send_mail(subject, body, None, [user.email])
    except IntegrityError:
        return False  # sent already today
    return True


def send_digests(today: dt.date | None = None) -> int:
    today = today or timezone.localdate()
    users = User.objects.filter(alert_preference__daily_digest=True, is_active=True).exclude(
        email=""
    )
    sent = 0
    for user in users.order_by("pk"):
        try:
            sent += send_digest(user, today)
        except Exception:
            logger.exception("Alerts e-mail to user %s failed; the next run tries again", user.pk)
    return sent
