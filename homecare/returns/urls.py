from django.urls import path

from homecare.returns import views

urlpatterns = [
    path("returns/", views.returns_home, name="returns"),
    path("returns/tracker/", views.tracker, name="returns-tracker"),
    path("returns/<str:ref>/<str:month>/", views.return_overview, name="return"),
    path("returns/<str:ref>/<str:month>/check/", views.return_check, name="return-check"),
    path("returns/<str:ref>/<str:month>/reopen/", views.return_reopen, name="return-reopen"),
    path(
        "returns/<str:ref>/<str:month>/<slug:section>/",
        views.return_section,
        name="return-section",
    ),
]
