"""The endpoints machines read: /metrics for Prometheus and /health/ for the
load balancer, container health checks and uptime monitors. Neither needs a
log-in; /metrics has its own check (homecare.ops.access)."""

from __future__ import annotations

import logging

from django.contrib.auth.decorators import login_not_required
from django.db import DatabaseError, connection
from django.http import HttpRequest, HttpResponse, JsonResponse
from django.views.decorators.cache import never_cache
from django.views.decorators.http import require_GET
from prometheus_client import CONTENT_TYPE_LATEST, generate_latest

from homecare.ops.access import Verdict, metrics_access
from homecare.ops.metrics import web_registry

logger = logging.getLogger(__name__)


@login_not_required
@never_cache
@require_GET
def metrics(request: HttpRequest) -> HttpResponse:
    verdict = metrics_access(request)
    if verdict is Verdict.NO_TOKEN:
        response = HttpResponse(
            "A bearer token is needed.\n", status=401, content_type="text/plain"
        )
        response["WWW-Authenticate"] = 'Bearer realm="metrics"'
        return response
    if verdict is Verdict.REFUSED:
        return HttpResponse("Forbidden.\n", status=403, content_type="text/plain")
    return HttpResponse(generate_latest(web_registry()), content_type=CONTENT_TYPE_LATEST)


@login_not_required
@never_cache
@require_GET
def health(request: HttpRequest) -> JsonResponse:
    """200 while the app can reach its database, 503 when it cannot. Says
    nothing else, so it is safe to leave open."""
    try:
        with connection.cursor() as cursor:
            cursor.execute("SELECT 1")
            cursor.fetchone()
    except DatabaseError:
        logger.exception("Health check: the database did not answer")
        return JsonResponse({"status": "unavailable", "database": "unreachable"}, status=503)
    return JsonResponse({"status": "ok", "database": "ok"})
