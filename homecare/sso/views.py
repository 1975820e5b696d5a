"""Starting a sign-in at the council's identity provider, and its answer.
Both 404 unless single sign-on is configured; an identity provider that does
not answer is a message on the sign-in page, never a server error."""

from __future__ import annotations

import logging
from typing import Any

import requests
from django.contrib import messages
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect
from django.views.generic import View
from mozilla_django_oidc.views import OIDCAuthenticationCallbackView, OIDCAuthenticationRequestView

from homecare.sso import config

logger = logging.getLogger("homecare.sso")

UNAVAILABLE = (
    "Signing in with your council account is not working at the moment. Try "
    "again later, or contact your council's IT service desk."
)
REFUSED = "You were not signed in with your council account."
ENDED = "Your council sign-in has ended. Sign in again to carry on."


class SsoStartView(OIDCAuthenticationRequestView):
    get_settings = staticmethod(config.get_setting)

    def __init__(self, **kwargs: Any) -> None:
        # The endpoints are looked up in get(), where a failure can be shown.
        View.__init__(self, **kwargs)

    def get(self, request: HttpRequest) -> HttpResponse:
        if not config.enabled():
            raise Http404("Single sign-on is not configured")
        try:
            self.OIDC_OP_AUTH_ENDPOINT = self.get_settings("OIDC_OP_AUTHORIZATION_ENDPOINT")
        except config.ProviderUnavailable as error:
            logger.warning("sso: identity provider unavailable: %s", error)
            messages.error(request, UNAVAILABLE)
            return redirect("login")
        self.OIDC_RP_CLIENT_ID = self.get_settings("OIDC_RP_CLIENT_ID")
        response: HttpResponse = super().get(request)
        return response


class SsoCallbackView(OIDCAuthenticationCallbackView):
    get_settings = staticmethod(config.get_setting)

    @property
    def failure_url(self) -> str:
        return "/login/"

    def get(self, request: HttpRequest) -> HttpResponse:
        if not config.enabled():
            raise Http404("Single sign-on is not configured")
        error = request.GET.get("error")
        if error == "login_required":
            # The silent re-check found no sign-in at the identity provider.
            messages.info(request, ENDED)
        elif error:
            messages.error(request, REFUSED)
        try:
            response: HttpResponse = super().get(request)
        except (requests.RequestException, config.ProviderUnavailable) as error:
            logger.warning("sso: sign-in failed talking to the identity provider: %s", error)
            messages.error(request, UNAVAILABLE)
            return redirect("login")
        return response
