from django.contrib import admin
from django.urls import path

from homecare.views import auth, home, imports, providers

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
    path("admin/", admin.site.urls),
]
