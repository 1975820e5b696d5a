"""/api/v1/: token-authenticated, so Django's sign-in requirement is lifted
(login_not_required); the schema and its documentation pages are public (they
describe the API and hold no data)."""

from csp.decorators import csp_update
from django.contrib.auth.decorators import login_not_required
from django.http import HttpRequest, JsonResponse
from django.urls import path, re_path
from drf_spectacular.views import (
    SpectacularAPIView,
    SpectacularRedocView,
    SpectacularSwaggerSplitView,
)
from rest_framework.permissions import AllowAny

from homecare.api.views import files, kpis, returns, tokens


def open_view(view):  # type: ignore[no-untyped-def]
    return login_not_required(view)


def not_found(request: HttpRequest, rest: str = "") -> JsonResponse:
    """Anything else under /api/v1/ (an id that is not a number, say) is a
    JSON 404 as the schema says, not the site's HTML page."""
    return JsonResponse({"detail": "Not found."}, status=404)


schema = SpectacularAPIView.as_view(
    authentication_classes=[], permission_classes=[AllowAny], throttle_classes=[]
)
# The documentation pages' own templates carry a <style> block, and Redoc
# styles itself with injected <style> tags: inline styles are allowed on these
# two pages only (scripts stay 'self': Swagger UI's start-up is a file).
docs_styles = csp_update({"style-src": ["'unsafe-inline'"]})
swagger = SpectacularSwaggerSplitView.as_view(
    url_name="api-schema",
    authentication_classes=[],
    permission_classes=[AllowAny],
    throttle_classes=[],
)
redoc = SpectacularRedocView.as_view(
    url_name="api-schema",
    authentication_classes=[],
    permission_classes=[AllowAny],
    throttle_classes=[],
)

urlpatterns = [
    path("api/v1/schema/", open_view(schema), name="api-schema"),
    path("api/v1/docs/", open_view(docs_styles(swagger)), name="api-docs"),
    path("api/v1/redoc/", open_view(docs_styles(redoc)), name="api-redoc"),
    path("api/v1/visits-files/", open_view(files.VisitsFileView.as_view()), name="api-visits-file"),
    path("api/v1/imports/", open_view(files.ImportList.as_view()), name="api-imports"),
    path("api/v1/imports/<int:pk>/", open_view(files.ImportDetail.as_view()), name="api-import"),
    path("api/v1/returns/", open_view(returns.ReturnList.as_view()), name="api-returns"),
    path("api/v1/returns/<int:pk>/", open_view(returns.ReturnDetail.as_view()), name="api-return"),
    path("api/v1/kpis/", open_view(kpis.KpiList.as_view()), name="api-kpis"),
    path("api/v1/kpis/<int:pk>/", open_view(kpis.KpiDetail.as_view()), name="api-kpi"),
    re_path(r"^api/v1/(?P<rest>.*)$", open_view(not_found)),
    path("api-tokens/", tokens.token_list, name="api-tokens"),
    path("api-tokens/<int:pk>/revoke/", tokens.token_revoke, name="api-token-revoke"),
]
