"""Alerts are raised from each source once, however often the job runs and
on however many workers."""

from __future__ import annotations

import datetime as dt

import pytest
from django.contrib.auth.models import Group

from common.months import Month
from homecare.alerts.models import Alert
from homecare.alerts.services import raise_alerts
from providers.access import ROLES
from tests.alerts.data import OCT, SEP, TODAY, every_kind, expected_keys, store
from tests.factories import ProviderFactory
from tests.worker import celery_worker


def keys() -> set[tuple[str, int, str, dt.date]]:
    return set(Alert.objects.values_list("kind", "provider_id", "subject", "on"))


@pytest.mark.django_db
def test_each_kind_is_raised_once_with_what_happened(django_assert_max_num_queries) -> None:
    data = every_kind()
    with django_assert_max_num_queries(25):
        assert raise_alerts(TODAY) == 9
    assert keys() == expected_keys(data["acme"], data["entry"])
    messages = {a.kind: a.message for a in Alert.objects.order_by("on")}
    assert messages["kpi_red"] == (
        "Acme Care turned red on late visits in October 2026: 12.5% (it was amber in "
        "September 2026, 8.2%). Red because 12.5% is more than the red limit of 10.0%."
    )
    assert messages["cqc_downgrade"] == (
        "CQC rated Acme Care Inadequate on 5 November 2026, down from Good (10 January 2024)."
    )
    assert messages["ecm_missed"] == (
        "Acme Care has not sent its ECM visits file for October 2026, due by 10 November 2026."
    )
    assert messages["return_missed"] == (
        "Acme Care has not submitted its monthly return for October 2026, due by 15 November 2026."
    )
    assert messages["risk_review_overdue"] == (
        "The risk register review of Acme Care (Enhanced monitoring) was due on "
        "15 November 2026; owner Sam Owner."
    )
    missed = sorted(
        Alert.objects.filter(kind="vulnerable_visit_missed").values_list("message", flat=True)
    )
    assert missed == [
        "A visit to R-ALONE, who lives alone and lacks capacity, started so late that it "
        "counts as missed: Acme Care, planned 6 October 2026 at 08:00.",
        "A visit to R-ALONE, who lives alone and lacks capacity, was missed: Acme Care, "
        "planned 5 October 2026 at 08:00.",
    ]
    # The second run, and one a day later: nothing new.
    assert raise_alerts(TODAY) == 0
    assert raise_alerts(TODAY + dt.timedelta(days=1)) == 0
    assert Alert.objects.count() == 9


@pytest.mark.django_db
def test_red_two_months_running_is_one_alert_and_red_from_nothing_is_one() -> None:
    steady = ProviderFactory(ref="STEADY", name="Steady Red", status="exited")
    new = ProviderFactory(ref="NEW", name="New Care", status="exited")
    store(steady, SEP, missed_visit_rate=0.05)
    store(steady, OCT, missed_visit_rate=0.06)
    store(new, OCT, missed_visit_rate=0.03)
    store(None, OCT)
    raise_alerts(TODAY)
    assert list(Alert.objects.values_list("provider__ref", "subject", "message")) == [
        (
            "NEW",
            "missed_visit_rate",
            "New Care turned red on missed visits in October 2026: 3.0%. "
            "Red because 3.0% is more than the red limit of 2.0%.",
        )
    ]
    # September raised on its own (after its KPIs): Steady was red then, once.
    raise_alerts(TODAY, month=Month.parse("2026-09"))
    assert sorted(Alert.objects.values_list("provider__ref", "on")) == [
        ("NEW", OCT),
        ("STEADY", SEP),
    ]


@pytest.mark.django_db(transaction=True)
def test_through_a_real_worker_each_alert_is_raised_once(tmp_path) -> None:
    """Three runs of the beat job at once on a real worker, then another:
    each alert is in the table once; the unique key decides, not the timing."""
    for role in ROLES:
        Group.objects.get_or_create(name=role)
    data = every_kind()
    with celery_worker(tmp_path / "worker.log") as client:
        day = TODAY.isoformat()
        results = [client.send_task("alerts.raise_alerts", args=[day]) for _ in range(3)]
        raised = [result.get(timeout=120) for result in results]
        again = client.send_task("alerts.raise_alerts", args=[day]).get(timeout=120)
    assert sum(raised) >= 9 and again == 0
    assert Alert.objects.count() == 9
    assert keys() == expected_keys(data["acme"], data["entry"])


def test_the_jobs_run_every_morning_london_time() -> None:
    from homecare.celery import app

    entries = {e["task"]: e["schedule"] for e in app.conf.beat_schedule.values()}
    raise_at, email_at = entries["alerts.raise_alerts"], entries["alerts.send_digests"]
    assert (raise_at.hour, raise_at.minute) == ({7}, {0})
    assert (email_at.hour, email_at.minute) == ({7}, {30})
    assert app.conf.timezone == "Europe/London"


def test_alerts_follow_each_months_kpis(settings, monkeypatch) -> None:
    from homecare.alerts import tasks
    from homecare.kpis.signals import month_computed

    queued: list[tuple] = []
    monkeypatch.setattr(tasks.raise_alerts_task, "delay", lambda *args: queued.append(args))
    settings.ALERTS_AFTER_KPIS = True
    month_computed.send(sender=None, month="2026-10", provider_ref=None)
    assert queued == [(None, "2026-10")]
    settings.ALERTS_AFTER_KPIS = False
    month_computed.send(sender=None, month="2026-10", provider_ref=None)
    assert len(queued) == 1
