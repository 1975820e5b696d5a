"""One log line per request: what was asked, the answer and how long it took,
with the request id (django-guid) that every other line of the request and
the tasks it sent carry. Static files are served before this runs and are not
logged; the health check and scrapes are logged only at DEBUG."""

from __future__ import annotations

import logging
import time
from collections.abc import Callable

from django.http import HttpRequest, HttpResponse

logger = logging.getLogger("homecare.requests")

QUIET_PATHS = ("/health/", "/metrics")


class RequestLogMiddleware:
    def __init__(self, get_response: Callable[[HttpRequest], HttpResponse]) -> None:
        self.get_response = get_response

    def __call__(self, request: HttpRequest) -> HttpResponse:
        began = time.perf_counter()
        response = self.get_response(request)
        duration_ms = round((time.perf_counter() - began) * 1000, 1)
        level = logging.DEBUG if request.path.startswith(QUIET_PATHS) else logging.INFO
        if response.status_code >= 500:
            level = logging.ERROR
        user = getattr(request, "user", None)
        # The path only: query strings can carry search text.
        logger.log(
            level,
            "%s %s %s %.0fms",
            request.method,
            request.path,
            response.status_code,
            duration_ms,
            extra={
                "method": request.method,
                "path": request.path,
                "status": response.status_code,
                "duration_ms": duration_ms,
                "user_id": user.pk if user is not None and user.is_authenticated else None,
            },
        )
        return response
