"""A URLconf with one view that logs an error, for the Sentry test."""

from __future__ import annotations

import logging

from django.contrib.auth.decorators import login_not_required
from django.http import HttpRequest, HttpResponse
from django.urls import path
from django.views.decorators.csrf import csrf_exempt
from django_guid import get_guid


@login_not_required
@csrf_exempt
def broken(request: HttpRequest) -> HttpResponse:
    secret_note = request.POST.get("note", "")  # a local variable Sentry must not send
    try:
        raise ValueError("could not add up")
    except ValueError:
        logging.getLogger("homecare.example").exception("The figures failed")
    return HttpResponse(f"REQUEST_ID {get_guid()} {len(secret_note)}")


urlpatterns = [path("broken/", broken)]
