"""Monthly PDF packs: what they say (checked against export_kpis), who may
download them, when they are rebuilt, and the document's print features."""

from __future__ import annotations

import datetime as dt
import io
import json
import re
from pathlib import Path
from unittest import mock

import pytest
from django.core.management import call_command
from django.test import Client
from pypdf import PdfReader

from common.months import Month
from homecare.kpis import tasks as kpi_tasks
from homecare.kpis.selectors import export_month
from homecare.kpis.services import compute_month_kpis
from homecare.packs import services, tasks
from homecare.packs.models import Pack, PackKind
from tests.conftest import login
from tests.kpi_factories import london

OCT = Month.parse("2026-10")


def pdf_text(data: bytes) -> str:
    """All the text of a PDF, whitespace folded, so table cells read in a line."""
    reader = PdfReader(io.BytesIO(data))
    return re.sub(r"\s+", " ", " ".join(page.extract_text() or "" for page in reader.pages))


def pack_bytes(pack: Pack) -> bytes:
    with pack.file.open("rb") as handle:
        return handle.read()


@pytest.fixture(autouse=True)
def media(settings, tmp_path: Path) -> Path:
    settings.MEDIA_ROOT = tmp_path / "media"
    return settings.MEDIA_ROOT


def _figure_in(text: str, key: str, value: object) -> bool:
    return f"{key} {json.dumps(value)}" in text


def test_provider_pack_shows_the_export_figures(market):
    provider_a, _ = market
    summary = services.build_month_packs(OCT)
    assert sorted(summary.built) == ["PA", "PB", "market"]
    pack = Pack.objects.get(kind=PackKind.PROVIDER, provider=provider_a, month=OCT.first)
    text = pdf_text(pack_bytes(pack))
    exported = next(p for p in export_month(OCT)["providers"] if p["provider_ref"] == "PA")
    for key, value in exported.items():
        if key != "provider_ref":
            assert _figure_in(text, key, value), f"{key}={value} not in the pack"
    # The cover, the summary's RAG status and the lists behind a red figure.
    assert "Alpha Home Care" in text and "October 2026" in text
    assert "Overall status for October 2026: Red" in text
    assert "Late visits Red" in text
    person = exported["people_supported"]
    assert person == 3
    assert "People with a late visit more than 10% of the time" in text
    assert pack.pages == len(PdfReader(io.BytesIO(pack_bytes(pack))).pages)
    assert f"Page 1 of {pack.pages}" in text and f"Page {pack.pages} of {pack.pages}" in text


def test_market_pack_shows_the_market_figures_and_providers_of_concern(market):
    services.build_month_packs(OCT)
    pack = Pack.objects.get(kind=PackKind.MARKET, month=OCT.first)
    text = pdf_text(pack_bytes(pack))
    for key, value in export_month(OCT)["market"].items():
        assert _figure_in(text, key, value), f"{key}={value} not in the market pack"
    concerns = text.split("Providers of concern", 2)[-1]
    assert "Alpha Home Care" in concerns and "Late visits: Red because" in concerns
    assert "Beta Home Care" in text and "Lot summaries" in text


def test_document_is_tagged_a4_and_marked(market, settings):
    provider_a, _ = market
    settings.PROTECTIVE_MARKING = "OFFICIAL"
    pack = services.build_provider_pack(provider_a, OCT)
    data = pack_bytes(pack)
    reader = PdfReader(io.BytesIO(data))
    root = reader.trailer["/Root"]
    assert root["/Lang"] == "en-GB"
    assert "/StructTreeRoot" in root and root["/MarkInfo"]["/Marked"]
    assert reader.metadata.title == "Alpha Home Care monthly pack, October 2026"
    width, height = (float(v) for v in reader.pages[0].mediabox[2:])
    assert (round(width), round(height)) == (595, 842)  # A4 in points
    text = pdf_text(data)
    assert "OFFICIAL" in text and "OFFICIAL-SENSITIVE" not in text
    # The running header names the provider and month on the pages after the cover.
    assert reader.pages[2].extract_text().count("Alpha Home Care (PA) · October 2026") == 1
    # The contents list carries page numbers (target-counter): "Summary . . . 3".
    assert re.search(r"Summary[ .]+3\b", text)
    # The same SVG chart as the dashboard: its title is drawn into the page.
    assert "Green limit 5.0%" in text


def test_default_marking_is_official_sensitive(market):
    pack = services.build_provider_pack(market[0], OCT)
    assert "OFFICIAL-SENSITIVE" in pdf_text(pack_bytes(pack))


