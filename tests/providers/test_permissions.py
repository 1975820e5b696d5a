"""The rules of providers/permissions.py, asked as views, templates and
services ask them: through user.has_perm."""

from __future__ import annotations

import datetime as dt

import pytest
from django.contrib.auth.models import User
from django.template import Context, Template
from django.utils import timezone

from providers.access import COMMISSIONER
from reviews.models import Assessment, AssessmentStatus
from reviews.services import load_default_framework
from tests.factories import UserFactory, provider_user

pytestmark = pytest.mark.django_db


def assessment_of(provider, officer: User, status: str, **extra) -> Assessment:
    return Assessment.objects.create(
        provider=provider,
        framework=load_default_framework(),
        officer=officer,
        status=status,
        **extra,
    )


def test_a_quality_officer_edits_drafts_only(quality_officer, contract_manager, provider_a):
    draft = assessment_of(provider_a, quality_officer, AssessmentStatus.DRAFT)
    issued = assessment_of(provider_a, quality_officer, AssessmentStatus.ISSUED)
    assert quality_officer.has_perm("quality.edit_assessment", draft)
    assert not quality_officer.has_perm("quality.edit_assessment", issued)
    assert not contract_manager.has_perm("quality.edit_assessment", draft)
    assert quality_officer.has_perm("quality.record_assessment")
    assert not contract_manager.has_perm("quality.record_assessment")


def test_a_senior_officer_never_settles_their_own_assessment(
    quality_officer, senior_officer, provider_a
):
    theirs = assessment_of(provider_a, senior_officer, AssessmentStatus.DISPUTED)
    others = assessment_of(provider_a, quality_officer, AssessmentStatus.DISPUTED)
    assert senior_officer.has_perm("quality.settle_dispute", others)
    assert not senior_officer.has_perm("quality.settle_dispute", theirs)
    assert not quality_officer.has_perm("quality.settle_dispute", theirs)
    boss = UserFactory(username="boss", role=COMMISSIONER)
    assert boss.has_perm("quality.settle_dispute", theirs)


def test_only_the_providers_own_users_comment_and_only_in_the_window(
    quality_officer, provider_a, provider_b, provider_a_user
):
    today = timezone.localdate()
    open_ = assessment_of(provider_a, quality_officer, AssessmentStatus.ISSUED, comments_due=today)
    closed = assessment_of(
        provider_a,
        quality_officer,
        AssessmentStatus.ISSUED,
        comments_due=today - dt.timedelta(days=1),
    )
    outsider = provider_user(provider_b, username="beta-user")
    assert provider_a_user.has_perm("quality.comment_now", open_)
    assert not provider_a_user.has_perm("quality.comment_now", closed)
    assert not outsider.has_perm("quality.comment_now", open_)
    assert not quality_officer.has_perm("quality.comment_now", open_)


def test_seeing_a_provider_and_changing_thresholds(
    commissioner, quality_officer, provider_a, provider_b, provider_a_user
):
    assert provider_a_user.has_perm("providers.see_provider", provider_a)
    assert not provider_a_user.has_perm("providers.see_provider", provider_b)
    assert quality_officer.has_perm("providers.see_provider", provider_b)
    assert commissioner.has_perm("kpis.change_thresholds")
    assert not quality_officer.has_perm("kpis.change_thresholds")
    assert not provider_a_user.has_perm("packs.build_packs")


def test_templates_ask_the_same_rules(commissioner, quality_officer):
    template = Template(
        '{% load rules %}{% has_perm "kpis.change_thresholds" user as may %}'
        "{% if may %}Change{% else %}Read only{% endif %}"
    )
    assert template.render(Context({"user": commissioner})) == "Change"
    assert template.render(Context({"user": quality_officer})) == "Read only"
