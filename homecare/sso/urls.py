from django.contrib.auth.decorators import login_not_required
from django.urls import path

from homecare.sso import views

# mozilla-django-oidc's own url names, which its middleware reverses.
urlpatterns = [
    path(
        "sso/start/",
        login_not_required(views.SsoStartView.as_view()),
        name="oidc_authentication_init",
    ),
    path(
        "sso/callback/",
        login_not_required(views.SsoCallbackView.as_view()),
        name="oidc_authentication_callback",
    ),
]
