"""The register's suggestions (a person decides) and the weekly snapshot task."""

from __future__ import annotations

import datetime as dt

import pytest
from django.utils import timezone

from homecare.dashboards.models import RagResult
from homecare.kpis.models import MonthlyKpi
from homecare.market.models import WaitingSnapshot
from homecare.market.selectors.suggestions import suggestions
from homecare.market.services import last_monday_midnight, record_risk
from homecare.market.tasks import weekly_waiting_snapshot
from providers.models import CqcLocationRating
from reviews.models import Assessment
from tests.factories import ProviderFactory
from tests.market.factories import CareRequestFactory

pytestmark = pytest.mark.django_db


def _red_month(provider, month: dt.date, overall: str = "red") -> None:
    kpi = MonthlyKpi.objects.create(
        scope="provider", provider=provider, month=month, computed_at=timezone.now()
    )
    RagResult.objects.update_or_create(
        kpi=kpi, defaults={"overall": overall, "rated_at": timezone.now()}
    )


def _publication(provider, day: dt.date, overall: str) -> None:
    CqcLocationRating.objects.create(
        location_id=provider.cqc_location_id,
        provider=provider,
        publication_date=day,
        domain="Overall",
        rating=overall,
    )


def test_red_kpis_two_months_running_are_suggested(db):
    twice, once = ProviderFactory(name="Twice Red"), ProviderFactory(name="Once Red")
    for month in (dt.date(2026, 9, 1), dt.date(2026, 10, 1)):
        _red_month(twice, month)
    _red_month(once, dt.date(2026, 10, 1))
    _red_month(once, dt.date(2026, 9, 1), overall="amber")
    found = {s.provider.name: s.reasons for s in suggestions()}
    assert found == {"Twice Red": ["red KPIs two months running"]}


def test_a_cqc_downgrade_to_requires_improvement_is_suggested(db):
    fell = ProviderFactory(name="Fell", cqc_location_id="1-1")
    rose = ProviderFactory(name="Rose", cqc_location_id="1-2")
    _publication(fell, dt.date(2024, 1, 1), "Good")
    _publication(fell, dt.date(2026, 9, 1), "Requires improvement")
    _publication(rose, dt.date(2024, 1, 1), "Inadequate")
    _publication(rose, dt.date(2026, 9, 1), "Requires improvement")
    [suggested] = suggestions()
    assert suggested.provider == fell
    assert suggested.reasons == ["CQC rating fell from Good to Requires improvement"]


def test_a_poor_assessment_is_suggested_until_someone_decides(db, framework, commissioner):
    provider = ProviderFactory(name="Poor")
    Assessment.objects.create(
        provider=provider,
        framework=framework,
        officer=commissioner,
        status="published",
        overall_rating="poor",
        published_at=timezone.now() - dt.timedelta(days=2),
    )
    assert [s.text for s in suggestions()] == ["quality assessment rated Poor"]
    # A person decides (here: no concerns after all): the suggestion is answered.
    record_risk(
        provider=provider,
        status="no_concerns",
        reasons="Reviewed: the action plan is on track.",
        owner=commissioner,
        next_review=dt.date.today() + dt.timedelta(days=90),
        by=commissioner,
    )
    assert suggestions() == []


def test_last_monday_midnight_is_london_time():
    # Monday 30 March 2026 00:00 BST is Sunday 29 March 23:00 UTC.
    at = last_monday_midnight(dt.datetime(2026, 4, 1, 12, tzinfo=dt.UTC))
    assert at.astimezone(dt.UTC) == dt.datetime(2026, 3, 29, 23, tzinfo=dt.UTC)
    # At exactly Monday 00:00 it is that Monday.
    at = last_monday_midnight(dt.datetime(2026, 11, 2, 0, tzinfo=dt.UTC))
    assert at.astimezone(dt.UTC) == dt.datetime(2026, 11, 2, tzinfo=dt.UTC)


def test_the_weekly_task_keeps_one_snapshot_a_week(db):
    # Waiting 30 days at the snapshot's own time (last Monday 00:00), whatever
    # day of the week the test runs on.
    monday = last_monday_midnight(timezone.now())
    CareRequestFactory(requested_at=monday - dt.timedelta(days=30), weekly_hours=10)
    weekly_waiting_snapshot()
    weekly_waiting_snapshot()  # run twice (a retried message): still one
    [snapshot] = WaitingSnapshot.objects.all()
    assert snapshot.taken_for == last_monday_midnight(timezone.now())
    assert (snapshot.requests, snapshot.by_band["28d_and_over"]["hours"]) == (1, 10.0)


def test_beat_takes_the_snapshot_every_monday_at_midnight_london_time():
    from django.conf import settings

    from homecare.celery import app

    entry = app.conf.beat_schedule["market-weekly-waiting-snapshot"]
    assert entry["task"] == "market.weekly_waiting_snapshot"
    schedule = entry["schedule"]
    assert (schedule.minute, schedule.hour, schedule.day_of_week) == ({0}, {0}, {1})
    assert settings.CELERY_TIMEZONE == "Europe/London"