def test_packs_are_rebuilt_only_when_their_results_change(
    market, media, django_capture_on_commit_callbacks
):
    services.build_month_packs(OCT)
    first = Pack.objects.get(kind=PackKind.PROVIDER, provider=market[0], month=OCT.first)
    again = services.build_month_packs(OCT)
    assert again.built == [] and sorted(again.unchanged) == ["PA", "PB", "market"]

    compute_month_kpis(OCT, "PA")  # PA's results, the lots and the market change
    with django_capture_on_commit_callbacks(execute=True):
        rebuilt = services.build_month_packs(OCT)
    assert sorted(rebuilt.built) == ["PA", "market"] and rebuilt.unchanged == ["PB"]
    second = Pack.objects.get(pk=first.pk)
    assert second.source_stamp != first.source_stamp
    assert second.built_at > first.built_at
    # The old file goes once the row points at the new one.
    assert not (media / first.file.name).exists()
    assert (media / second.file.name).exists()
    assert Pack.objects.count() == 3


def test_compute_month_task_queues_the_packs(market, settings):
    settings.PACKS_BUILD_AFTER_KPIS = True
    with mock.patch.object(tasks.build_packs, "delay") as delay:
        kpi_tasks.compute_month.apply(args=("2026-10",)).get()
    delay.assert_called_once_with("2026-10")


def test_one_providers_recompute_builds_its_pack_now_and_the_month_later(market, settings):
    # A burst of provider uploads must not rebuild the market pack each time:
    # the provider's own pack is built at once, the month's after a delay.
    settings.PACKS_BUILD_AFTER_KPIS = True
    settings.PACKS_MONTH_DELAY_SECONDS = 600
    with (
        mock.patch.object(tasks.build_packs, "delay") as delay,
        mock.patch.object(tasks.build_packs, "apply_async") as later,
    ):
        result = kpi_tasks.compute_month.apply(args=("2026-10", "PA")).get()
    assert result["providers"] == ["PA"]
    delay.assert_called_once_with("2026-10", "PA")
    later.assert_called_once_with(("2026-10",), countdown=600)


def test_compute_month_task_leaves_packs_alone_when_switched_off(market, settings):
    settings.PACKS_BUILD_AFTER_KPIS = False
    with mock.patch.object(tasks.build_packs, "delay") as delay:
        kpi_tasks.compute_month.apply(args=("2026-10",)).get()
    delay.assert_not_called()


def test_packs_failing_to_queue_do_not_fail_the_kpis(market, settings):
    settings.PACKS_BUILD_AFTER_KPIS = True
    with mock.patch.object(tasks.build_packs, "delay", side_effect=ConnectionError("no redis")):
        result = kpi_tasks.compute_month.apply(args=("2026-10",)).get()
    assert result["month"] == "2026-10"


def test_build_packs_task_builds_the_month(market):
    result = tasks.build_packs.apply(args=("2026-10",)).get()
    assert sorted(result["built"]) == ["PA", "PB", "market"]
    assert Pack.objects.filter(month=OCT.first).count() == 3


def test_a_month_never_computed_builds_nothing(db):
    assert services.build_month_packs("2025-01").as_dict()["built"] == []


# --- who may download ------------------------------------------------------------------


def test_provider_user_lists_and_downloads_only_their_own_pack(
    market, client: Client, provider_a_user
):
    services.build_month_packs(OCT)
    own = Pack.objects.get(provider=market[0], month=OCT.first)
    other = Pack.objects.get(provider=market[1], month=OCT.first)
    whole = Pack.objects.get(kind=PackKind.MARKET, month=OCT.first)
    login(client, provider_a_user)

    page = client.get("/packs/?month=2026-10")
    assert page.status_code == 200
    html = page.content.decode()
    assert "Alpha Home Care" in html
    assert "Beta Home Care" not in html and "Whole market" not in html

    download = client.get(f"/packs/{own.pk}/download/")
    assert download.status_code == 200
    assert download["Content-Type"] == "application/pdf"
    assert 'filename="PA-2026-10.pdf"' in download["Content-Disposition"]
    assert b"".join(download.streaming_content).startswith(b"%PDF")

    assert client.get(f"/packs/{other.pk}/download/").status_code == 404
    assert client.get(f"/packs/{whole.pk}/download/").status_code == 404
    # Building is the council's.
    assert client.post("/packs/build/", {"month": "2026-10"}).status_code == 403


