"""The alerts page: who sees which alerts, read and unread per user, the
filter by provider, the count in the navigation, the daily e-mail preference."""

from __future__ import annotations

import datetime as dt
import re
from typing import Any

import pytest
from django.test import Client
from django.utils import timezone

from homecare.alerts.models import Alert, AlertKind, AlertPreference
from providers.access import COMMISSIONER, QUALITY_OFFICER
from tests.conftest import login
from tests.factories import ProviderFactory, UserFactory, provider_user

pytestmark = pytest.mark.django_db


def alert(provider: Any, kind: str, message: str, *, subject: str = "", minutes_ago: int = 0):
    return Alert.objects.create(
        kind=kind,
        provider=provider,
        subject=subject,
        on=dt.date(2026, 10, 1),
        message=message,
        raised_at=timezone.now() - dt.timedelta(minutes=minutes_ago),
    )


@pytest.fixture
def alerts() -> dict[str, Any]:
    acme = ProviderFactory(ref="ACME", name="Acme Care")
    bright = ProviderFactory(ref="BRIGHT", name="Bright Care")
    return {
        "acme": acme,
        "bright": bright,
        "red": alert(
            acme, AlertKind.KPI_RED, "Acme Care turned red on late visits.", minutes_ago=3
        ),
        "return": alert(
            bright, AlertKind.RETURN_MISSED, "Bright Care has no return.", minutes_ago=2
        ),
        "risk": alert(
            acme, AlertKind.RISK_REVIEW_OVERDUE, "Acme Care's review is overdue.", minutes_ago=1
        ),
    }


def messages_on(html: str) -> list[str]:
    """The alerts listed, in the order shown."""
    return re.findall(r'<p class="govuk-body govuk-!-margin-bottom-1">([^<]*)</p>', html)


def test_commissioners_see_every_alert_newest_first_and_filter_by_provider(
    client: Client, alerts: dict[str, Any]
) -> None:
    login(client, UserFactory(username="c1", role=COMMISSIONER))
    html = client.get("/alerts/").content.decode()
    assert messages_on(html) == [
        "Acme Care&#x27;s review is overdue.",
        "Bright Care has no return.",
        "Acme Care turned red on late visits.",
    ]
    assert "You have 3 unread." in html
    html = client.get("/alerts/", {"provider": "ACME"}).content.decode()
    assert messages_on(html) == [
        "Acme Care&#x27;s review is overdue.",
        "Acme Care turned red on late visits.",
    ]
    assert "Unread alerts about Acme Care" in html


def test_a_bad_filter_is_a_clear_400(client: Client, alerts: dict[str, Any]) -> None:
    login(client, UserFactory(username="c1", role=COMMISSIONER))
    response = client.get("/alerts/", {"provider": "NOPE"})
    assert response.status_code == 400
    assert "Choose a provider from the list" in response.content.decode()
    assert client.get("/alerts/", {"show": "some"}).status_code == 400


def test_read_and_unread_are_each_users_own(client: Client, alerts: dict[str, Any]) -> None:
    first = UserFactory(username="c1", role=COMMISSIONER)
    second = UserFactory(username="q1", role=QUALITY_OFFICER)
    login(client, first)
    response = client.post(f"/alerts/{alerts['red'].pk}/read/", {"back": "provider=ACME"})
    assert response.status_code == 302 and response["Location"] == "/alerts/?provider=ACME"
    unread = messages_on(client.get("/alerts/").content.decode())
    assert "Acme Care turned red on late visits." not in unread and len(unread) == 2
    assert messages_on(client.get("/alerts/", {"show": "read"}).content.decode()) == [
        "Acme Care turned red on late visits."
    ]
    # Still unread for someone else.
    other = Client()
    login(other, second)
    assert len(messages_on(other.get("/alerts/").content.decode())) == 3
    # Unread again.
    client.post(f"/alerts/{alerts['red'].pk}/read/", {"unread": "1"})
    assert len(messages_on(client.get("/alerts/").content.decode())) == 3
    # All of one provider's read at once.
    client.post("/alerts/read-all/", {"provider": "ACME"})
    assert messages_on(client.get("/alerts/").content.decode()) == ["Bright Care has no return."]
    assert len(messages_on(client.get("/alerts/", {"show": "all"}).content.decode())) == 3


