"""The endpoints machines read: /metrics for Prometheus and /health/ for the
load balancer, container health checks and uptime monitors. Neither needs a
log-in; /metrics has its own check (homecare.ops.access)."""

from __future__ import annotations

from django.contrib.auth.decorators import login_not_required
from django.http import HttpRequest, HttpResponse
from django.views.decorators.cache import never_cache
from django.views.decorators.http import require_GET
from prometheus_client import CONTENT_TYPE_LATEST, generate_latest

from homecare.ops.access import Verdict, metrics_access
from homecare.ops.health import HealthView
from homecare.ops.metrics import web_registry


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


# One /health/ (homecare.ops.health): the checks of django-health-check.
health = login_not_required(require_GET(HealthView.as_view()))
