"""A threshold change and an assessment edit appear in their histories, in
plain words, with who, when and the values before and after (issue 10)."""

from __future__ import annotations

import datetime as dt

import pytest
from auditlog.models import LogEntry
from django.contrib.auth.models import Group
from django.test import Client
from django.urls import reverse
from django.utils import timezone

from homecare.audit import presenters
from homecare.kpis.models import KpiThresholds
from homecare.kpis.services import set_thresholds
from providers.access import COMMISSIONER, QUALITY_OFFICER
from reviews.models import Assessment
from reviews.services import save_draft, start_assessment
from tests.audit.helpers import history_lines
from tests.conftest import login
from tests.factories import LotFactory, UserFactory, provider_user

pytestmark = pytest.mark.django_db


def _today_words() -> str:
    today = timezone.localdate()
    return f"{today.day} {today:%B %Y}"


@pytest.fixture
def jo(db):
    return UserFactory(username="jsmith", first_name="Jo", last_name="Smith", role=COMMISSIONER)


def test_a_threshold_change_reads_in_its_history_with_old_and_new_values(
    client: Client, jo, settings
) -> None:
    settings.CELERY_TASK_ALWAYS_EAGER = True
    lot = LotFactory(name="Lot 1 - North")
    login(client, jo)
    url = reverse("lot-thresholds", args=[lot.pk])
    assert client.post(url, {"person_late_share": "0.10"}).status_code == 302
    assert (
        client.post(url, {"person_late_share": "0.12", "late_after_minutes": "20"}).status_code
        == 302
    )

    lines = history_lines(client.get(url).content.decode())
    assert len(lines) == 2
    newest, first = lines
    assert newest.startswith(f"Changed by Jo Smith on {_today_words()} at ")
    assert "Share of a person's visits late before they are reported 10% → 12%" in newest
    assert "Late after (minutes) inherited → 20 minutes" in newest
    assert first.startswith("Created by Jo Smith")
    assert "Share of a person's visits late before they are reported: 10%" in first
    assert "Lot: Lot 1 - North" in first
    # The list of every lot's thresholds names which lot changed.
    listing = history_lines(client.get(reverse("kpi-thresholds")).content.decode())
    assert listing[0].startswith("KPI thresholds for Lot 1 - North")
    assert "10% → 12%" in listing[0]


def test_a_rag_limit_change_reads_in_the_measures_unit(client: Client, jo) -> None:
    login(client, jo)
    url = reverse("rag-threshold", args=["late_visit_rate"])
    assert client.post(url, {"green_limit": "5", "red_limit": "10"}).status_code == 302
    assert client.post(url, {"green_limit": "6", "red_limit": "12"}).status_code == 302
    for page in (url, reverse("rag-thresholds")):
        newest = history_lines(client.get(page).content.decode())[0]
        assert "Changed by Jo Smith" in newest
        assert "Green limit 5.0% → 6.0%" in newest and "Red limit 10.0% → 12.0%" in newest
    listing = history_lines(client.get(reverse("rag-thresholds")).content.decode())
    assert listing[0].startswith("RAG limits for late visits")


def test_an_assessment_edit_reads_in_its_history(client: Client, framework, provider_a) -> None:
    officer = UserFactory(username="qo", first_name="Sam", last_name="Patel", role=QUALITY_OFFICER)
    login(client, officer)
    client.post(
        reverse("assessment-start"),
        {"provider": provider_a.pk, "framework": framework.pk, "assessment_type": "routine"},
    )
    assessment = Assessment.objects.get()
    edit = reverse("assessment-edit", args=[assessment.pk])
    base = {"assessment_type": "routine", "action": "save"}
    client.post(edit, {**base, "assessors": "A. Officer", "files_sampled": "8"})
    client.post(
        edit,
        {**base, "assessors": "A. Officer, B. Officer", "files_sampled": "10",
         "start_date": "2026-10-05"},
    )  # fmt: skip

    first = framework.questions.order_by("position").first()
    client.post(
        edit, {**base, "assessors": "A. Officer, B. Officer", "files_sampled": "10",
               "start_date": "2026-10-05", f"q{first.pk}": "good", f"e{first.pk}": "Seen"},
    )  # fmt: skip
    client.post(
        edit, {**base, "assessors": "A. Officer, B. Officer", "files_sampled": "10",
               "start_date": "2026-10-05", f"q{first.pk}": "poor", f"e{first.pk}": "Seen"},
    )  # fmt: skip

    page = client.get(reverse("assessment", args=[assessment.pk])).content.decode()
    lines = history_lines(page)
    # Question ratings, saved in bulk, are recorded too.
    assert f"{first.code} rating Good → Poor" in lines[0]
    assert lines[0].startswith("Assessment details Changed by Sam Patel on ")
    assert f"{first.code} rating Not rated → Good" in lines[1]
    newest = lines[2]
    assert newest.startswith("Assessment details Changed by Sam Patel on ")
    assert "Assessors “A. Officer” → “A. Officer, B. Officer”" in newest
    assert "Files sampled 8 → 10" in newest
    assert "Start date Not recorded → 5 October 2026" in newest
    # The provider's user sees the steps, not the officers' draft changes.
    assessment.status = "issued"
    assessment.save()
    provider_client = login(Client(), provider_user(provider_a, username="pa-user"))
    own = provider_client.get(reverse("assessment", args=[assessment.pk])).content.decode()
    assert 'class="app-history' not in own


