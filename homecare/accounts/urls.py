"""A person's own account, the two-factor step of signing in, and the admin's
sign-in (which is the service's own). Signing in and out stay in homecare/urls.py."""

from django.urls import path

from homecare.accounts import account_views

urlpatterns = [
    path("account/", account_views.account, name="account"),
    path("account/password/", account_views.ChangePasswordView.as_view(), name="password-change"),
    path("account/two-factor/", account_views.two_factor, name="two-factor"),
    path("login/code/", account_views.sign_in_code, name="two-factor-code"),
    path("admin/login/", account_views.admin_login, name="admin-login"),
]
