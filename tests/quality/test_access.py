"""Who sees and records what in quality monitoring, and how many queries the
pages run."""

from __future__ import annotations

import pytest
from django.test import Client
from django.urls import reverse

from tests.conftest import login
from tests.factories import provider_user
from tests.quality.flow import add_action, details, published_with_plan, ratings, start

pytestmark = pytest.mark.django_db


def test_a_provider_user_cannot_see_another_providers_assessments(
    client, quality_officer, provider_a, provider_b, framework
) -> None:
    login(client, quality_officer)
    assessment = published_with_plan(client, provider_a, framework, None)
    outsider = login(Client(), provider_user(provider_b, username="beta-user"))
    for name in ("assessment", "assessment-comment", "action-plan"):
        assert outsider.get(reverse(name, args=[assessment.pk])).status_code == 404, name
    assert outsider.get(reverse("provider-quality", args=[provider_a.ref])).status_code == 404
    assert outsider.post(reverse("assessment-publish", args=[assessment.pk])).status_code == 404


def test_a_provider_user_does_not_see_drafts(
    client, quality_officer, provider_a, provider_a_user, framework
) -> None:
    login(client, quality_officer)
    assessment = start(client, provider_a, framework)
    own = login(Client(), provider_a_user)
    assert own.get(reverse("assessment", args=[assessment.pk])).status_code == 404
    # A draft is not there for the provider yet, so not its edit page either.
    assert own.get(reverse("assessment-edit", args=[assessment.pk])).status_code == 404


def test_only_quality_officers_record(client, contract_manager, provider_a, framework) -> None:
    login(client, contract_manager)
    assert client.get(reverse("assessment-start")).status_code == 403


def test_pages_run_a_bounded_number_of_queries(
    client, quality_officer, provider_a, provider_a_user, framework, django_assert_max_num_queries
) -> None:
    login(client, quality_officer)
    assessment = published_with_plan(client, provider_a, framework, provider_a_user)
    provider_client = login(Client(), provider_a_user)
    for issue in assessment.action_plan.issues.all():
        add_action(provider_client, assessment, issue, "Fix it")
    pages = [
        (client, reverse("quality")),
        (client, reverse("assessment", args=[assessment.pk])),
        (client, reverse("action-plan", args=[assessment.pk])),
        (client, reverse("provider-quality", args=[provider_a.ref])),
        (provider_client, reverse("assessment", args=[assessment.pk])),
        (provider_client, reverse("action-plan", args=[assessment.pk])),
        (client, reverse("frameworks")),
        (client, reverse("framework", args=[framework.pk])),
    ]
    for who, url in pages:
        with django_assert_max_num_queries(20):
            assert who.get(url).status_code == 200, url


def test_the_edit_form_runs_a_bounded_number_of_queries(
    client, quality_officer, provider_a, framework, django_assert_max_num_queries
) -> None:
    login(client, quality_officer)
    assessment = start(client, provider_a, framework)
    url = reverse("assessment-edit", args=[assessment.pk])
    client.post(url, {**details(), **ratings(framework), "action": "save"})
    with django_assert_max_num_queries(15):
        assert client.get(url).status_code == 200
    with django_assert_max_num_queries(25):
        assert (
            client.post(url, {**details(), **ratings(framework), "action": "save"}).status_code
            == 302
        )