def test_a_providers_user_sees_only_its_own_providers_alerts(
    client: Client, alerts: dict[str, Any]
) -> None:
    login(client, provider_user(alerts["acme"], username="acme-user"))
    html = client.get("/alerts/").content.decode()
    # The council's risk register is not shown to the provider.
    assert messages_on(html) == ["Acme Care turned red on late visits."]
    assert "Bright Care" not in html
    # Another provider's alert is not there at all.
    assert client.post(f"/alerts/{alerts['return'].pk}/read/").status_code == 404
    assert client.post(f"/alerts/{alerts['risk'].pk}/read/").status_code == 404
    assert client.get("/alerts/", {"provider": "BRIGHT"}).status_code == 400
    assert client.post(f"/alerts/{alerts['red'].pk}/read/").status_code == 302
    # Marking all read touches only what the user sees.
    client.post("/alerts/read-all/", {"provider": "BRIGHT"})
    login(client, UserFactory(username="c1", role=COMMISSIONER))
    assert len(messages_on(client.get("/alerts/").content.decode())) == 3


def test_only_signed_in_users_with_a_role_see_alerts(
    client: Client, alerts: dict[str, Any]
) -> None:
    assert client.get("/alerts/").status_code == 302  # to sign in
    login(client, UserFactory(username="nobody"))
    assert client.get("/alerts/").status_code == 403
    assert client.post(f"/alerts/{alerts['red'].pk}/read/").status_code == 403


def test_the_navigation_counts_unread_alerts(client: Client, alerts: dict[str, Any]) -> None:
    user = UserFactory(username="c1", role=COMMISSIONER)
    login(client, user)
    nav = client.get("/").content.decode()
    assert re.search(
        r'Alerts <span class="app-count">3<span class="govuk-visually-hidden"> unread', nav
    )
    client.post("/alerts/read-all/")
    nav = client.get("/").content.decode()
    assert ">Alerts</a>" in nav and "app-count" not in nav
    login(client, provider_user(alerts["bright"], username="bright-user"))
    assert re.search(r"Alerts <span class=\"app-count\">1<", client.get("/").content.decode())


def test_the_page_runs_a_bounded_number_of_queries(
    client: Client, alerts: dict[str, Any], django_assert_max_num_queries: Any
) -> None:
    login(client, UserFactory(username="c1", role=COMMISSIONER))

    def count() -> int:
        from django.db import connection
        from django.test.utils import CaptureQueriesContext

        with CaptureQueriesContext(connection) as captured:
            assert client.get("/alerts/", {"show": "all"}).status_code == 200
        return len(captured)

    few = count()
    for n in range(40):
        alert(alerts["acme"], AlertKind.ECM_MISSED, f"Missing {n}", subject=str(n))
    assert count() == few
    with django_assert_max_num_queries(12):
        client.get("/alerts/")


def test_the_daily_email_preference(client: Client, alerts: dict[str, Any]) -> None:
    user = UserFactory(username="c1", role=COMMISSIONER, email="c1@council.example")
    login(client, user)
    html = client.get("/alerts/").content.decode()
    assert (
        'name="daily_digest"' in html and "checked" not in html.split('name="daily_digest"')[1][:80]
    )
    response = client.post("/alerts/daily-email/", {"daily_digest": "on"}, follow=True)
    assert "You will get a daily e-mail of new alerts." in response.content.decode()
    assert AlertPreference.objects.get(user=user).daily_digest is True
    client.post("/alerts/daily-email/", {})
    assert AlertPreference.objects.get(user=user).daily_digest is False
    assert client.get("/alerts/daily-email/").status_code == 405
