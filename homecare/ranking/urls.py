from django.urls import path

from homecare.ranking import views

urlpatterns = [
    path("", views.index, name="ranking"),
    path("settings/", views.settings_view, name="ranking-settings"),
    path("compute/", views.compute_now, name="ranking-compute"),
    path("lots/<int:pk>/", views.lot_view, name="ranking-lot"),
    path("lots/<int:pk>/providers/<str:ref>/", views.provider_view, name="ranking-provider"),
]