def test_a_change_made_by_a_task_or_command_is_recorded_as_the_system() -> None:
    lot = LotFactory(name="Lot 2")
    set_thresholds(lot=lot, review_due_days=42)  # no request: a Celery task or a command
    entry = LogEntry.objects.get_for_object(KpiThresholds.objects.get(lot=lot)).get()
    assert entry.actor is None
    line = presenters.line(entry)
    assert str(line).startswith("Created by the system on ")
    assert "Review due days: 42" in str(line)


def test_a_users_roles_are_tracked(client: Client) -> None:
    admin = UserFactory(username="root", is_superuser=True, is_staff=True)
    someone = UserFactory(username="newcomer")
    login(client, admin)
    commissioners, _ = Group.objects.get_or_create(name=COMMISSIONER)
    someone.groups.add(commissioners)
    entry = LogEntry.objects.get_for_object(someone).filter(action=LogEntry.Action.UPDATE).latest()
    assert entry.changes_dict["groups"]["objects"] == [COMMISSIONER]
    assert f"Groups: added {COMMISSIONER}" in str(presenters.line(entry))


def test_dates_and_times_read_as_the_pages_write_them() -> None:
    moment = dt.datetime(2026, 3, 3, 14, 5, tzinfo=dt.UTC)
    assert presenters.when(moment) == "3 March 2026 at 14:05"
    summer = dt.datetime(2026, 7, 3, 13, 5)  # auditlog keeps changed times naive, in UTC
    assert presenters.when(summer) == "3 July 2026 at 14:05"


def test_history_pages_run_a_bounded_number_of_queries(
    client: Client, jo, django_assert_max_num_queries
) -> None:
    login(client, jo)
    lots = [LotFactory(name=f"Lot {n}") for n in range(6)]
    for n, lot in enumerate(lots):
        for minutes in (20, 25, 30):
            client.post(reverse("lot-thresholds", args=[lot.pk]), {"late_after_minutes": minutes})
        client.post(
            reverse("rag-threshold", args=["late_visit_rate"]),
            {"green_limit": str(5 + n), "red_limit": "20"},
        )
    for url in (
        reverse("kpi-thresholds"),
        reverse("lot-thresholds", args=[lots[0].pk]),
        reverse("rag-thresholds"),
        reverse("rag-threshold", args=["late_visit_rate"]),
    ):
        with django_assert_max_num_queries(15):
            page = client.get(url)
        assert page.status_code == 200
        assert len(history_lines(page.content.decode())) >= 3, url


def test_ratings_saved_in_bulk_are_recorded_by_the_events_user(
    quality_officer, provider_a, framework
) -> None:
    assessment = start_assessment(provider_a, framework, quality_officer, "routine")
    first, second = framework.questions.order_by("position")[:2]
    save_draft(assessment, quality_officer, {}, {first.pk: ("good", ""), second.pk: ("poor", "")})
    save_draft(assessment, quality_officer, {}, {first.pk: ("good", "x"), second.pk: ("", "")})
    save_draft(assessment, quality_officer, {}, {first.pk: ("good", "y")})  # no rating changed
    lines = [str(line) for line in presenters.assessment_history(assessment)]
    assert lines[0].endswith(f": {second.code} rating Poor → Not rated")
    assert f"{first.code} rating Not rated → Good" in lines[1]
    assert f"{second.code} rating Not rated → Poor" in lines[1]
    assert all("quality" in line for line in lines[:2])  # the officer, not "the system"
