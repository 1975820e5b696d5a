"""Two officers save one record at the same moment (issue 17): real requests in
two threads, each with its own PostgreSQL connection, so the row lock and the
version check are what decide, not the order of a single test's statements.
One change is saved; the other officer gets a clear conflict message and
keeps what they typed."""

from __future__ import annotations

import re
import threading
from collections.abc import Callable
from typing import Any

import pytest
from django.contrib.auth.models import Group, User
from django.db import connection
from django.test import Client
from django.urls import reverse

from contracts.models import Lot
from homecare.kpis.models import KpiThresholds
from providers.access import COMMISSIONER, QUALITY_OFFICER, ROLES
from reviews.models import Assessment
from reviews.services import load_default_framework, start_assessment
from tests.factories import LotFactory, ProviderFactory, UserFactory
from tests.quality.flow import details

pytestmark = pytest.mark.django_db(transaction=True)

CONFLICT = re.compile(
    r"This was changed by (?P<name>[\w .]+) at \d{1,2}:\d\d[ap]m on \d{1,2} \w+ \d{4}; "
    r"review and save again"
)


@pytest.fixture(autouse=True)
def _roles() -> None:
    # A transactional test starts from a flushed database: the role groups too.
    for role in ROLES:
        Group.objects.get_or_create(name=role)


def version_on(page: str) -> str:
    found = re.search(r'type="hidden" name="version" id="id_version" value="(\d+)"', page)
    assert found, "the form carries no version"
    return found.group(1)


def signed_in(user: User) -> Client:
    client = Client()
    client.force_login(user)
    return client


def at_once(*posts: Callable[[], Any]) -> list[Any]:
    """Run each post in its own thread (its own database connection), released
    together by a barrier; returns their responses in order."""
    barrier = threading.Barrier(len(posts))
    results: list[Any] = [None] * len(posts)

    def run(index: int, post: Callable[[], Any]) -> None:
        try:
            barrier.wait()
            results[index] = post()
        except Exception as error:  # reported below, in the test's thread
            results[index] = error
        finally:
            connection.close()

    threads = [threading.Thread(target=run, args=(i, p)) for i, p in enumerate(posts)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(timeout=60)
    for result in results:
        if isinstance(result, Exception):
            raise result
    return results


def test_two_officers_save_one_assessment_at_once() -> None:
    first = UserFactory(username="asha", first_name="Asha", last_name="Patel", role=QUALITY_OFFICER)
    second = UserFactory(username="ben", first_name="Ben", last_name="Okoro", role=QUALITY_OFFICER)
    provider = ProviderFactory(ref="PA", name="Alpha Home Care")
    assessment = start_assessment(provider, load_default_framework(), first, "routine")
    url = reverse("assessment-edit", args=[assessment.pk])
    asha, ben = signed_in(first), signed_in(second)
    # Both open the form, seeing the same version.
    shown = {version_on(c.get(url).content.decode()) for c in (asha, ben)}
    assert shown == {"0"}

    def save(client: Client, assessors: str) -> Any:
        data = {**details(assessors=assessors), "version": "0", "action": "save"}
        return client.post(url, data)

    responses = at_once(lambda: save(asha, "Asha Patel"), lambda: save(ben, "Ben Okoro"))

    saved = [r for r in responses if r.status_code == 302]
    refused = [r for r in responses if r.status_code == 200]
    assert len(saved) == 1 and len(refused) == 1
    page = refused[0].content.decode()
    conflict = CONFLICT.search(page)
    assert conflict, page[:2000]
    assessment.refresh_from_db()
    winner = "Asha Patel" if responses[0].status_code == 302 else "Ben Okoro"
    loser = "Ben Okoro" if winner == "Asha Patel" else "Asha Patel"
    # The saved change is the winner's, named in the loser's message.
    assert assessment.assessors == winner and conflict.group("name") == winner
    assert assessment.version == 1 and assessment.changed_by.get_full_name() == winner
    # The error summary leads the page; the loser's typing is still in the form,
    # which now carries the saved version, so saving again is a choice.
    assert page.index("There is a problem") < page.index("Record the assessment")
    assert f'value="{loser}"' in page
    assert version_on(page) == "1"
    loser_client = ben if loser == "Ben Okoro" else asha
    again = loser_client.post(url, {**details(assessors=loser), "version": "1", "action": "save"})
    assert again.status_code == 302
    assessment.refresh_from_db()
    assert assessment.assessors == loser and assessment.version == 2
    assert Assessment.objects.count() == 1


def test_two_commissioners_change_a_lots_thresholds_at_once() -> None:
    first = UserFactory(username="cara", first_name="Cara", last_name="Lee", role=COMMISSIONER)
    second = UserFactory(username="dev", first_name="Dev", last_name="Shah", role=COMMISSIONER)
    lot = LotFactory()
    url = reverse("lot-thresholds", args=[lot.pk])
    cara, dev = signed_in(first), signed_in(second)
    assert {version_on(c.get(url).content.decode()) for c in (cara, dev)} == {"0"}

    def save(client: Client, minutes: str) -> Any:
        return client.post(url, {"late_after_minutes": minutes, "version": "0"})

    responses = at_once(lambda: save(cara, "20"), lambda: save(dev, "25"))
    assert sorted(r.status_code for r in responses) == [200, 302]
    refused = next(r for r in responses if r.status_code == 200).content.decode()
    row = KpiThresholds.objects.get(lot=Lot.objects.get(pk=lot.pk))
    winner = "Cara Lee" if responses[0].status_code == 302 else "Dev Shah"
    assert CONFLICT.search(refused).group("name") == winner
    assert row.late_after_minutes == (20 if winner == "Cara Lee" else 25)
    assert row.version == 1 and KpiThresholds.objects.count() == 1
