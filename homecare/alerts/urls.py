from django.urls import path

from homecare.alerts import views

urlpatterns = [
    path("alerts/", views.alert_list, name="alerts"),
    path("alerts/read-all/", views.alerts_read_all, name="alerts-read-all"),
    path("alerts/daily-email/", views.digest, name="alerts-digest"),
    path("alerts/<int:pk>/read/", views.alert_read, name="alert-read"),
]
