"""Security settings (docs/security.md): HTTPS, headers, the Content Security
Policy, sessions, log-in protection and two-factor sign-in. settings.py takes
them all; every value can be set from the environment."""

import os
from datetime import timedelta

from csp.constants import NONE, SELF
from django.core.exceptions import ImproperlyConfigured

from homecare.settings_env import COUNCIL_NAME, DEBUG, SERVICE_NAME, env_bool

# HTTP (docs/security.md): with DEBUG off, HTTPS only: plain http is
# redirected, HSTS tells browsers never to try it, cookies are sent over
# HTTPS only. Each can be turned off from the environment for a run on the
# loopback (the load benchmark), which `check --deploy` then reports.
SESSION_COOKIE_HTTPONLY = True
SESSION_COOKIE_SECURE = env_bool("SECURE_COOKIES", not DEBUG)
CSRF_COOKIE_SECURE = SESSION_COOKIE_SECURE
SECURE_SSL_REDIRECT = env_bool("SECURE_SSL_REDIRECT", not DEBUG)
# The load balancer's probe and Prometheus's scrape come over plain http
# from inside the network.
SECURE_REDIRECT_EXEMPT = [r"^health/$", r"^metrics$"]
SECURE_HSTS_SECONDS = int(os.environ.get("SECURE_HSTS_SECONDS", "0" if DEBUG else "31536000"))
SECURE_HSTS_INCLUDE_SUBDOMAINS = env_bool("SECURE_HSTS_INCLUDE_SUBDOMAINS", True)
SECURE_HSTS_PRELOAD = env_bool("SECURE_HSTS_PRELOAD", True)
# Behind a proxy that ends TLS, Django sees plain http: the header the proxy
# sets says the browser's request was HTTPS, e.g.
# SECURE_PROXY_SSL_HEADER=X-Forwarded-Proto:https. Set it only when the proxy
# always sets (or strips) that header, or a client could claim HTTPS.
_proxy_header = os.environ.get("SECURE_PROXY_SSL_HEADER", "")
if _proxy_header:
    _name, _, _value = _proxy_header.partition(":")
    if not _value:
        raise ImproperlyConfigured("SECURE_PROXY_SSL_HEADER must be Header-Name:value.")
    SECURE_PROXY_SSL_HEADER = ("HTTP_" + _name.strip().upper().replace("-", "_"), _value.strip())
SECURE_CONTENT_TYPE_NOSNIFF = True
SECURE_REFERRER_POLICY = "same-origin"
SECURE_CROSS_ORIGIN_OPENER_POLICY = "same-origin"
X_FRAME_OPTIONS = "DENY"
# Content Security Policy (django-csp): scripts, styles, fonts and images from
# this service only; no inline script (GOV.UK Frontend's start-up is
# static/js/init.js), no plugins, no framing. Data URIs for images only: the
# empty favicon.
CONTENT_SECURITY_POLICY = {
    "DIRECTIVES": {
        "default-src": [SELF],
        "script-src": [SELF],
        "style-src": [SELF],
        "img-src": [SELF, "data:"],
        "font-src": [SELF],
        "connect-src": [SELF],
        "form-action": [SELF],
        "frame-ancestors": [NONE],
        "base-uri": [SELF],
        "object-src": [NONE],
    },
}
# Permissions-Policy (django-permissions-policy): none of these features is used.
PERMISSIONS_POLICY: dict[str, list[str]] = {
    feature: []
    for feature in (
        "accelerometer",
        "autoplay",
        "camera",
        "display-capture",
        "encrypted-media",
        "fullscreen",
        "geolocation",
        "gyroscope",
        "magnetometer",
        "microphone",
        "midi",
        "payment",
        "picture-in-picture",
        "publickey-credentials-get",
        "screen-wake-lock",
        "sync-xhr",
        "usb",
        "xr-spatial-tracking",
    )
}
SESSION_COOKIE_AGE = 8 * 60 * 60
# A session ends after this many minutes without a request
# (homecare/accounts/middleware.py).
SESSION_IDLE_MINUTES = int(os.environ.get("SESSION_IDLE_MINUTES", "30"))

# Log-in protection (django-axes). A person may enter LOGIN_FAILURE_LIMIT wrong
# passwords; the next wrong one locks that username from that IP address for
# LOGIN_LOCKOUT_MINUTES, counted from the failure that locked it (trying again
# while locked does not push the time back, so the time on the page holds).
LOGIN_FAILURE_LIMIT = int(os.environ.get("LOGIN_FAILURE_LIMIT", "5"))
LOGIN_LOCKOUT_MINUTES = int(os.environ.get("LOGIN_LOCKOUT_MINUTES", "30"))
AXES_FAILURE_LIMIT = LOGIN_FAILURE_LIMIT + 1
AXES_COOLOFF_TIME = timedelta(minutes=LOGIN_LOCKOUT_MINUTES)
AXES_LOCKOUT_PARAMETERS = [["username", "ip_address"]]
AXES_RESET_ON_SUCCESS = True
AXES_RESET_COOL_OFF_ON_FAILURE_DURING_LOCKOUT = False
AXES_ENABLE_ACCESS_FAILURE_LOG = True
AXES_LOCKOUT_CALLABLE = "homecare.accounts.lockout.lockout_response"
# Behind TRUSTED_PROXY_COUNT reverse proxies, each appends the address it was
# reached from to X-Forwarded-For, so the client is the entry that many places
# from the right; whatever a client wrote further left is ignored, or anyone
# could pick the address they are locked out by. With none, REMOTE_ADDR.
TRUSTED_PROXY_COUNT = int(os.environ.get("TRUSTED_PROXY_COUNT", "0"))
if TRUSTED_PROXY_COUNT:
    AXES_IPWARE_META_PRECEDENCE_ORDER = ("HTTP_X_FORWARDED_FOR", "REMOTE_ADDR")
    AXES_IPWARE_PROXY_COUNT = TRUSTED_PROXY_COUNT - 1  # ipware counts hops after the client
    IPWARE_STRICT = False  # extra entries in front are skipped, not a reason to give up

# Two-factor sign-in (django-otp, TOTP). Anyone may turn it on; with
# OTP_REQUIRED_FOR_STAFF council staff must set it up before anything else.
OTP_REQUIRED_FOR_STAFF = env_bool("OTP_REQUIRED_FOR_STAFF", False)
OTP_ADMIN_HIDE_SENSITIVE_DATA = True

# The name an authenticator app shows beside the code.
OTP_TOTP_ISSUER = os.environ.get("OTP_TOTP_ISSUER") or f"{SERVICE_NAME} ({COUNCIL_NAME})"
