"""API tokens. The secret is shown once, when made; only its SHA-256 digest
is kept, so a copy of the database cannot be used to call the API. A token
belongs to a provider (it reaches only that provider's data) or, made by a
commissioner, to the council (it reads every provider's)."""

from __future__ import annotations

from django.conf import settings
from django.db import models
from django.utils import timezone

from providers.models import Provider


class ApiToken(models.Model):
    name = models.CharField("Token name", max_length=100)
    provider = models.ForeignKey(
        Provider, on_delete=models.CASCADE, null=True, blank=True, related_name="api_tokens"
    )
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="api_tokens"
    )
    # The first characters of the token, shown in lists so people can tell
    # their tokens apart; too short to guess the rest from.
    prefix = models.CharField(max_length=16, db_index=True)
    digest = models.CharField(max_length=64, unique=True)
    created_at = models.DateTimeField(auto_now_add=True)
    expires_at = models.DateTimeField()
    revoked_at = models.DateTimeField(null=True, blank=True)
    revoked_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, blank=True, related_name="+"
    )
    last_used_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        ordering = ["-created_at"]
        verbose_name = "API token"

    def __str__(self) -> str:
        return f"{self.name} ({self.prefix}…)"

    @property
    def is_council(self) -> bool:
        return self.provider_id is None

    @property
    def active(self) -> bool:
        return self.revoked_at is None and self.expires_at > timezone.now()
