"""A provider's user reaches nothing of another provider: every URL that names
a provider, or a record of one, answers 404 (not 403: a provider must not learn
what exists elsewhere)."""

from __future__ import annotations

import datetime as dt

import pytest
from django.core.files.base import ContentFile
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import URLResolver, get_resolver
from django.utils import timezone

from homecare.improvement import services as improvement
from homecare.improvement.models import ImprovementItem
from homecare.packs.models import Pack, PackKind
from providers.access import QUALITY_OFFICER
from reviews import rating, services
from reviews.models import AssessmentType, PlanAction
from tests.factories import CarePackageFactory, UserFactory
from visits.models import ImportKind, ImportRecord

pytestmark = pytest.mark.django_db


@pytest.fixture
def beta_records(provider_b, settings, tmp_path):
    """One of everything provider B has: a package, an import, a published
    assessment with an action plan and an action, and a monthly pack."""
    settings.MEDIA_ROOT = tmp_path
    CarePackageFactory(provider=provider_b)
    record = ImportRecord.objects.create(
        kind=ImportKind.VISITS, file_name="b.csv", provider=provider_b, outcome="succeeded"
    )
    officer = UserFactory(username="officer", role=QUALITY_OFFICER)
    framework = services.load_default_framework()
    assessment = services.start_assessment(provider_b, framework, officer, AssessmentType.ROUTINE)
    answers = {
        q.pk: (rating.POOR if n == 0 else rating.GOOD, "seen")
        for n, q in enumerate(framework.questions.all())
    }
    details = {"start_date": dt.date(2026, 10, 1), "assessors": "Quality team"}
    services.save_draft(assessment, officer, details, answers)
    today = dt.date(2026, 10, 10)
    services.issue_to_provider(assessment, officer, today)
    services.publish(assessment, officer, today + dt.timedelta(days=15))
    plan = assessment.action_plan
    issue = plan.issues.first()
    action = PlanAction.objects.create(
        issue=issue, description="Retrain", owner="Manager", due_date=today
    )
    pack = Pack(
        kind=PackKind.PROVIDER,
        provider=provider_b,
        month=dt.date(2026, 10, 1),
        built_at=timezone.now(),
        source_stamp="x",
    )
    pack.file.save("b.pdf", ContentFile(b"%PDF-1.7"), save=True)
    # The improvement tracker's link to the action (issue 15), and a file of evidence.
    item = ImprovementItem.objects.get(action=action)
    evidence = improvement.add_assessment_evidence(
        assessment, officer, SimpleUploadedFile("notes.pdf", b"%PDF-1.7\n%%EOF\n")
    )
    return {
        "ref": provider_b.ref,
        "pk": None,
        "import": record.pk,
        "assessment": assessment.pk,
        "action": action.pk,
        "pack": pack.pk,
        "improvement_plan": item.plan_id,
        "improvement_item": item.pk,
        "evidence": evidence.pk,
    }


# Which record each URL's integer argument names, by url name.
RECORD_OF = {
    "import-record": "import",
    "import-errors": "import",
    "import-errors-xlsx": "import",
    "import-rerun": "import",
    "assessment": "assessment",
    "assessment-edit": "assessment",
    "assessment-comment": "assessment",
    "assessment-override": "assessment",
    "assessment-settle": "assessment",
    "assessment-publish": "assessment",
    "action-plan": "assessment",
    "plan-action": "assessment",
    "pack-download": "pack",
    "improvement-plan": "improvement_plan",
    "improvement-update": "improvement_item",
    "improvement-evidence": "evidence",
    "assessment-evidence": "assessment",
}
POST_ONLY = ("/publish/", "/run-again/")
PROVIDER_ROUTES = {"provider", "provider-dashboard", "provider-quality", "package-review"}


def routes(patterns: list, prefix: str = "") -> list[tuple[str | None, str]]:
    """(name, route) of every URL pattern, through each app's included URLconf."""
    found = []
    for pattern in patterns:
        if isinstance(pattern, URLResolver):
            found += routes(pattern.url_patterns, prefix + str(pattern.pattern))
        else:
            found.append((pattern.name, prefix + str(pattern.pattern)))
    return found


def urls_of_another_provider(records: dict) -> list[str]:
    urls = []
    for name, route in routes(get_resolver().url_patterns):
        if name in PROVIDER_ROUTES:
            urls.append("/" + route.replace("<str:ref>", records["ref"]))
        elif name in RECORD_OF:
            route = route.replace("<int:pk>", str(records[RECORD_OF[name]]))
            urls.append("/" + route.replace("<int:action_pk>", str(records["action"])))
    return urls


def test_every_page_of_another_provider_is_404_for_a_provider_user(
    client, provider_a_user, beta_records
):
    urls = urls_of_another_provider(beta_records)
    assert len(urls) == len(PROVIDER_ROUTES) + len(RECORD_OF)
    client.force_login(provider_a_user)
    answers = {f"POST {url}": client.post(url).status_code for url in urls}
    # A POST-only route answers GET with 405 whatever the record: no data in that.
    answers.update(
        {url: client.get(url).status_code for url in urls if not url.endswith(POST_ONLY)}
    )
    assert {url: code for url, code in answers.items() if code != 404} == {}


def test_the_same_pages_answer_their_own_provider_or_council_staff(
    client, commissioner, beta_records
):
    # The 404s above are about whose data it is, not pages that are broken.
    client.force_login(commissioner)
    for url in urls_of_another_provider(beta_records):
        if not url.endswith(POST_ONLY):
            assert client.get(url).status_code in (200, 302, 403), url