def test_council_staff_see_every_pack_and_build_on_demand(market, client: Client, commissioner):
    login(client, commissioner)
    page = client.get("/packs/?month=2026-10")
    assert page.status_code == 200
    assert "There are no packs for October 2026 yet" in page.content.decode()

    with mock.patch.object(tasks.build_packs, "delay") as delay:
        response = client.post("/packs/build/", {"month": "2026-10"})
    assert response.status_code == 302 and response["Location"] == "/packs/?month=2026-10"
    delay.assert_called_once_with("2026-10", force=False)
    services.build_month_packs(OCT)  # what the worker does with it
    html = client.get("/packs/?month=2026-10").content.decode()
    assert "Whole market" in html and "Alpha Home Care" in html and "Beta Home Care" in html
    for pack in Pack.objects.all():
        assert client.get(f"/packs/{pack.pk}/download/").status_code == 200


def test_anonymous_users_are_sent_to_sign_in(market, client: Client):
    services.build_month_packs(OCT)
    pack = Pack.objects.first()
    assert client.get(f"/packs/{pack.pk}/download/").status_code == 302


# --- the command -----------------------------------------------------------------------


def test_build_pack_command_writes_provider_and_market_packs(market, tmp_path: Path):
    out = tmp_path / "out"
    call_command("build_pack", "--month", "2026-10", "--provider", "PA", "--out", out / "pa.pdf")
    call_command("build_pack", "--month", "2026-10", "--out", out / "market.pdf")
    assert "Alpha Home Care" in pdf_text((out / "pa.pdf").read_bytes())
    assert "Home care market" in pdf_text((out / "market.pdf").read_bytes())
    # The command writes a file; it stores no pack.
    assert not Pack.objects.exists()


def test_build_pack_command_refuses_an_unknown_provider(market, tmp_path: Path):
    from django.core.management.base import CommandError

    with pytest.raises(CommandError, match="No provider"):
        call_command("build_pack", "--month", "2026-10", "--provider", "NOPE", "--out", tmp_path)


# --- quality assessment (issue 5) ------------------------------------------------------


def test_pack_shows_the_latest_quality_assessment_and_open_actions(market, commissioner):
    from reviews import services as reviews_services
    from reviews.models import (
        ActionPlan,
        Assessment,
        AssessmentStatus,
        PlanAction,
        PlanIssue,
        PlanStatus,
        Question,
    )

    framework = reviews_services.load_default_framework()
    provider_a = market[0]
    assessment = Assessment.objects.create(
        provider=provider_a,
        framework=framework,
        officer=commissioner,
        status=AssessmentStatus.PUBLISHED,
        published_at=london(2026, 10, 2, 10, 0),
        overall_rating="requires_improvement",
    )
    plan = ActionPlan.objects.create(
        assessment=assessment,
        provider=provider_a,
        status=PlanStatus.ACCEPTED,
        due_date=dt.date(2026, 10, 16),
    )
    issue = PlanIssue.objects.create(
        plan=plan,
        question=Question.objects.filter(standard__domain__framework=framework).first(),
        rating="poor",
    )
    PlanAction.objects.create(
        issue=issue,
        description="Recruit two carers for the north round",
        owner="J Smith",
        due_date=dt.date(2026, 10, 20),
    )
    PlanAction.objects.create(
        issue=issue,
        description="Already finished work",
        owner="J Smith",
        due_date=dt.date(2026, 10, 1),
        status="verified",
    )
    text = pdf_text(pack_bytes(services.build_provider_pack(provider_a, OCT)))
    section = text.split("Quality assessment and open actions")[-1]
    assert "published 2 October 2026" in section
    assert "Recruit two carers for the north round" in section and "Overdue" in section
    assert "Already finished work" not in section


def test_a_provider_pack_is_rebuilt_when_its_quality_section_changes(market, media, commissioner):
    from reviews.models import Assessment, AssessmentEvent, AssessmentStatus
    from reviews.services import load_default_framework

    provider_a = market[0]
    services.build_month_packs(OCT)
    assessment = Assessment.objects.create(
        provider=provider_a,
        framework=load_default_framework(),
        officer=commissioner,
        status=AssessmentStatus.PUBLISHED,
        published_at=london(2026, 10, 2, 10, 0),
    )
    # Every step of an assessment or its plan is logged; a new step means new content.
    AssessmentEvent.objects.create(assessment=assessment, by=commissioner, action="Published")
    rebuilt = services.build_month_packs(OCT)
    assert rebuilt.built == ["PA"] and sorted(rebuilt.unchanged) == ["PB", "market"]
