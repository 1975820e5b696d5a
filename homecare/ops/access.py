"""Who may read /metrics: a scraper presenting METRICS_TOKEN as a bearer
token, or one calling from METRICS_ALLOWED_IPS. Nobody else: the figures say
how busy the service is and which imports ran, and are not for the public.

The address checked is the one the connection came from (REMOTE_ADDR), never
X-Forwarded-For, which any client can write: scrape the app directly on the
internal network, not through the public proxy."""

from __future__ import annotations

import hmac
import ipaddress
from enum import Enum

from django.conf import settings
from django.http import HttpRequest


class Verdict(Enum):
    ALLOWED = "allowed"
    NO_TOKEN = "no token"
    REFUSED = "refused"


def _networks() -> list[ipaddress.IPv4Network | ipaddress.IPv6Network]:
    return [ipaddress.ip_network(entry, strict=False) for entry in settings.METRICS_ALLOWED_IPS]


def _bearer(request: HttpRequest) -> str | None:
    header = request.headers.get("Authorization", "")
    scheme, _, token = header.partition(" ")
    if scheme.lower() != "bearer" or not token.strip():
        return None
    return token.strip()


def metrics_access(request: HttpRequest) -> Verdict:
    expected = settings.METRICS_TOKEN
    presented = _bearer(request)
    if expected and presented is not None:
        # A wrong token is refused even from an allowed address: it is a misconfiguration.
        if hmac.compare_digest(presented.encode(), expected.encode()):
            return Verdict.ALLOWED
        return Verdict.REFUSED
    try:
        client = ipaddress.ip_address(request.META.get("REMOTE_ADDR", ""))
    except ValueError:
        client = None
    if client is not None and any(client in network for network in _networks()):
        return Verdict.ALLOWED
    return Verdict.NO_TOKEN if expected else Verdict.REFUSED
