"""Which council account (at which identity provider) a user signs in with."""

from __future__ import annotations

from django.conf import settings
from django.db import models


class SsoAccount(models.Model):
    """A user made by single sign-on, tied to the identity provider's stable
    subject id rather than a name or email address, which can change or be
    reused for another person."""

    user = models.OneToOneField(
        settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="sso_account"
    )
    issuer = models.CharField(max_length=255)
    subject = models.CharField(max_length=255)
    # Set when the identity provider's answer took every role away, so the
    # next sign-in with a role turns the account back on; an account an
    # administrator turned off stays off.
    deactivated_by_provider = models.BooleanField(default=False)
    last_sign_in = models.DateTimeField(null=True, blank=True)
    # The council groups of the last sign-in, as the identity provider sent them.
    last_groups = models.JSONField(default=list, blank=True)

    class Meta:
        verbose_name = "single sign-on account"
        constraints = [
            models.UniqueConstraint(fields=["issuer", "subject"], name="sso_account_unique_subject")
        ]

    def __str__(self) -> str:
        return f"{self.user} ({self.issuer})"
