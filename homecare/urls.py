from django.contrib import admin
from django.urls import include, path

from homecare.accounts import views as account_views
from homecare.dashboards.views import monthly as dashboard_views
from homecare.dashboards.views import providers, return_figures
from homecare.imports import views as imports
from homecare.kpis import views as threshold_views
from homecare.ops import views as ops_views
from homecare.packs import views as pack_views
from homecare.search import views as search_views

urlpatterns = [
    path("", account_views.home, name="home"),
    path("login/", account_views.LoginView.as_view(), name="login"),
    path("logout/", account_views.LogoutView.as_view(), name="logout"),
    # Before admin/: the admin's sign-in is replaced by the service's own.
    path("", include("homecare.accounts.urls")),
    path("providers/", providers.provider_list, name="providers"),
    path("providers/<str:ref>/", providers.provider_detail, name="provider"),
    path("imports/", imports.import_list, name="imports"),
    path("imports/upload/", imports.upload, name="upload"),
    path("imports/<int:pk>/", imports.import_record, name="import-record"),
    path("imports/<int:pk>/problems.csv", imports.import_errors, name="import-errors"),
    path("imports/<int:pk>/problems.xlsx", imports.import_errors_xlsx, name="import-errors-xlsx"),
    path("imports/<int:pk>/run-again/", imports.rerun_import, name="import-rerun"),
    path("market/", dashboard_views.market, name="market"),
    path("market/returns/", return_figures.market_returns, name="market-returns"),
    path("market/", include("homecare.market.urls")),
    path("", include("homecare.alerts.urls")),
    path(
        "providers/<str:ref>/dashboard/",
        dashboard_views.provider_dashboard,
        name="provider-dashboard",
    ),
    path("lots/<int:pk>/", dashboard_views.lot_view, name="lot"),
    path("rag-thresholds/", dashboard_views.rag_thresholds, name="rag-thresholds"),
    path(
        "rag-thresholds/<str:measure>/",
        dashboard_views.rag_threshold_edit,
        name="rag-threshold",
    ),
    path("", include("homecare.quality.urls")),
    path("kpi-thresholds/", threshold_views.kpi_thresholds, name="kpi-thresholds"),
    path("kpi-thresholds/lots/<int:pk>/", threshold_views.lot_thresholds, name="lot-thresholds"),
    path(
        "kpi-thresholds/contracts/",
        threshold_views.pick_contract,
        name="contract-thresholds-pick",
    ),
    path(
        "kpi-thresholds/contracts/<str:ref>/",
        threshold_views.contract_thresholds,
        name="contract-thresholds",
    ),
    path("packs/", pack_views.pack_list, name="packs"),
    path("packs/build/", pack_views.pack_build, name="pack-build"),
    path("packs/<int:pk>/download/", pack_views.pack_download, name="pack-download"),
    path("payments/", include("homecare.payments.urls")),
    path("improvement/", include("homecare.improvement.urls")),
    path("ranking/", include("homecare.ranking.urls")),
    path("", include("homecare.returns.urls")),
    path("", include("homecare.api.urls")),
    path("admin/", admin.site.urls),
    path("metrics", ops_views.metrics, name="metrics"),
    path("health/", ops_views.health, name="health"),
    path("search/", search_views.search, name="search"),
    path("", include("homecare.sso.urls")),
]

# Django's own refusals of a request drawn in the service's frame.
handler400 = "homecare.accounts.bad_request.bad_request"
