"""The 400 page: a query value a page's form refused (homecare.ui.query), or
any other bad request Django refuses, shown in the service's frame with what
was wrong, never Django's bare text or a server error."""

from __future__ import annotations

from collections.abc import Callable

from django.http import HttpRequest, HttpResponse

from homecare.accounts.pages import render_page
from homecare.ui.query import InvalidQuery

BAD_REQUEST_TEMPLATE = "400.html"


def bad_request_page(request: HttpRequest, errors: list[str]) -> HttpResponse:
    return render_page(
        request, BAD_REQUEST_TEMPLATE, {"query_errors": errors, "error_title": True}, status=400
    )


class InvalidQueryMiddleware:
    """Turns InvalidQuery into the 400 page even with DEBUG on (Django would
    show its technical page for a BadRequest then), so the demo answers as
    production does."""

    def __init__(self, get_response: Callable[[HttpRequest], HttpResponse]) -> None:
        self.get_response = get_response

    def __call__(self, request: HttpRequest) -> HttpResponse:
        return self.get_response(request)

    def process_exception(self, request: HttpRequest, exception: Exception) -> HttpResponse | None:
        if isinstance(exception, InvalidQuery):
            return bad_request_page(request, exception.errors)
        return None


def bad_request(request: HttpRequest, exception: Exception | None = None) -> HttpResponse:
    """handler400: Django's other refusals (too many fields, a bad host in DEBUG off...)."""
    errors = exception.errors if isinstance(exception, InvalidQuery) else []
    return bad_request_page(request, errors)
