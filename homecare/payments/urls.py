from django.urls import path

from homecare.payments import views

urlpatterns = [
    path("", views.schedule, name="payments"),
    path("hours/", views.hours, name="payments-hours"),
    path("flex/", views.flex, name="payments-flex"),
    path("time-bank/", views.time_bank, name="payments-time-bank"),
]
