"""The daily task makes this month's and the next three months' partitions."""

from __future__ import annotations

import datetime as dt

import pytest

from homecare.celery import app
from homecare.scale import tasks
from homecare.scale.services import ensure_months_ahead
from visits import partitions

pytestmark = pytest.mark.django_db


def test_the_months_ahead_are_made_once() -> None:
    today = dt.date(2032, 11, 20)
    assert ensure_months_ahead(today=today) == ["2032-11", "2032-12", "2033-01", "2033-02"]
    assert ensure_months_ahead(today=today) == []
    assert {"2032-11", "2033-02"} <= set(partitions.month_partitions("visits_visitcarer"))


def test_beat_runs_it_daily() -> None:
    entry = app.conf.beat_schedule["visits-months-ahead"]
    assert entry["task"] == tasks.months_ahead.name == "scale.months_ahead"
