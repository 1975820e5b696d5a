"""The daily e-mail of new alerts: to those who asked for it, once a day,
with only the alerts each may see and has not read."""

from __future__ import annotations

import datetime as dt

import pytest
from django.core import mail
from django.utils import timezone

from homecare.alerts import services
from homecare.alerts.models import Alert, AlertKind, SentDigest
from homecare.alerts.tasks import send_digests_task
from providers.access import COMMISSIONER
from tests.factories import ProviderFactory, UserFactory, provider_user

pytestmark = pytest.mark.django_db

DAY = dt.date(2026, 11, 20)


def raise_one(provider, message: str, subject: str = "") -> Alert:
    return Alert.objects.create(
        kind=AlertKind.RETURN_MISSED,
        provider=provider,
        subject=subject,
        on=dt.date(2026, 10, 1),
        message=message,
    )


def test_sent_once_a_day_to_those_who_asked(settings) -> None:
    settings.EMAIL_BACKEND = "django.core.mail.backends.locmem.EmailBackend"
    acme = ProviderFactory(ref="ACME", name="Acme Care")
    bright = ProviderFactory(ref="BRIGHT", name="Bright Care")
    asked = UserFactory(username="c1", role=COMMISSIONER, email="c1@council.example")
    UserFactory(username="c2", role=COMMISSIONER, email="c2@council.example")  # did not ask
    acme_user = provider_user(acme, username="acme", email="office@acme.example")
    no_address = UserFactory(username="c3", role=COMMISSIONER, email="")
    for user in (asked, acme_user, no_address):
        services.set_digest(user, True)
    raise_one(acme, "Acme Care has not submitted its monthly return.")
    raise_one(bright, "Bright Care has not submitted its monthly return.")

    assert services.send_digests(DAY) == 2
    by_address = {m.to[0]: m for m in mail.outbox}
    assert set(by_address) == {"c1@council.example", "office@acme.example"}
    council = by_address["c1@council.example"]
    assert council.subject == "2 new alerts, 20 November 2026"
    assert "- Acme Care has not submitted its monthly return." in council.body
    assert "- Bright Care has not submitted its monthly return." in council.body
    assert "http://127.0.0.1:8000/alerts/" in council.body
    provider = by_address["office@acme.example"]
    assert provider.subject == "1 new alert, 20 November 2026"
    assert "Bright Care" not in provider.body

    # The same day again (a second beat tick, a retry): nothing.
    assert send_digests_task(DAY.isoformat()) == 0
    # The next day with nothing new: nothing.
    assert services.send_digests(DAY + dt.timedelta(days=1)) == 0
    # Something new: only that, the next day.
    raise_one(acme, "Acme Care has not sent its ECM visits file.", subject="ecm")
    assert services.send_digests(DAY + dt.timedelta(days=2)) == 2
    assert all("ECM visits file" in m.body for m in mail.outbox[2:])
    assert all("monthly return" not in m.body.split("\n\nSee")[0] for m in mail.outbox[2:])
    assert SentDigest.objects.count() == 4


def test_read_alerts_are_not_sent_and_a_failed_email_is_tried_again(settings, monkeypatch) -> None:
    settings.EMAIL_BACKEND = "django.core.mail.backends.locmem.EmailBackend"
    acme = ProviderFactory(ref="ACME", name="Acme Care")
    user = UserFactory(username="c1", role=COMMISSIONER, email="c1@council.example")
    services.set_digest(user, True)
    read = raise_one(acme, "Read already.", subject="a")
    services.mark_read(user, [read])
    assert services.send_digests(DAY) == 0

    raise_one(acme, "Not read yet.", subject="b")

    def refuse(*args, **kwargs):
        raise ConnectionRefusedError("SMTP down")

    monkeypatch.setattr("homecare.alerts.services.send_mail", refuse)
    assert services.send_digests(DAY) == 0
    assert not SentDigest.objects.exists()
    monkeypatch.undo()
    assert services.send_digests(DAY) == 1
    assert "Not read yet." in mail.outbox[0].body and "Read already." not in mail.outbox[0].body


def test_alerts_older_than_a_day_are_not_in_the_first_email(settings) -> None:
    settings.EMAIL_BACKEND = "django.core.mail.backends.locmem.EmailBackend"
    acme = ProviderFactory(ref="ACME", name="Acme Care")
    old = raise_one(acme, "Last week's.", subject="old")
    Alert.objects.filter(pk=old.pk).update(raised_at=timezone.now() - dt.timedelta(days=7))
    user = UserFactory(username="c1", role=COMMISSIONER, email="c1@council.example")
    services.set_digest(user, True)
    assert services.send_digests(DAY) == 0
