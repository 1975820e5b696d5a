"""Reminder e-mails: before the due date and once overdue, each sent once,
whoever runs the job and however often."""

from __future__ import annotations

import datetime as dt

import pytest
from django.contrib.auth.models import Group
from django.core import mail

from homecare.returns.models import ProviderReturn, ReturnStatus, SentReminder
from homecare.returns.reminders import send_due_reminders
from providers.access import ROLES
from tests.factories import ProviderFactory, provider_user
from tests.worker import celery_worker

# October 2026: the ECM file is due 10 November, the return 15 November;
# reminders go 3 days before (the default).
BEFORE_ECM = dt.date(2026, 11, 8)
ECM_LATE_RETURN_SOON = dt.date(2026, 11, 13)
BOTH_LATE = dt.date(2026, 11, 16)


def a_provider_with_users(ref: str = "P1"):
    provider = ProviderFactory(ref=ref, name=f"Care {ref}")
    provider_user(provider, username=f"{ref}-a", email=f"manager@{ref.lower()}.example")
    provider_user(provider, username=f"{ref}-b", email=f"office@{ref.lower()}.example")
    provider_user(provider, username=f"{ref}-c", email="")  # no address: skipped
    return provider


@pytest.mark.django_db
def test_each_reminder_goes_once(settings):
    settings.EMAIL_BACKEND = "django.core.mail.backends.locmem.EmailBackend"
    provider = a_provider_with_users()

    assert send_due_reminders(dt.date(2026, 11, 1)) == 0  # too early for either
    assert send_due_reminders(BEFORE_ECM) == 1
    (first,) = mail.outbox
    assert first.subject == (
        "Reminder: your ECM visits file for October 2026 is due by 10 November 2026"
    )
    assert sorted(first.to) == ["manager@p1.example", "office@p1.example"]
    assert "http://127.0.0.1:8000/imports/upload/" in first.body
    assert send_due_reminders(BEFORE_ECM) == 0  # the same day again: nothing

    assert send_due_reminders(ECM_LATE_RETURN_SOON) == 2
    subjects = sorted(m.subject for m in mail.outbox[1:])
    assert subjects[0].startswith("Overdue: your ECM visits file for October 2026")
    assert subjects[1].startswith("Reminder: your monthly return for October 2026")

    # Submitted on the 15th: no overdue reminder for the return.
    ProviderReturn.objects.create(
        provider=provider,
        month=dt.date(2026, 10, 1),
        status=ReturnStatus.SUBMITTED,
        first_submitted_at=dt.datetime(2026, 11, 15, 9, tzinfo=dt.UTC),
    )
    assert send_due_reminders(BOTH_LATE) == 0
    assert send_due_reminders(BOTH_LATE + dt.timedelta(days=5)) == 0
    assert len(mail.outbox) == 3
    assert SentReminder.objects.count() == 3


@pytest.mark.django_db
def test_a_failed_email_is_tried_again(settings, monkeypatch):
    settings.EMAIL_BACKEND = "django.core.mail.backends.locmem.EmailBackend"
    a_provider_with_users()

    def refuse(*args, **kwargs):
        raise ConnectionRefusedError("SMTP down")

    monkeypatch.setattr("homecare.returns.reminders.send_mail", refuse)
    assert send_due_reminders(BEFORE_ECM) == 0
    assert not SentReminder.objects.exists()
    monkeypatch.undo()
    assert send_due_reminders(BEFORE_ECM) == 1


@pytest.mark.django_db(transaction=True)
def test_reminders_through_a_real_worker_go_once(tmp_path):
    """Several runs of the beat job at once, on a real worker, send each
    reminder once: the unique constraint decides, not the timing."""
    # An earlier transactional test may have flushed the role groups that a
    # data migration made.
    for role in ROLES:
        Group.objects.get_or_create(name=role)
    a_provider_with_users("P1")
    a_provider_with_users("P2")
    env = {"EMAIL_BACKEND": "django.core.mail.backends.locmem.EmailBackend"}
    with celery_worker(tmp_path / "worker.log", env=env) as client:
        day = ECM_LATE_RETURN_SOON.isoformat()
        results = [client.send_task("returns.send_reminders", args=[day]) for _ in range(3)]
        sent = [result.get(timeout=60) for result in results]
        again = client.send_task("returns.send_reminders", args=[day]).get(timeout=60)
    # Two providers, each an overdue ECM file and a return due soon.
    assert sum(sent) == 4 and again == 0
    rows = SentReminder.objects.order_by("provider__ref", "kind")
    assert [(r.provider.ref, r.kind, r.stage, r.recipients) for r in rows] == [
        ("P1", "ecm", "overdue", 2),
        ("P1", "return", "due_soon", 2),
        ("P2", "ecm", "overdue", 2),
        ("P2", "return", "due_soon", 2),
    ]
