from django.contrib import admin
from django.urls import path

from homecare.views import auth, home, imports, providers
from homecare.views import dashboards as dashboard_views
from homecare.views import thresholds as threshold_views

urlpatterns = [
    path("", home.home, name="home"),
    path("login/", auth.LoginView.as_view(), name="login"),
    path("logout/", auth.LogoutView.as_view(), name="logout"),
    path("providers/", providers.provider_list, name="providers"),
    path("providers/<str:ref>/", providers.provider_detail, name="provider"),
    path("imports/", imports.import_list, name="imports"),
    path("imports/upload/", imports.upload, name="upload"),
    path("imports/<int:pk>/", imports.import_record, name="import-record"),
    path("imports/<int:pk>/errors.txt", imports.import_errors, name="import-errors"),
    path("market/", dashboard_views.market, name="market"),
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
    path("admin/", admin.site.urls),
]
