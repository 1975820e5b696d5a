from django.urls import path

from homecare.market.views import capacity, cqc, register, requests, waiting

urlpatterns = [
    path("waiting/", waiting.market, name="market-waiting"),
    path("waiting/lots/<int:pk>/", waiting.lot, name="market-lot"),
    path("cqc/", cqc.overview, name="market-cqc"),
    path("register/", register.register, name="market-register"),
    path("register/entries/<int:pk>/", register.entry, name="market-register-entry"),
    path("register/<str:ref>/", register.provider_register, name="market-register-provider"),
    path("capacity/", capacity.capacity, name="market-capacity"),
    path("capacity/<int:pk>/", capacity.declaration, name="market-declaration"),
    path("requests/", requests.request_list, name="market-requests"),
    path("requests/<str:ref>/", requests.request_detail, name="market-request"),
    path("exit/<str:ref>/", requests.exit_view, name="market-exit"),
]
