"""The alerts link in the service navigation, with the user's unread count.
Lazy: the count runs only on pages that draw the navigation, and is kept for
a minute per user (selectors.cached_unread_count), so moving from page to
page costs no query; the alerts page itself always counts afresh."""

from __future__ import annotations

from functools import cached_property
from typing import Any

from django.http import HttpRequest

from homecare.alerts import selectors
from providers.permissions import may


class AlertsLink:
    def __init__(self, request: HttpRequest) -> None:
        self.user = request.user

    @cached_property
    def show(self) -> bool:
        return bool(self.user.is_authenticated and may(self.user, "alerts.see_alerts"))

    @cached_property
    def unread(self) -> int:
        return selectors.cached_unread_count(self.user) if self.show else 0


def alerts(request: HttpRequest) -> dict[str, Any]:
    return {"alerts_link": AlertsLink(request)}
